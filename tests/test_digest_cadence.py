"""A summary made on a cadence is sized by the summaries, not by the records it reads (issue 24, items 1 and 6).

A network operations centre's alarms summarised every 15 minutes were priced as one model
request per alarm (millions a day) and the run refused as over budget. These tests pin the rule on
sentences written for this file: the cadence read from the prose, summaries a day as the
requests, one period's records as the input (whole, map-reduce or pre-aggregated), and per-item
work left as it was.
"""

from __future__ import annotations

import pytest

from genai_planner.planning.cadence import read_cadence
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())


def figures_of(text: str, language: str = "en"):
    b = extract_brief({"name": "case", "use_case": text}, language)
    return b, compute_figures(b, CATALOG, language)


def notes(figures) -> dict[str, str]:
    return {a.name: f"{a.value} | {a.reason}" for a in figures.assumptions}


@pytest.mark.parametrize(
    ("text", "per_day"),
    [
        ("a roll-up every 15 minutes", 96),
        ("a summary every 2 hours", 12),
        ("an hourly digest for the duty manager", 24),
        ("a handover note each night shift", 1),
        ("a summary at the end of each shift", 3),
        ("a nightly summary", 1),
        ("a daily briefing at 7am", 1),
        ("15분마다 요약", 96),
        ("매시간 정리", 24),
        ("매일 밤 인계서", 1),
        ("교대마다 인계 요약", 3),
    ],
)
def test_the_cadence_read_from_the_prose(text, per_day):
    cadence = read_cadence(text)
    assert cadence is not None and cadence.per_day == pytest.approx(per_day)


def test_no_cadence_and_on_demand():
    assert read_cadence("We answer 1,200 complaints with drafted replies.") is None
    assert read_cadence("a summary every 30 minutes, and whenever a controller asks").on_demand
    assert read_cadence("30분마다, 그리고 요청이 있을 때 요약").on_demand
    assert not read_cadence("an hourly digest").on_demand
    assert read_cadence("a summary at the end of each shift").shifts_assumed == 3


WATER = (
    "The operations desk of a water utility wants a summary every 15 minutes, and on demand, that groups related "
    "telemetry alerts into probable causes. On an ordinary day the telemetry platform raises about 1,500,000 alerts, "
    "and during floods alert bursts reach 120,000 alerts an hour. The monthly budget is USD 2,000."
)


def test_a_quarter_hourly_summary_of_a_million_alerts_is_120_requests_a_day_not_a_million():
    b, f = figures_of(WATER)
    assert b.task_shape is not None and b.task_shape.archetype == "digest" and b.task_shape.on_demand
    assert f.capacity.items_per_day == pytest.approx(120)  # 96 scheduled + 24 on demand (25% assumed)
    assert f.capacity.items_per_month == pytest.approx(3600)
    assert f.capacity.peak_requests_per_hour == pytest.approx(10)  # 120 over 24 hours x the assumed 2x busy hour
    got = notes(f)
    assert "96 scheduled (every 15 minutes) + 24 on demand" in got["Summaries per day"]
    records = got["Records read per summary"]
    assert "15,625 alerts per 15-minute period" in records and "pre-aggregated before the model" in records
    assert "30,000 per period at the stated peak" in records
    assert "24,000 input / 800 output tokens, requests per item: 1" in got["Tokens per item: summarisation"]
    cheapest = min(c.monthly_usd for c in f.costs if c.hosting == "api")
    assert cheapest < 500  # 3,600 summaries x 24,800 tokens, not 45 million alert-requests


def test_the_documents_say_how_the_records_become_summaries():
    b, f = figures_of(WATER)
    facts = document_facts(b, f, {}, "en")
    assert "1,500,000 alerts per day, read as 120 summaries a day (96 every 15 minutes + 24 on demand)" in facts.values["volume"]
    assert f.capacity.batch_items == 120  # a busy day makes the same summaries: no 2x 'season' on the batch


