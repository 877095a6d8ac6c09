"""Task mode: scheduled bulk generation reads as a batch in both languages (`cues.yaml` latency).

tests/data/task_modes.yaml holds passages written for this test, labelled batch, interactive or
none; the accuracy test fails below 0.9. The worked tests pin each rule with one case: a nightly
run at a clock time, a morning deadline for the day before's items, outputs 'made and left
ready', and a person's step after the batch that must not make the work interactive; then what
the mode decides downstream (one replica with a stated rerun for a clinical batch).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from genai_planner.planning.compute import compute_workload
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.prose import Prose
from genai_planner.planning.terms import read_latency

DATA = yaml.safe_load((Path(__file__).parent / "data" / "task_modes.yaml").read_text(encoding="utf-8"))


def _mode(text: str, language: str, tasks: list[str] | None = None) -> str:
    fact = read_latency(Prose(text), tasks or [], language)
    return fact.value if fact is not None else "none"


def test_task_mode_accuracy() -> None:
    passages = DATA["passages"]
    assert len(passages) >= 20 and {p["lang"] for p in passages} == {"en", "ko"}
    misses = [(p["mode"], _mode(p["text"], p["lang"]), p["text"]) for p in passages if _mode(p["text"], p["lang"]) != p["mode"]]
    assert 1 - len(misses) / len(passages) >= 0.9, misses


def test_nightly_run_at_a_clock_time_is_a_batch_ko() -> None:
    text = "매일 새벽 2시에 전날 접수된 신청서 전체를 검토 의견 초안으로 바꿔 둡니다."
    assert _mode(text, "ko") == "batch"
    fact = read_latency(Prose(text), [], "ko")
    assert fact is not None and fact.evidence.source == "stated" and "새벽 2시" in (fact.evidence.quote or "")


def test_made_and_left_ready_is_a_batch_ko() -> None:
    assert _mode("퇴원 예정 환자의 안내문을 모아서 만들어 두면 간호사가 아침에 본다.", "ko") == "batch"
    assert _mode("하루치 기록을 한꺼번에 요약한다.", "ko") == "batch"


def test_morning_deadline_for_the_day_before_is_a_batch_en() -> None:
    assert _mode("Minutes of the meetings recorded the day before are written up by 9 a.m.", "en") == "batch"
    assert _mode("At 10 p.m. each night the tool drafts replies to every open ticket.", "en") == "batch"
    assert _mode("Drafts are produced in bulk before the morning round.", "en") == "batch"


def test_the_persons_step_after_the_batch_is_not_a_wait_on_the_model() -> None:
    # Two interactive words against one batch word: without the after-step rule this reads interactive.
    text = "Overnight the model drafts the letters; in the morning staff review them instantly and approve them in real time."
    assert _mode(text, "en") == "batch"
    # The same interactive words with no batch stated stay interactive: the rule only discounts a step after a batch.
    assert _mode("Staff review answers instantly and approve them in real time.", "en") == "interactive"


def test_an_interactive_cue_outside_the_review_step_still_counts() -> None:
    text = "Overnight we refresh the index. Customers use the chatbot in real time on the website, and the live chat is staffed."
    assert _mode(text, "en") == "interactive"


def _brief(use_case: str, language: str = "ko"):
    scenario = {"name": "mode-test", "organisation": "한빛동물병원", "language": language, "use_case": use_case}
    return extract_brief(scenario, language)


def test_a_clinical_nightly_batch_gets_one_replica_and_a_rerun() -> None:
    brief = _brief(
        "한빛동물병원은 하루 평균 60건의 퇴원이 있습니다. 매일 밤 10시에 다음 날 퇴원할 환자의 차트로 안내문 초안을 한꺼번에 "
        "만들어 두고, 아침 회진 때 담당 수의사가 확인한 뒤 서명합니다."
    )
    assert brief.constraints.latency.value == "batch"
    workload = compute_workload(brief, "ko")
    assert workload.batch and workload.min_replicas == 1
    assert brief.sector.value == "healthcare"  # a clinical sector alone would ask for failover
    assert workload.availability is not None and "복제본 1개" in workload.availability.value
    assert "60건" in workload.availability.reason  # the rerun of the busiest day's batch, stated
