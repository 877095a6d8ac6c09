"""Capacity, precision, cost and volume rules of the planning figures, each pinned with worked numbers.

The rules are the ones an experienced GenAI architect applies after a first memory fit: replicas
from availability, throughput and bursts; at most 85% of GPU memory; INT4 only with a scored
penalty; owned GPUs are never free; every other model on the same GPUs budgeted or time-shared;
a busy hour never above the day; no zero flows; stocks are not flows.
"""

from __future__ import annotations

import copy
import math

import pytest

from genai_planner.planning import capacity, compute
from genai_planner.planning.brief import Volume, inferred, stated
from genai_planner.planning.facts import document_facts
from tests.test_figures import BRIEFS, CATALOG, brief_with, entry, figures_for, make_brief

HW = compute.load_data("hardware")


def facts_of(brief, language="en"):
    f = compute.compute_figures(brief, CATALOG, language)
    return f, document_facts(brief, f, {}, language)


# ----------------------------------------------------------------------------- volumes and peaks


def test_a_busy_hour_never_carries_more_than_the_day():
    # 1,000 a day with a stated peak of 1,000 an hour: the hour's multiplier would be 12 (retail: 12 active hours,
    # mean 83.3 an hour); capped at 12, the busiest hour carries the day's 1,000 items and no more.
    day = Volume(what="questions", quantity=1000, per="day", evidence=stated("1,000 questions a day"))
    peak = Volume(what="questions", quantity=2000, per="hour", peak=True, evidence=stated("2,000 an hour at peak"))
    f = compute.compute_figures(brief_with(volumes=[day, peak]), CATALOG, "en")
    assert f.capacity.peak_multiplier == 12.0
    assert f.capacity.peak_items_per_hour == f.capacity.items_per_day == 1000
    assert any(a.name == "Peak capped" for a in f.assumptions)


def test_a_stated_peak_multiplier_is_not_multiplied_again():
    # 100 a day over 12 hours = 8.33 an hour; a stated '10x in season' gives 83.3 an hour, not 10 x the default 2.
    season = Volume(what="questions", quantity=10, unit="x", peak=True, evidence=stated("ten times as many in season"))
    f = compute.compute_figures(brief_with(volumes=brief_with().volumes + [season]), CATALOG, "en")
    assert f.capacity.peak_multiplier == 10.0
    assert f.capacity.peak_requests_per_hour == pytest.approx(83.3, abs=0.05)


def test_a_light_load_is_never_zero_an_hour():
    # 13 documents a month in a working-day sector: 13 / (21 x 10 h) = 0.062 an hour, x 2 at peak = 0.12 an hour.
    light = brief_with(sector="legal", latency="batch", volumes=[Volume(what="dossiers", quantity=13, per="month", evidence=stated("13 a month"))])
    f, facts = facts_of(light)
    assert f.capacity.peak_requests_per_hour == pytest.approx(13 / 210 * 2, rel=0.01)
    assert facts.values["peak_rph"] == "0.12"
    # ... and told per month, since fewer than one arrives a day (13 / 21 = 0.62).
    assert facts.values["peak_load"] == "about 13 items a month (fewer than one a day)"
    assert facts.values["concurrency"] == "1 request"  # never '1 requests'
    ko = document_facts(light, compute.compute_figures(light, CATALOG, "ko"), {}, "ko")
    assert ko.values["peak_load"] == "월 약 13건(하루 1건 미만)"
    # 100 a month: 4.8 a working day, 0.95 an hour at the peak: told per day.
    some = brief_with(sector="legal", latency="batch", volumes=[Volume(what="dossiers", quantity=100, per="month", evidence=stated("100 a month"))])
    assert facts_of(some)[1].values["peak_load"] == "about 4.8 items a day (fewer than one request an hour)"
    # Two requests an item (summarisation and drafting): still the client's 13 documents a month, never 26.
    dossiers = [Volume(what="dossiers", quantity=13, per="month", evidence=stated("13 a month"))]
    two = brief_with(sector="legal", tasks=["summarisation", "drafting"], volumes=dossiers)
    assert document_facts(two, compute.compute_figures(two, CATALOG, "ko"), {}, "ko").values["peak_load"] == "월 약 13건(하루 1건 미만)"