def test_a_period_a_few_times_the_input_budget_is_summarised_map_reduce():
    _, f = figures_of("The platform team wants an hourly digest that summarises the day's service logs. The cluster writes about 30,000 log lines a day.")
    assert f.capacity.items_per_day == pytest.approx(24)
    records = notes(f)["Records read per summary"]
    assert "1,250 log lines per 1-hour period" in records and "map-reduce: 4 chunks" in records and "(5 requests" in records


def test_a_period_that_fits_is_read_whole():
    _, f = figures_of("Duty engineers want a summary every 4 hours of the incident tickets logged. About 1,800 incident tickets are logged a day.")
    assert f.capacity.items_per_day == pytest.approx(6)
    records = notes(f)["Records read per summary"]
    assert "300 incident tickets per 4-hour period, about 18,000 tokens" in records
    assert "reads them whole (19,000 input tokens" in records


def test_a_nightly_handover_per_asset_is_one_summary_per_asset_a_night():
    b, f = figures_of(
        "Harbour Ferries runs 12 vessels. Each night shift, engineers write about 300 maintenance log entries. "
        "We want to summarise each night shift's maintenance log entries into a handover note per vessel for the morning crew."
    )
    assert b.task_shape is not None and (b.task_shape.archetype, b.task_shape.group) == ("digest", "vessel")
    assert f.capacity.items_per_day == pytest.approx(12)
    assert "12 scheduled (each night shift), one per vessel x 12 vessels" in notes(f)["Summaries per day"]
    assert "all of the night shift's entries for each vessel" in f.task_shape.retrieval


def test_a_per_item_task_is_unchanged():
    _, f = figures_of("Our service desk receives 1,200 complaints a day, and each one is answered with a drafted reply that an agent approves.")
    assert f.capacity.items_per_day == pytest.approx(1200)
    assert "Summaries per day" not in notes(f) and not f.capacity.cadence


def test_a_korean_quarter_hourly_digest():
    b, f = figures_of("관제센터는 15분마다, 그리고 요청이 있을 때 관련 경보를 묶어 근본 원인 요약을 받고 싶습니다. 하루에 경보가 900,000건 발생합니다.", "ko")
    assert b.task_shape is not None and b.task_shape.archetype == "digest"
    assert f.capacity.items_per_day == pytest.approx(120)
    assert "정기 96건(15분마다) + 요청 시 24건" in notes(f)["하루 요약 건수"]


def test_a_korean_hourly_summary_is_a_digest_of_24_a_day():
    b, f = figures_of("당직 엔지니어는 매시간 설비 알림 요약을 받아 봅니다. 설비 알림은 하루 40,000건 발생합니다.", "ko")
    assert b.task_shape is not None and (b.task_shape.archetype, b.task_shape.cadence) == ("digest", "매시간")
    assert f.capacity.items_per_day == pytest.approx(24)


def test_a_models_digest_brief_without_a_cadence_gets_the_one_the_prose_states():
    from genai_planner.planning.extract import reconcile_brief

    scenario = {"name": "case", "use_case": WATER}
    proposed = extract_brief(scenario, "en")
    assert proposed.task_shape is not None
    proposed = proposed.model_copy(update={"task_shape": proposed.task_shape.model_copy(update={"cadence": None, "on_demand": False})})
    b = reconcile_brief(proposed, scenario, "en")
    assert b.task_shape is not None and (b.task_shape.cadence, b.task_shape.on_demand) == ("every 15 minutes", True)


def test_a_monthly_budget_is_not_the_digests_period():
    b, f = figures_of(WATER)
    assert b.task_shape is not None and b.task_shape.period == "15-minute period"
    assert "all of the 15-minute period's entries" in f.task_shape.retrieval
    text = "With a monthly budget of USD 800, site managers want a nightly summary of safety observations."
    nightly = extract_brief({"name": "case", "use_case": text}, "en")
    assert nightly.task_shape is not None and nightly.task_shape.period == "night"
