"""Korean read as Korean (issue 25, item 5): verbs, copulas, particles and negation from kiwipiepy's
morphemes, never from string endings.

Each case is one a string-ending test got wrong: '붙입니다' (attach) ends in the letters of the
copula '입니다'; '전문가' (expert) ends in the letters of the subject particle '가'; '잘못된' (wrong)
holds the letters of the negation '못'.
"""

from __future__ import annotations

import pytest

from genai_planner.documents.content_lexicon import _strip_particle
from genai_planner.documents.negation import negated
from genai_planner.documents.step_checks import _ko_action


@pytest.mark.parametrize("step", ["근거 기록 번호를 붙입니다.", "점수가 높은 두 모델로 후보를 줄입니다.", "검색 정확도를 높입니다.",
                                  "결과를 의료진에게 보입니다.", "결과를 검증할 것", "데이터 수집", "기록을 모두 수집함"])
def test_a_verb_that_ends_in_the_copulas_letters_is_a_step(step: str):
    assert _ko_action(step), step


@pytest.mark.parametrize("statement", ["환자 정보 유출 위험이 큰 단계입니다.", "품질이 가장 중요합니다.", "중요한 것"])
def test_a_copula_or_an_adjective_is_not_a_step(statement: str):
    assert not _ko_action(statement), statement


@pytest.mark.parametrize(("word", "noun"), [("전문가", "전문가"), ("분석가가", "분석가"), ("병원에서는", "병원"), ("민원을", "민원"),
                                            ("모델로만", "모델"), ("회의", "회의")])
def test_particles_are_the_morphemes_kiwi_reads_as_particles(word: str, noun: str):
    assert _strip_particle(word) == noun


@pytest.mark.parametrize("clause", ["외부 API로 전송하지 않습니다", "외부 API가 아닌 내부 모델을 씁니다", "환자 정보가 외부로 나갈 일은 없습니다",
                                    "클라우드 말고 내부 서버에서 처리합니다", "외부로 보내지 못합니다", "외부 API 사용을 금지합니다"])
def test_korean_denies_with_grammar(clause: str):
    assert negated(clause), clause


@pytest.mark.parametrize("clause", ["잘못된 기록을 외부 API로 보냅니다", "진료 기록을 외부 클라우드 API로 보냅니다"])
def test_a_word_holding_the_letters_of_a_negation_does_not_deny(clause: str):
    assert not negated(clause), clause