def test_a_weekday_and_weekend_volume_is_one_load_with_a_day_pattern():
    # '95 a weekday, 50 a weekend day' over 30 days: 95 x 30 x 5/7 (21.43 weekdays) + 50 x 30 x 2/7 (8.57 weekend days)
    # = 2,035.7 + 428.6 = 2,464.3 a month, not 95 x 30 = 2,850; the busiest hour comes from the weekday (95 / 12 h x 2 = 15.8).
    brief = brief_with(sector="healthcare", volumes=[
        Volume(what="discharges", quantity=95, per="weekday", evidence=stated("95 discharges a weekday")),
        Volume(what="discharges", quantity=50, per="weekend_day", evidence=stated("50 on weekend days")),
    ])
    f, facts = facts_of(brief)
    assert f.capacity.items_per_month == pytest.approx(95 * 30 * 5 / 7 + 50 * 30 * 2 / 7, abs=0.05)
    assert f.capacity.items_per_day == 95 and f.capacity.peak_items_per_hour == pytest.approx(95 / 12 * 2, abs=0.05)
    assert any(a.name == "Items per month" and "95 per weekday x 21.4 weekdays + 50 per weekend day x 8.6" in a.reason for a in f.assumptions)
    assert facts.values["volume"] == "95 discharges per weekday and 50 per weekend day"
    assert facts.values["volume_short"] == "95 discharges per weekday"  # a writer over the word limit cuts to the first part
    # Only a weekday rate: the work arrives on weekdays only (300 x 21.43 = 6,428.6), never 300 x 30.
    only = brief_with(volumes=[Volume(what="claims", quantity=300, per="weekday", evidence=stated("300 claims a weekday"))])
    assert compute.compute_figures(only, CATALOG, "en").capacity.items_per_month == pytest.approx(300 * 30 * 5 / 7, abs=0.05)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "We discharge about 95 inpatients on a weekday and about 50 on a weekend day.",
            "en",
            [(95, "weekday", "inpatients"), (50, "weekend_day", "inpatients")],
        ),
        ("Support gets 400 tickets per weekday and 120 on weekends.", "en", [(400, "weekday", "tickets"), (120, "weekend_day", "tickets")]),
        ("The desk answers 200 calls a weekday and 60 at weekends.", "en", [(200, "weekday", "calls"), (60, "weekend_day", "calls")]),
        ("퇴원 요약을 평일 하루 약 120건, 주말에는 40건 작성합니다.", "ko", [(120, "weekday"), (40, "weekend_day")]),
    ],
)
def test_the_brief_reads_a_day_pattern(text, language, expected):
    from genai_planner.planning.extract import extract_brief

    brief = extract_brief({"name": "t", "organisation": "Test Org", "language": language, "use_case": text}, language)
    got = [(v.quantity, v.per, v.what)[: len(e)] for v, e in zip(brief.volumes, expected, strict=False)]
    assert got == [tuple(e) for e in expected]


def test_a_stock_is_not_a_flow():
    # '8,000 products per month' counts the catalogue, not the questions: the load falls back to the stated default
    # and the assumptions say why.
    products = Volume(what="products in the catalogue", quantity=8000, per="month", evidence=stated("8,000 products"))
    f = compute.compute_figures(brief_with(volumes=[products]), CATALOG, "en")
    assert f.capacity.items_per_month == 30_000  # the assumed 1,000 a day x 30 days
    assert any(a.name == "Not a load" and "8,000" in a.value for a in f.assumptions)
    assert compute.is_stock("pages of manuals") and not compute.is_stock("product questions")


def test_an_inferred_volume_stays_an_estimate_in_the_documents():
    guess = Volume(what="discharges", quantity=150, per="day", evidence=inferred("a hospital of this size"))
    f, facts = facts_of(brief_with(volumes=[guess]))
    assert f.capacity.estimate is True
    assert facts.values["volume"] == "150 discharges per day (estimate)"
    assert facts.values["peak_load"].endswith("requests per hour (estimate)")  # the peak derived from it, too
    assert facts.values["monthly_items"] == "an estimated 4,500"  # and the month: 150 x 30
    _, told = facts_of(brief_with())
    assert "(estimate)" not in told.values["volume"] and told.values["monthly_items"] == "3,000"


