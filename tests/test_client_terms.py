"""An English use case planned in Korean (`--lang ko`): the client's English terms appear beside a
Korean term or as the client's quoted words, and the checks read them as quotes, not as the
writer's untranslated English (planning/client_terms.py, documents/foreign_words.py)."""

from __future__ import annotations

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CHECKS, CheckContext
from genai_planner.planning.client_terms import in_language, metric_term

USE_CASE = (
    "Residents write a discharge summary from the chart. Success means summaries sent within 48 hours "
    "and no increase in medication errors at transitions of care."
)


def _ctx() -> CheckContext:
    brief = {"organisation": {"value": "Bayview Hospital"}, "users": [{"value": "residents"}], "inputs": [], "outputs": []}
    return CheckContext(language="ko", spec=None, catalog=[], brief=brief, quoted=(USE_CASE, "Chief Medical Officer Dr. Ada Osei"))  # type: ignore[arg-type]


def _check(body: str) -> tuple[bool, str]:
    return CHECKS["no_foreign_words"](md.parse_document(f"# 계획\n\n## 핵심 지표\n\n{body}\n"), {}, _ctx())


def test_a_korean_document_names_an_english_term_by_its_kind_and_keeps_the_clients_word():
    assert in_language("chart", "inputs", "ko") == "원자료(chart)"
    assert in_language("hospitalists", "users", "ko") == "직원(hospitalists)"
    assert metric_term("time per summary", "minutes", "ko") == "처리 시간(time per summary)"
    assert in_language("Oracle Health", "inputs", "ko") == "Oracle Health"  # a name stays as it is
    assert in_language("chart", "inputs", "en") == "chart"
    assert in_language("상담 기록", "inputs", "ko") == "상담 기록"


def test_the_clients_own_english_words_are_quotes_not_untranslated_prose():
    ok, detail = _check("- **비즈니스: summaries sent까지 걸리는 시간:** 'no increase in medication errors at transitions of care'(고객 표현).")
    assert ok, detail


def test_english_the_client_never_wrote_is_still_flagged():
    ok, detail = _check("- **비즈니스:** the model reduces errors quickly.")
    assert not ok and "'quickly'" in detail, detail
    ok, detail = _check("- **비즈니스:** 'no increase in careers' 입니다.")  # 'care' is in the use case, 'careers' is not
    assert not ok and "'careers'" in detail, detail
