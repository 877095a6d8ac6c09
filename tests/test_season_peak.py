"""A seasonal share ('up 30% in the autumn season', '연말에 30% 늘어남') is read as the busy season's uplift:
a batch is sized on the busiest day's items x 1.3; interactive work keeps its busy-hour peak on top (2 x 1.3 = 2.6).
"""

from __future__ import annotations

from genai_planner.planning.compute import compute_figures, is_season_uplift
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import _batch_load
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())
NIGHTLY_KO = (
    "한결요양병원은 매일 밤 10시에 다음 날 퇴원할 환자의 안내문 초안을 한꺼번에 만들어 두고, 아침에 담당 의사가 확인한 뒤 서명하려 합니다. "
    "퇴원은 하루 평균 120건이고 연말에는 30%가량 늘어납니다."
)
CHAT_EN = (
    "Our contact centre answers about 1,200 customer emails a day while customers wait on chat, up 30% in the holiday season. "
    "Replies must come within 10 seconds."
)


def brief(text: str, language: str = "en"):
    return extract_brief({"name": "case", "use_case": text}, language)


def test_a_seasonal_share_is_read_as_an_uplift_in_both_languages():
    for text, language in ((NIGHTLY_KO, "ko"), (CHAT_EN, "en"), ("We file about 400 claims a day, with 30% more in December.", "en")):
        peaks = [v for v in brief(text, language).volumes if v.peak]
        assert [(v.quantity, v.unit) for v in peaks] == [(1.3, "x")] and is_season_uplift(peaks[0]), text
    # The daily flow before the share stays the usual day, not a peak of its own.
    assert [v.quantity for v in brief(NIGHTLY_KO, "ko").volumes if not v.peak] == [120]


def test_a_share_that_is_no_seasonal_growth_is_not_a_peak():
    for text in (
        "About 30% of the 400 daily claims in summer are rejected.",  # a share of items, no growth
        "We want 30% faster replies in the holiday season on 400 claims a day.",  # a target
        "Our error rate is 30% higher than last year on 400 claims a day.",  # no season
    ):
        assert not any(v.unit == "x" for v in brief(text).volumes), text


def test_a_batch_is_sized_on_the_peak_season_day():
    figures = compute_figures(brief(NIGHTLY_KO, "ko"), CATALOG, "ko")
    cap = figures.capacity
    assert figures.task_shape.mode == "batch"
    assert cap.items_per_day == 120 and cap.season_uplift == 1.3
    assert cap.batch_items == 156  # 120 x 1.3, not 120 and not 120 x 2.6
    assert "성수기 1.3배" in _batch_load(figures, "ko")


def test_interactive_work_keeps_its_busy_hour_on_top_of_the_season():
    cap = compute_figures(brief(CHAT_EN), CATALOG, "en").capacity
    assert cap.peak_multiplier == 2.6 and cap.batch_items == 0  # 2 (busy hour) x 1.3 (season)
    plain = compute_figures(brief(CHAT_EN.replace(", up 30% in the holiday season", "")), CATALOG, "en").capacity
    assert plain.peak_multiplier == 2.0  # the assumed busy hour alone
    assert cap.peak_items_per_hour == round(plain.peak_items_per_hour * 1.3, 1)  # 1,200 / 10 active hours x 2 = 240 -> 312