def test_the_context_gate_covers_the_tokens_per_request_the_cost_counts(monkeypatch):
    original = compute.load_data
    workload = copy.deepcopy(original("workload"))
    workload["tasks"]["summarisation"]["input_tokens"] = 10_000  # the cost now counts 10,000 + 800 per request
    monkeypatch.setattr(compute, "load_data", lambda name: workload if name == "workload" else original(name))
    f = compute.compute_figures(brief_with(tasks=["summarisation"]), CATALOG, "en")
    assert f.capacity.context_tokens == 10_800  # not the table's 9,000
    gemma2 = next(g for g in f.gates if g.model == "Gemma 2 9B IT")  # 8,192-token window
    assert not gemma2.passed and any("10,800" in r for r in gemma2.reasons)


def test_a_record_drafting_context_holds_the_whole_record():
    # Drafting a discharge summary from one chart, costed as summarisation (8,000 + 800) and drafting (2,500 + 500): the
    # chart is read whole in one request, so the gate is 10,500 + 1,300 = 11,800 tokens, not the largest task's 9,000.
    brief = brief_with(tasks=["summarisation", "drafting"], latency="batch", sector="healthcare")
    assert brief.task_shape is None or brief.task_shape.archetype == "record_drafting"
    f = compute.compute_figures(brief, CATALOG, "en")
    assert f.capacity.context_tokens == 11_800
    assert f.costs[0].monthly_input_tokens == 3000 * 10_500  # the cost counts the same 10,500 input tokens an item
    # A corpus question answered with a chat keeps its per-request context: the turns are separate requests.
    qa = compute.compute_figures(brief_with(tasks=["chat", "question_answering"]), CATALOG, "en")
    assert qa.capacity.context_tokens == 6000


def test_bursts_not_the_mean_set_requests_in_flight():
    # Little's law gives the mean; Poisson bursts add three standard deviations: 1.3 -> 1.3 + 3 x 1.14 = 4.7 -> 5.
    assert [compute.in_flight(x) for x in (0.0, 0.05, 1.3, 10)] == [1, 1, 5, 20]


# ----------------------------------------------------------------------------- memory, batching, replicas


def test_no_plan_fills_more_than_85_percent_of_gpu_memory():
    for name in ("city_hall", "hospital_ko", "bank_ko", "telecom", "store"):
        for row in figures_for(name).gpu_fit:
            if row.gpus_needed <= 16:
                assert row.utilisation <= HW["memory_headroom"] + 1e-9, (name, row.model, row.precision)
    # Llama 3.3 70B at FP8 with 4 requests of 3,300 tokens: 70 + 4.3 + 7 = 81.3 GB. Without headroom that is
    # 1.02 x 80 GB (two GPUs anyway); Gemma 27B at BF16 holds 62.2 GB (54 weights + 2.8 KV cache: its 52 sliding-window
    # layers cache at most 1,024 tokens a request, its 10 global layers the 3,300 + 5.4 overhead), 78% of one GPU ...
    gemma = entry("gemma-3-27b-it")
    w = compute.fit_row(gemma, compute.compute_workload(brief_with(), "en"), "BF16", "H100 80GB", 80, None)
    assert (w.total_gb, w.gpus_needed, w.utilisation) == (62.2, 1, pytest.approx(0.778, abs=0.001))
    # ... while 70 GB on one 80 GB GPU (87.5%) is over the limit and takes two.
    assert compute.gpus_for(70, 80 * HW["memory_headroom"]) == 2 and compute.gpus_for(70, 80) == 1


