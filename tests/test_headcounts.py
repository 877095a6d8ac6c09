"""A head-count stated with its parts is counted once (issue 24, plan4 item 3): '380 counsellors (230 in Leeds and
150 in Cardiff)' is 380 users, not 760. Sentences written for these tests."""

from __future__ import annotations

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.headcounts import count_once
from genai_planner.planning.shape import user_count


def test_a_total_and_its_breakdown_count_once() -> None:
    assert count_once([420, 250, 170]) == [420]
    assert count_once([200, 120, 80, 50]) == [200, 50]  # the 50 is not part of the 200's breakdown
    assert count_once([120, 80]) == [120, 80]  # no total stated: two groups
    assert count_once([10, 10, 10]) == [10, 10, 10]


def test_users_stated_with_their_sites_are_counted_once() -> None:
    en = (
        "Tidewater Mutual has 380 counsellors (230 counsellors in Leeds and 150 counsellors in Cardiff) who write a call note "
        "after every call, about 9,000 calls a day."
    )
    assert user_count(extract_brief({"name": "c", "use_case": en}, "en")) == 380
    ko = "누리카드는 상담사 360명(부산 상담사 200명, 광주 상담사 160명)이 하루 약 20,000건의 통화를 처리하며 상담 기록을 씁니다."
    assert user_count(extract_brief({"name": "c", "use_case": ko}, "ko")) == 360
    two_shifts = "Harbour General has 120 nurses on the day shift and 80 nurses on the night shift who write handover notes."
    assert user_count(extract_brief({"name": "c", "use_case": two_shifts}, "en")) == 200
