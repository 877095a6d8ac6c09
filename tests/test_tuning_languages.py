"""Fine-tuning data only from languages with history: a language the assistant must now serve with no
past records gets pairs translated from the history by bilingual staff and checked, or tuning waits.
"""

from __future__ import annotations

from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import fine_tune_examples, ft_collected
from genai_planner.planning.shape import fine_tune_data
from genai_planner.tools.catalog import load_catalog

CLINIC_KO = (
    "새봄치과는 지점 4곳에서 치료 후 주의사항 안내문을 하루 120건 씁니다. 담당 치과의사가 직접 쓰고 있어 한 건에 10분 걸립니다. "
    "최근 외국인 환자가 늘어 영어와 일본어 안내문도 필요합니다. 환자 기록은 외부로 보내지 않습니다."
)
LEGAL_EN = (
    "Calder & Finch drafts about 400 engagement letters a month in English and French; the paralegals write each one from the "
    "client file today. Letters are reviewed by a partner before they go out."
)


def brief(text: str, language: str = "en", **scenario):
    return extract_brief({"name": "case", "use_case": text, **scenario}, language)


def test_a_language_the_prose_calls_new_has_no_history():
    languages = brief(CLINIC_KO, "ko").constraints.languages
    assert languages.value[0] == "ko" and set(languages.no_history) == {"en", "ja"}
    # Languages the client already works in are history, not new.
    assert brief(LEGAL_EN).constraints.languages.no_history == []


def test_the_yaml_language_list_keeps_the_new_languages_the_prose_named():
    languages = brief(CLINIC_KO, "ko", constraints={"languages": ["ko", "en", "ja"]}).constraints.languages
    assert languages.value == ["ko", "en", "ja"] and set(languages.no_history) == {"en", "ja"}


def test_new_languages_get_translated_pairs_beside_the_history_pairs():
    # 3,600 a month: 3,600 x 12 - 300 held out = 42,900 Korean pairs; a tenth of a month rounds up to 400, so the minimum of 1,000.
    examples, enough, sentence = fine_tune_data(3600, 300, "Saebom", "en", ["ko"], ["en", "ja"])
    assert enough and examples == 1000 + 2 * 200  # 200 translated and checked pairs per new language
    assert "exist in Korean only: English and Japanese have no past records" in sentence
    assert "translate 200 of the Korean pairs for each (400 in all)" in sentence and "1,400 pairs in all" in sentence
    # Without new languages the count is the history's alone.
    assert fine_tune_data(3600, 300, "Saebom", "en", ["ko", "en"], [])[0] == 1000


def test_a_short_history_makes_tuning_wait_for_the_new_language_too():
    # 13 a month: 13 x 12 - 39 = 117 pairs, below the minimum of 200: no translated pairs are planned either.
    examples, enough, sentence = fine_tune_data(13, 39, "Team", "en", ["ko"], ["en"])
    assert (examples, enough) == (200, False)
    assert "English has no past records at all, so fine-tuning waits for them too" in sentence


def test_the_figures_and_the_documents_values_carry_the_split():
    figures = compute_figures(brief(CLINIC_KO, "ko"), list(load_catalog()), "ko")
    assert figures.history_languages == ["ko"] and set(figures.new_languages) == {"en", "ja"}
    # 120 a day -> 3,600 a month on the figures' calendar or near it: the collected pairs stay the history's, the total adds 2 x 200.
    total = fine_tune_examples(figures, "새봄치과", "ko")[0]
    assert total == ft_collected(figures, "새봄치과", "ko") + 400
    assert "Fine-tuning languages: pairs from past records in ko only" in figures.summary()