def test_the_kv_cache_holds_a_batch_not_one_request():
    # Concurrency 1 (100 a day), yet the KV cache is sized for min_batch_sequences = 4 requests at the full context:
    # Granite 3.3 8B: 40 layers x 2 x 8 x 128 x 2 bytes = 163,840 bytes a token x 3,300 x 4 = 2.2 GB.
    f = compute.compute_figures(brief_with(latency="interactive", sector="general"), CATALOG, "en")
    row = next(r for r in f.gpu_fit if r.model == "Granite 3.3 8B Instruct" and r.chosen)
    assert row.sequences == 4 and row.kv_cache_gb == pytest.approx(2.2, abs=0.05)
    # ... and the figures say how many the memory under the headroom holds: (20.4 - 8.2 - 0.8) / 0.54 GB = 21 on one L4.
    assert row.max_sequences == math.floor((24 * 0.85 - 8.2 - 0.8) / (3300 * 163_840 / 1e9))
    # A batch queues the day's 100 requests at once (in flight: up to 32): continuous batching fills the KV memory
    # the weights' one L4 leaves under the headroom (21 requests, 11.4 GB) and adds no GPU for the rest.
    batch = compute.compute_figures(brief_with(latency="batch", sector="general"), CATALOG, "en")
    assert batch.capacity.concurrency == 32
    row = next(r for r in batch.gpu_fit if r.model == "Granite 3.3 8B Instruct" and r.chosen)
    assert (row.sequences, row.gpus_needed, row.replicas) == (21, 1, 1) and row.utilisation <= 0.85


def test_replicas_follow_availability():
    # Interactive work: two replicas for failover.
    assert figures_for("city_hall").capacity.availability == "failover"
    # Batch work in a sector whose work does not stop with the service: one replica, and the figures say so.
    bank = figures_for("bank_ko")
    assert bank.capacity.availability == "single" and "단일 장애 지점" in bank.capacity.availability_reason
    en = compute.compute_figures(brief_with(latency="batch", sector="general"), CATALOG, "en")
    assert all(r.replicas == 1 for r in en.gpu_fit if r.chosen)
    # The task mode decides before the sector: a clinical batch a person signs off runs one replica, and the figures
    # state the single point of failure and the rerun that recovers it. 100 a day x 1 request, 4 at a time
    # (the batch every replica's KV cache holds) x 11.2 s (300 output tokens at 30 tokens/s + 0.5 s) = 25 waves = 4.7 -> 5 minutes.
    clinic = compute.compute_figures(brief_with(latency="batch", sector="healthcare"), CATALOG, "en")
    reason = clinic.capacity.availability_reason
    assert clinic.capacity.availability == "single" and "single point of failure" in reason
    assert "rerun the batch" in reason and "100 requests take about 5 minutes at 4 at a time" in reason
    assert capacity.batch_minutes(190, 22.2, 32) == pytest.approx(6 * 22.2 / 60)
    assert all(r.replicas == 1 for r in clinic.gpu_fit if r.chosen)
    assert figures_for("hospital_ko").capacity.availability == "single"  # a nightly Korean discharge batch, too
    # On its own GPUs the rerun runs at the recommended plan's batch: the documents repeat one number of requests in flight.
    own = compute.compute_figures(
        brief_with(latency="batch", sector="healthcare", residency="on_premises", hardware=[("NVIDIA H100 80GB", 4, None)]), CATALOG, "en",
    )
    plan = next(r for r in own.gpu_fit if r.model == own.recommended and r.chosen)
    assert plan.sequences > 4 and own.capacity.concurrency == plan.sequences
    minutes = math.ceil(capacity.batch_minutes(100, 11.2, plan.sequences))
    assert f"100 requests take about {minutes} minutes at {plan.sequences} at a time" in own.capacity.availability_reason
    # Clinical work whose mode is not a batch keeps a second replica.
    ward = compute.compute_figures(brief_with(latency="unspecified", sector="healthcare"), CATALOG, "en")
    assert ward.capacity.availability == "failover"
    assert all(r.replicas >= 2 for r in ward.gpu_fit if r.chosen and r.model == ward.recommended)


def test_replicas_follow_throughput():
    # 70B at FP8 on H100s, 2 GPUs a replica: decode 450 x 2 = 900 tokens/s, prefill 3,500 x 2 = 7,000 tokens/s.
    # The peak needs 1,000 output and 10,000 prompt tokens/s: 1.11 + 1.43 = 2.54 replicas' time / 0.7 = 3.6 -> 4.
    assert capacity.tokens_per_second(HW, 70, "FP8", "H100 80GB") == (450, 3500)
    assert capacity.throughput_replicas(HW, 70, "FP8", "H100 80GB", 2, 1000, 10_000) == 4
    # BF16 is slower (0.6x) and an L40S a quarter of an H100.
    assert capacity.tokens_per_second(HW, 8, "BF16", "L40S 48GB") == pytest.approx((2500 * 0.6 * 0.25, 20000 * 0.6 * 0.25))
    # Through the figures: 40,000 chats a day is far beyond one replica of a 70B model.
    busy = brief_with(volumes=[Volume(what="chats", quantity=40_000, per="day", evidence=stated("40,000 chats a day"))], tasks=["chat"])
    f = compute.compute_figures(busy, CATALOG, "en")
    row = next(r for r in f.gpu_fit if r.model == "Llama 3.3 70B Instruct" and r.chosen)
    assert row.replicas_for["throughput"] > 2 and row.replicas == max(row.replicas_for.values())


# ----------------------------------------------------------------------------- precision, co-location, fine-tuning


def test_a_405b_at_int4_filling_four_owned_gpus_is_not_the_plan():
    # Four owned H100s, on-premises, interactive: a 405B replica needs 4 GPUs even at INT4
    # (202.5 + 20.3 + KV 6.8 GB = 229.6 GB / 68 GB), and two replicas need 8: excluded.
    brief = brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises", tasks=["question_answering"])
    f = compute.compute_figures(brief, CATALOG, "en")
    gate = next(g for g in f.gates if g.model == "Llama 3.1 405B Instruct")
    assert not gate.passed and "needs 8 GPUs (2 x 4" in gate.reasons[0]
    plan = next(r for r in f.gpu_fit if r.model == f.recommended and r.chosen)
    assert plan.precision in {"BF16", "FP8"} and plan.replicas >= 2 and plan.gpus_needed * plan.replicas <= 4
    # Every other model on the same GPUs is budgeted or time-shared, each with its reason.
    roles = {c.role: c for c in f.colocated}
    assert set(roles) == {"fallback", "judge", "rollback", "fine_tuning"}
    assert roles["rollback"].mode == "disk" and "one replica at a time" in roles["rollback"].reason
    assert all(c.mode in {"resident", "time_shared", "disk", "api", "rented", "none"} and c.reason for c in f.colocated)
    used = plan.gpus_needed * plan.replicas + sum(c.gpus for c in f.colocated if c.mode == "resident")
    assert used <= 4  # resident models fit beside the serving replicas


def test_every_sizing_row_says_whether_the_client_can_run_it():
    # Four owned H100s, interactive (2 replicas): Llama 3.3 70B at BF16 needs 4 a replica, 8 in all: marked as not fitting,
    # with the count; FP8 (2 x 2 = 4) is the plan; the figures' text carries the mark to every writer.
    f = compute.compute_figures(brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises"), CATALOG, "en")
    rows = {r.precision: r for r in f.gpu_fit if r.model == "Llama 3.3 70B Instruct"}
    assert rows["BF16"].note == "does not fit: needs 8 GPUs (2 x 4), the organisation owns 4"
    assert rows["FP8"].chosen and rows["FP8"].note == "the plan (4 GPUs in all)"
    assert rows["INT4"].note.startswith("fits (2 of 4 owned GPUs), not the plan: INT4 loses quality")
    assert all(f"replicas: {g.replicas}; {g.note}." in f.summary() for g in f.gpu_fit[:3])
    # A batch on the same GPUs: BF16 fits (4 of 4) but takes every GPU; FP8 on 2 leaves 2 for the other models.
    b = compute.compute_figures(brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises", latency="batch"), CATALOG, "en")
    rows = {r.precision: r for r in b.gpu_fit if r.model == "Llama 3.3 70B Instruct"}
    assert rows["FP8"].chosen and "FP8 needs 2 and leaves the rest" in rows["BF16"].note


def test_a_fallback_larger_than_the_plan_gives_way_to_one_that_fits_beside_the_primary():
    # Two owned H100s, 13 Korean dossiers a month: Gemma 3 27B at FP8 serves on 1; the runner-up Qwen2.5 72B (2 GPUs)
    # cannot stand by beside it, and replacing the primary on the same GPUs is no fallback (it is down whenever the
    # primary's server is): the best-ranked candidate that fits the 1 GPU left stands by instead, never 'rented'
    # for an organisation whose data stays on its own GPUs.
    f = compute.compute_figures(brief_with(
        tasks=["summarisation", "drafting"], sector="general", latency="unspecified", residency="on_premises",
        hardware=[("NVIDIA H100 80GB", 2, None)],
        languages=["ko"], volumes=[Volume(what="dossiers", quantity=13, per="month", evidence=stated("13 a month"))],
    ), CATALOG, "en")
    plan = next(r for r in f.gpu_fit if r.model == f.recommended and r.chosen)
    fallback = next(c for c in f.colocated if c.role == "fallback")
    assert (f.recommended, plan.gpus_needed * plan.replicas) == ("Gemma 3 27B IT", 1)
    assert fallback.model != "Qwen2.5 72B Instruct" and (fallback.gpus, fallback.mode) == (1, "resident")
    assert "the runner-up Qwen2.5 72B Instruct needs 2 GPUs" in fallback.reason and "beside the primary" in fallback.reason


def test_fine_tuning_memory_is_computed_for_training():
    llama8 = entry("llama-3.1-8b-instruct")
    # LoRA: 16 GB BF16 weights + 8B x 0.5% x 16 bytes = 0.64 GB adapters and Adam state
    # + activations 4,096 tokens x hidden 4,564 (sqrt(8e9 / (12 x 32))) x (32 layers x 2 + 34) bytes = 1.83 GB + 1.6 overhead.
    weights, adapters, activations, overhead, total = capacity.fine_tune_gb(HW, llama8, "LoRA")
    hidden = math.sqrt(8e9 / (12 * 32))
    assert (weights, adapters, overhead) == (16.0, pytest.approx(0.64), pytest.approx(1.6))
    assert activations == pytest.approx(4096 * hidden * (32 * 2 + 34) / 1e9)
    assert total == pytest.approx(16 + 0.64 + activations + 1.6)
    # QLoRA keeps the frozen base at 4 bits: 4 GB instead of 16.
    assert capacity.fine_tune_gb(HW, llama8, "QLoRA")[0] == 4.0
    # At the requests' own length: an 11,800-token chart trains at 11,800 tokens, 2.9x the activations of 4,096.
    assert capacity.fine_tune_sequence(HW, 11_800) == 11_800 and capacity.fine_tune_sequence(HW, 3_300) == 4_096
    long = capacity.fine_tune_gb(HW, llama8, "LoRA", 11_800)
    assert long[2] == pytest.approx(11_800 * hidden * (32 * 2 + 34) / 1e9) and long[0] == weights
    record = compute.compute_figures(brief_with(
        tasks=["summarisation", "drafting"], latency="batch", residency="on_premises", hardware=[("NVIDIA H100 80GB", 4, None)],
    ), CATALOG, "en")
    assert record.fine_tuning is not None and record.fine_tuning.sequence_tokens == record.capacity.context_tokens == 11_800
    # Through the figures: the job's memory is not the serving memory, and its parts add up.
    f = figures_for("city_hall")
    ft = f.fine_tuning
    serving = next(r for r in f.gpu_fit if r.model == f.recommended and r.chosen)
    assert ft is not None and ft.total_gb != serving.total_gb
    assert ft.total_gb == pytest.approx(ft.weights_gb + ft.adapters_gb + ft.activations_gb + ft.overhead_gb, abs=0.051)


# ----------------------------------------------------------------------------- cost


def test_owned_gpus_are_never_free_and_the_parts_add_up():
    f = figures_for("hospital_ko")
    for cost in f.costs:
        assert cost.monthly_usd > 0
        if cost.parts:
            assert sum(cost.parts.values()) == pytest.approx(cost.monthly_usd, abs=0.02)
    gemma = f.cost_of("Gemma 3 27B IT")
    # 1 of 2 owned A100s (one replica for a batch): 0.4 kW x 1.5 (server) x 1.5 (PUE) x 730 h x 0.13 USD = 85.41 at full draw,
    # times the average draw (20% idle + 80% x the busy share of the month), plus 250 operations.
    assert gemma.hosting == "owned" and gemma.gpus == 1
    row = next(r for r in f.gpu_fit if r.model == "Gemma 3 27B IT" and r.chosen)
    busy = compute.month_busy(entry("gemma-3-27b-it"), compute.compute_workload(BRIEFS["hospital_ko"](), "ko"), row)
    assert 0 < busy < 0.2
    assert gemma.parts == {"power": pytest.approx(85.41 * (0.2 + 0.8 * busy), abs=0.01), "operations": 250.0}


def test_power_follows_the_work_and_the_gpus_a_model_uses():
    # 70B at FP8 on 2 H100s: 900 output and 7,000 prompt tokens/s; an average 1.2 and 9.8 keep them busy 0.27% of the month.
    assert capacity.busy_share(HW, 70, "FP8", "H100 80GB", 2, 1.2, 9.8) == pytest.approx(1.2 / 900 + 9.8 / 7000)
    # The draw: 20% of board power idle, all of it busy; one idle H100 a month: 0.7 x 0.2 x 1.5 x 1.5 x 730 x 0.13 = 29.89 USD.
    assert [capacity.draw_share(HW, b) for b in (0, 0.5, 1, 3)] == [0.2, pytest.approx(0.6), 1.0, 1.0]
    assert capacity.power_usd(HW, "H100 80GB", 1, busy=0) == pytest.approx(0.7 * 0.2 * 1.5 * 1.5 * 730 * 0.13)
    # Through the figures: on four owned H100s a batch runs a 70B model at FP8 on 2 GPUs and an 8B at BF16 on 1,
    # so their running costs differ (2 x and 1 x the operations and power), never one flat per-model figure.
    f = compute.compute_figures(brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises", latency="batch"), CATALOG, "en")
    big, small = f.cost_of("Llama 3.3 70B Instruct"), f.cost_of("Granite 3.3 8B Instruct")
    assert (big.gpus, small.gpus) == (2, 1) and big.parts["operations"] == 500 and small.parts["operations"] == 250
    assert big.parts["power"] > small.parts["power"] > capacity.power_usd(HW, "H100 80GB", 1, busy=0) - 0.01


def test_gpus_bought_for_an_on_premises_plan_are_amortised():
    # The city hall has no GPUs and must stay on-premises: Mistral Small 3.1 at FP8 on one L40S a replica, two replicas,
    # bought at USD 9,000 over 36 months (250 a GPU) + power 0.35 x 1.5 x 1.5 x 730 x 0.13 (74.73 at full draw, times the
    # average draw) + 250 operations.
    cost = figures_for("city_hall").cost_of("Mistral Small 3.1 (25.03)")
    assert cost.gpus == 2
    assert cost.parts["hardware"] == 500.0 and cost.parts["operations"] == 500.0
    assert 2 * 74.73 * 0.2 - 0.01 <= cost.parts["power"] <= 2 * 74.73 + 0.01


def test_cost_separates_self_hosted_candidates():
    f = figures_for("city_hall")
    self_hosted = {c.model: c.monthly_usd for c in f.costs if c.hosting == "self_hosted" and c.model in {s.model for s in f.scores}}
    assert len(set(self_hosted.values())) > 1


def test_the_budget_verdict_is_computed_in_the_budgets_currency():
    f = figures_for("bank_ko")
    rate = compute.load_data("fx")["per_usd"]["KRW"]
    for cost in f.costs:
        assert cost.budget_currency == "KRW"
        assert cost.monthly_in_budget_currency == pytest.approx(cost.monthly_usd * rate, abs=0.01)
        assert cost.within_budget == (cost.monthly_in_budget_currency <= 3_000_000)
    # The batch rents its GPUs for the night's window (about 21 h a month), so DeepSeek-V3's 16 H100s cost about
    # KRW 1.37 million, inside KRW 3 million; at KRW 1 million the gate says so in the budget's currency.
    assert next(g for g in f.gates if g.model == "DeepSeek-V3").passed
    tight = make_brief(
        org="한결은행", sector="banking", tasks=["extraction"], residency="private_cloud", languages=["ko", "en"], budget=(1_000_000, "KRW"),
        latency="batch", volumes=[Volume(what="대출 서류", quantity=5000, per="week", evidence=stated("주당 5,000건"))],
    )
    deepseek = next(g for g in compute.compute_figures(tight, CATALOG, "ko").gates if g.model == "DeepSeek-V3")
    assert any("KRW" in r and "KRW 1,000,000" in r for r in deepseek.reasons)


# ----------------------------------------------------------------------------- what the documents say


def test_the_memory_line_adds_up_and_shows_the_overhead():
    brief = brief_with(hardware=[("NVIDIA H100 80GB", 2, None)], residency="on_premises")
    f, facts = facts_of(brief)
    plan = facts.values["gpu_plan"]
    row = next(r for r in f.gpu_fit if r.model == f.recommended and r.chosen)
    # e.g. '1 x NVIDIA H100 80GB per replica at BF16, 2 replicas (2 GPUs in all); each replica holds 66.1 GB = 54 GB weights
    # + 6.7 GB KV cache for 4 requests in flight + 5.4 GB overhead, 83% of its GPU memory (limit 85%)'
    assert row.total_gb == pytest.approx(row.weights_gb + row.kv_cache_gb + row.overhead_gb, abs=1e-9)
    assert f"{row.total_gb:g} GB = {row.weights_gb:g} GB weights + {row.kv_cache_gb:g} GB KV cache" in plan
    assert f"+ {row.overhead_gb:g} GB overhead" in plan and "2 replicas (2 GPUs in all)" in plan
    assert "(s)" not in plan


def test_an_api_model_gets_no_gpu_sizing_line():
    f = figures_for("telecom")
    assert f.cost_of(f.recommended).hosting == "api" and any(r.model == f.recommended for r in f.gpu_fit)
    facts = document_facts(make_brief(org="NovaTel", sector="telecom", tasks=["chat"], residency="cloud_ok", latency="interactive"), f, {}, "en")
    assert facts.values["gpu_plan"].startswith("no GPUs to size") and " x H100" not in facts.values["hardware_or_gpus"]


def test_documents_get_the_decisions():
    f, facts = facts_of(brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises"))
    assert "power" in facts.values["cost_parts"] and "operations" in facts.values["cost_parts"]
    assert "Fallback:" in facts.values["colocated"] and "Fine-tuning:" in facts.values["colocated"]
    assert f.fine_tuning is not None and f.fine_tuning.method in facts.values["fine_tune_memory"]
    assert "replicas" in facts.values["availability"]
    assert facts.flags["single_replica"] is False  # interactive: two replicas to balance across
    _, batch = facts_of(brief_with(hardware=[("NVIDIA H100 80GB", 4, None)], residency="on_premises", latency="batch"))
    assert batch.flags["single_replica"] is True  # one replica: the deployment plan says its queue feeds continuous batching


@pytest.mark.parametrize("name", ["city_hall", "hospital_ko", "telecom", "store", "bank_ko"])
def test_the_gpus_budgeted_for_the_judge_are_the_evaluation_judges(name: str) -> None:
    """The capacity plan budgets the judge the evaluation names, not the runner-up by habit: when the
    evaluation picks a stronger third model as judge, the co-located judge is that model (its API,
    its own GPUs or a window on the plan's), so document 5's GPUs match document 4's judge.
    """
    figures = figures_for(name)
    judges = [c for c in figures.colocated if c.role == "judge"]
    if figures.evaluation is None or figures.evaluation.judge is None or not judges:
        return
    assert [c.model for c in judges] == [figures.evaluation.judge]


def test_a_judge_other_than_the_fallback_gets_its_own_placement() -> None:
    figures = figures_for("city_hall")
    assert figures.evaluation is not None and figures.evaluation.judge != figures.runner_up
    judge = next(c for c in figures.colocated if c.role == "judge")
    assert judge.model == figures.evaluation.judge and judge.mode in {"api", "resident", "time_shared", "rented"}
    fallback = next(c for c in figures.colocated if c.role == "fallback")
    assert fallback.model == figures.runner_up


def test_an_owned_or_rented_gpu_cost_is_told_by_its_parts_not_by_tokens() -> None:
    """GPUs cost by the month: the figures' cost line for a self-hosted option names its parts (power,
    operations, rental) instead of the token counts an API bills by (a strong model read
    'USD 530.88 (11,179,286 input, 5,136,429 output tokens)' as a per-token price for owned GPUs).
    """
    f = figures_for("hospital_ko")
    owned = [c for c in f.costs[:4] if c.hosting != "api"]
    assert owned, "the hospital brief owns GPUs"
    summary = f.summary()
    for c in owned:
        line = next(ln for ln in summary.splitlines() if ln.startswith(f"Monthly cost {c.model}:"))
        assert "output tokens" not in line and all(k in line for k in c.parts)
