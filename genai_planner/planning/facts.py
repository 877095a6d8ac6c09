"""The facts a document contract is written with: the brief and the figures as named values.

`document_facts(brief, figures, decisions, language)` turns the run's brief, its computed
figures and earlier documents' decisions into:

- `values`: placeholder name -> text in the run's language ({org}, {users}, {volume},
  {model}, {model_cost} ...), used by the contract's templates;
- `lists`: name -> rows (targets, weights, scores, costs, excluded models, GPU fit) for
  sections that list or tabulate them;
- `flags`: predicate name -> bool (self_hosted, personal_data, has_budget ...), used by the
  contract's `when:` conditions.

Both engines get the same facts: the real model reads them through the resolved contract in
its prompt, the offline engine renders them. Every placeholder is documented in
`PLACEHOLDERS`; a template naming anything else is an error when the specs load.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genai_planner.core.languages import name as language_name
from genai_planner.core.yamlio import load_yaml
from genai_planner.planning import deployment_words
from genai_planner.planning.brief import Brief
from genai_planner.planning.client_plan import retention_words
from genai_planner.planning.client_terms import in_language, metric_term, output_term
from genai_planner.planning.compute import day_pattern, display_currency, is_stock, load_data, money, number, rate, usd_in
from genai_planner.planning.discovery import DISCOVERY_SHORT, discovery, thin
from genai_planner.planning.figures import Figures, GpuFit
from genai_planner.planning.io_phrases import distributive_once, inputs_phrase, one_of
from genai_planner.planning.roles import approver, is_end_customer, short_name, systems_owner, working_users
from genai_planner.planning.routes import route_data

WORDING = load_yaml(Path(__file__).parent / "data" / "wording.yaml")
LANGUAGE_NAMES: dict[str, dict[str, str]] = WORDING["language_names"]
PERIOD: dict[str, dict[str, str]] = WORDING["period"]
RESIDENCY: dict[str, dict[str, str]] = WORDING["residency"]
RESIDENCY_SHORT: dict[str, dict[str, str]] = WORDING["residency_short"]
WORDS: dict[str, dict[str, str]] = WORDING["words"]
KEY_NAMES: dict[str, dict[str, str]] = WORDING["key_names"]
KO_UNITS: dict[str, str] = WORDING["ko_units"]

PLACEHOLDERS = {
    "org": "the organisation's name",
    "users": "the user groups, joined",
    "user": "the first user group",
    "stakeholders": "every stakeholder, joined",
    "executives": "the stakeholder who plays the executive role (or 'executives')",
    "it_team": "the stakeholder who runs IT (or 'the IT team')",
    "executives_short": "the approver without the title, for a document over its word limit ('Dr. Alan Okonkwo')",
    "it_team_short": "whoever runs the systems, shortest ('the system owner')",
    "end_users": "the end users (the first user group)",
    "customers": "the end customers a customer-facing assistant answers directly ('guests'), else 'customers'",
    "inputs": "what goes in, joined",
    "input": "the first input",
    "outputs": "what comes out, joined",
    "output": "the first output",
    "domain": "the business domain",
    "summary": "the use case in one sentence",
    "volume": "the main stated volume ('1,200 complaints per day'; a day pattern in full: '95 discharges per weekday and 50 per weekend day')",
    "volume_short": "the volume's first part only, for a writer over the word limit ('95 discharges per weekday')",
    "monthly_items": "items per month, with the unit",
    "peak": "the stated peak ('3x the usual load at peak')",
    "peak_rph": "peak requests per hour (fractional when below one, never 0)",
    "peak_load": "the peak load with its unit ('480 requests per hour'; a light load also per day)",
    "concurrency": "requests in flight at the peak ('5 requests' in English, '5' in Korean)",
    "batch_load": "a batch's busiest run: its items and requests and, self-hosted, its minutes on the recommended plan (empty when interactive)",
    "availability": "replicas for availability and why, or the single point of failure and its recovery",
    "colocated": "every other model or job on the plan's GPUs (fallback, judge, rollback, fine-tuning) and where its memory comes from",
    "fine_tune_memory": "the fine-tuning job's own memory (LoRA/QLoRA at the stated sequence length)",
    "cost_parts": "the recommended model's monthly cost and the parts it is made of",
    "budget_verdict": "the recommended model's cost in the budget's currency against the budget",
    "ft_method": "LoRA or QLoRA: the fine-tuning method the memory allows",
    "baseline": "the first stated baseline ('25 minutes per summary')",
    "baselines": "every stated baseline, joined",
    "residency": "the data-residency rule in words",
    "languages": "the languages to serve, joined",
    "regulations": "the regulations that apply, joined",
    "hardware": "the organisation's stated GPUs",
    "budget": "the monthly budget",
    "latency": "the latency need in words",
    "model": "the recommended model",
    "runner_up": "the runner-up model",
    "tie_break": "when the top two totals tie: the tie and the rule that put one first",
    "model_cost": "the recommended model's monthly cost",
    "runner_up_cost": "the runner-up's monthly cost",
    "hosting": "how the recommended model is hosted",
    "gpu_plan": "GPUs, precision and memory for the recommended model",
    "context_tokens": "context tokens a request needs",
    "excluded": "excluded models with the first reason each, joined",
    "excluded_count": "how many catalog models fail a gate",
    "passed_count": "how many catalog models pass every gate",
    "key_factors": "the highest-weighted rubric categories, joined",
    "metrics": "the key metric names, joined",
    "metric": "the first key metric",
    "test_set_size": "items in the evaluation test set",
    "review_sample": "outputs sampled for human review each week",
    "figures_ref": "the source id of the planning figures, e.g. [S1]",
    "ft_examples": "labelled examples for fine-tuning",
    "refresh_index": "how often the search index is rebuilt: the data's stated rhythm, else a default ('every night', '6개월(반기)마다')",
    "refresh_examples": "how often the approved examples are refreshed: the data's stated rhythm, never more often than monthly, else a default",
    "refresh_reason": "why the refresh cadence is what it is: the stated update frequency with its quote, or that it is a default",
    "fallback_model": "the model that serves while the primary is down (the runner-up, or a model that fits beside the primary)",
    "fallback_reason": "why the fallback stands where it does, or the single point of failure and its recovery",
    "build_verdict": "the one-off build cost estimate, line by line with its assumptions, against the stated one-off build budget",
    "ft_collected": "the fine-tuning pairs collected from past records (languages with history only)",
    "ft_data": "the approved pairs the client has for fine-tuning, and what follows from them",
    "hardware_or_gpus": "the organisation's GPUs, or the GPUs the sizing needs, or the provider's service",
    "residency_short": "where data and indexes live, as a noun phrase",
    "metric_target": "the first key metric with its target",
    "route_terms": "the recommended model's hosting route and its data terms, each with its source and date",
    "hosting_terms": "the brief's hosting terms (training, retention, private endpoint, regions, provider countries) in words",
    "sources_dated": "where prices, catalog facts and exchange rates come from, with their 'as of' dates",
    "test_set_margin": "the 95% margin the test-set size gives ('about ±4.9 points at 95% confidence on a rate')",
    "test_set_reason": "how the test-set size follows from the margin wanted and the supply of real items",
    "gate_rule": "the zero-failure gate with its rule-of-three bound",
    "regression_test": "the paired test (McNemar / paired bootstrap) that gates a regression",
    "agreement": "the agreement statistic for human ratings (weighted kappa for 1-5 scales)",
    "judge_rule": "the judge model and why it may judge (at least as strong, or checked by people)",
    "automated_metrics": "the key metrics scored automatically on the test set, joined",
    "pilot_metrics": "the key metrics measured only in the pilot and production, joined",
    "release_gates": "the client's safety criteria that block a release, with their targets, joined",
    "task_archetype": "the task archetype in words ('drafting from one record')",
    "task_mode": "batch job or interactive",
    "retrieval": "what the model is given per request, following the task archetype",
    "retrieval_step": "the retrieval design as an imperative sentence start ('Fetch the one ...')",
    "caching": "the caching rule, following the task mode and data sensitivity",
    "waiting": "what happens to work beyond capacity, following the task mode",
    "rollout_first": "the first live rollout stage, sized to the number of users",
    "rollout_stages": "every rollout stage in order, joined",
    "rare_class_sample": "for a recall target on a rare class: why a random test set cannot measure it and the enriched sample that does",
    "rollout_next": "the rollout's last stage (the client's stated next step where it plans its own pilot)",
    "retention": "what the use case says is kept and for how long ('every suggestion ... for 3 years, as the use case requires')",
    "discovery": "the questions to settle first, for what a thin use case leaves unsaid (planning/discovery.py)",
    "discovery_short": "the first two questions to settle only, for a document over its word limit",
}
"""Every placeholder a contract template may use, with what it holds."""
PLACEHOLDERS.update(deployment_words.PLACEHOLDERS)  # where the model runs, the build budget


FLAGS = (
    "self_hosted", "personal_data", "has_budget", "has_hardware", "has_regulations", "has_peak", "has_baseline",
    "has_volume", "batch", "multilingual", "shortfall", "has_runner_up", "owned_gpus", "has_route_terms", "has_hosting_terms",
    "batch_job", "single_item", "has_release_gate", "has_pilot_metrics", "single_replica", "has_tie", "ft_data_short", "thin",
    *deployment_words.FLAGS,
    "digest", "customer_direct", "staff_use",
    "has_fallback", "has_build_estimate",
    "stated_pilot", "stated_retention", "rare_class",
)
"""Every condition a contract's `when:` may name (document_facts sets each one)."""


@dataclass
class Facts:
    """Placeholder values, row lists and predicates for one document."""

    values: dict[str, str]
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    key_factors: list[str] = field(default_factory=list)


def join(items: list[str], language: str) -> str:
    """'a, b and c' in English; 'a, b, c' in Korean."""
    items = [i for i in items if i]
    if not items:
        return ""
    if language == "ko" or len(items) == 1:
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def monthly(amount: str, language: str) -> str:
    """'USD 1,234 per month' / '월 USD 1,234'."""
    return f"월 {amount}" if language == "ko" else f"{amount} per month"


MAX_EXCLUDED_NAMED = 6
HEADROOM = float(load_data("hardware")["memory_headroom"])


def _excluded(excluded: list[Any], language: str) -> str:
    """The excluded models with their first reason, models that share a reason named together (a reason
    repeated six times reads as a template, not a judgement); past six models, how many more.
    """
    groups: dict[str, list[str]] = {}
    for g in excluded[:MAX_EXCLUDED_NAMED]:
        if g.reasons:
            groups.setdefault(g.reasons[0], []).append(g.model)
    if not groups:
        return WORDS[language]["none"]
    each = "모두: " if language == "ko" else "each: "
    items = [f"{join(models, language)} ({each if len(models) > 1 else ''}{reason})" for reason, models in groups.items()]
    rest = len(excluded) - MAX_EXCLUDED_NAMED
    if rest <= 0:
        return "; ".join(items) if len(items) > 1 else items[0]
    return "; ".join(items) + (f" 외 {rest}개" if language == "ko" else f"; and {rest} more")


def _volume(brief: Brief, language: str, short: bool = False) -> str | None:
    flows = [v for v in brief.volumes if not v.peak and v.per and not is_stock(v.what)]
    if not flows:
        return None
    pattern = day_pattern(flows)
    if pattern:  # '95 discharges per weekday and 50 per weekend day': the day pattern, never one daily figure
        shown = [x for x in pattern if x is not None][: 1 if short else 2]
        estimate = WORDS[language]["estimate"] if any(x.evidence.source not in {"stated", "scenario"} for x in shown) else ""
        if language == "ko":
            return ", ".join(f"{PERIOD['ko'][x.per]} {number(x.quantity)}건" for x in shown) + f"({shown[0].what}){estimate}"  # type: ignore[index]
        parts = [f"{number(x.quantity)} {x.what if i == 0 else ''} {PERIOD['en'][x.per]}".replace("  ", " ") for i, x in enumerate(shown)]  # type: ignore[index]
        return " and ".join(parts) + estimate
    v = flows[0]
    estimate = WORDS[language]["estimate"] if v.evidence.source not in {"stated", "scenario"} else ""
    if language == "ko":
        return f"{PERIOD['ko'][v.per]} {number(v.quantity)}건({v.what}){estimate}"  # type: ignore[index]
    return f"{number(v.quantity)} {v.what} {PERIOD['en'][v.per]}{estimate}"  # type: ignore[index]



def _with_cadence(volume: str, figures: Any) -> str:
    """The volume with how a cadence digest turns it into summaries ('2,000,000 alarms per day, read as 120 summaries a day ...')."""
    return f"{volume}, {figures.capacity.cadence}" if figures.capacity.cadence else volume


def _baseline(b: Any, language: str) -> str:
    if language == "ko":
        return f"{metric_term(b.metric, b.unit, language)} {number(b.value)}{KO_UNITS.get(b.unit, b.unit)}"
    return f"{b.metric} is {number(b.value)} {b.unit}".replace("  ", " ")


def _roles(brief: Brief, language: str) -> dict[str, str]:
    """The approver and whoever runs the systems, from the stakeholders the client named (`planning.roles`)."""
    org = brief.organisation.value
    executives, it_team = approver(brief.stakeholders, language), systems_owner(brief.stakeholders, org, language)
    return {
        "executives": executives,
        "it_team": it_team,
        "executives_short": short_name(executives, language, org),
        "it_team_short": short_name(it_team, language, org),
    }


def chosen_fit(figures: Figures, model: str | None) -> GpuFit | None:
    """The sizing the plan uses: the one the figures mark as chosen (the cost uses it too)."""
    fits = [g for g in figures.gpu_fit if g.model == model]
    if not fits:
        return None
    return next((g for g in fits if g.chosen), None) or min(fits, key=lambda g: (g.gpus_needed, g.total_gb))


def _count(n: int, key: str, language: str) -> str:
    """'1 replica' / '2 replicas' (wording.yaml `<key>_one` / `<key>_many`)."""
    words = WORDS[language]
    return words[f"{key}_one"] if n == 1 else words[f"{key}_many"].format(n=n)


def _gpu_plan(figures: Figures, model: str | None, hosting: str, language: str) -> str:
    """The serving plan with every memory term, so its parts add up; none for a model used through an API."""
    words = WORDS[language]
    chosen = chosen_fit(figures, model)
    cost = figures.cost_of(model) if model else None
    if chosen is None or (cost is not None and cost.hosting == "api"):
        return words["no_gpu_plan"].format(hosting=hosting)
    return words["gpu_plan"].format(
        gpus=chosen.gpus_needed,
        gpu=chosen.gpu,
        precision=chosen.precision,
        total=round(chosen.total_gb, 1),
        weights=round(chosen.weights_gb, 1),
        kv=round(chosen.kv_cache_gb, 1),
        overhead=round(chosen.overhead_gb, 1),
        sequences=chosen.sequences,
        util=chosen.utilisation,
        limit=HEADROOM,
        replicas_words=_count(chosen.replicas, "replica", language),
        gpus_total=_count(chosen.gpus_needed * chosen.replicas, "gpu", language),
    )


def _residency(brief: Brief, org: str, language: str, table: dict[str, dict[str, str]]) -> str:
    """The residency rule in words; a country the client pinned ('Vessel data must stay in New Zealand') is named,
    never 'cloud APIs are acceptable' on its own, which reads as if the data could go anywhere.
    """
    c = brief.constraints
    places = c.hosting_terms.data_stays_in
    if places and c.data_residency.value in ("cloud_ok", "unspecified"):
        names = route_data()["place_names"][language]
        where = join([str(names.get(code, code)) for code in places], language)
        return table[language]["region"].format(org=org, places=where)
    return table[language][c.data_residency.value].format(org=org)


def _peak_words(brief: Brief, language: str) -> str:
    """The peak as the client stated it: '1.4x' from '+40% in peak season' reads '40% above the usual load',
    a stated hourly count reads as that count ('150 chats an hour, as stated'), never 'no stated peak' beside it.
    """
    words = WORDS[language]
    peak = next((v for v in brief.volumes if v.peak), None)
    if peak is None:
        return words["no_peak"]
    if peak.unit in {"x", "×"}:
        if "%" in (peak.evidence.quote or "") or "percent" in (peak.evidence.quote or "").lower() or "퍼센트" in (peak.evidence.quote or ""):
            return words["peak_pct"].format(pct=number(round((peak.quantity - 1) * 100, 1)))
        return words["peak"].format(multiplier=peak.quantity)
    if peak.per:
        return words["peak_flow"]
    return words["no_peak"]


def _peak_load(figures: Figures, language: str, brief: Brief | None = None) -> str:
    """'480 requests per hour'; below one an hour, the fraction and the daily count, never '0'.

    Where one item takes several model requests (a chat of four turns), the items an hour come first, so a
    stated '150 an hour at peak' is read back as 150, with the requests it makes beside it, not as '600 an hour'.
    """
    words = WORDS[language]
    per_hour = figures.capacity.peak_requests_per_hour
    estimate = words["estimate"] if figures.capacity.estimate else ""
    items = figures.capacity.peak_items_per_hour
    if per_hour >= 1 and items >= 1 and per_hour > items * 1.01:
        flows = [v for v in (brief.volumes if brief else []) if v.per]
        what = flows[0].what if flows and language == "en" else "items"
        each = per_hour / items
        one = re.sub(r"(?<=[a-z])s$", "", what.split()[-1]) if what else "item"
        return words["peak_load_items"].format(items=rate(items), what=what, rate=rate(per_hour), each=f"{each:.2g}", one=one) + estimate
    if per_hour >= 1:
        return words["peak_load"].format(rate=rate(per_hour)) + estimate
    # A light load is told in items per day or per month, the client's own unit: '0.12 requests per hour' reads as
    # zero, and '26 a month' (requests) beside the client's '13 documents a month' reads as a contradiction.
    daily = figures.capacity.items_per_day
    if daily >= 1:
        return words["peak_load_daily"].format(rate=rate(per_hour), daily=rate(daily)) + estimate
    return words["peak_load_monthly"].format(monthly=rate(figures.capacity.items_per_month)) + estimate


def _batch_load(figures: Figures, language: str) -> str:
    """'the busiest day's batch of 182 items (364 requests, ...), which runs in about 6 minutes ...'; '' when interactive."""
    cap = figures.capacity
    if cap.batch_items <= 0:
        return ""
    words = WORDS[language]
    season = cap.season_uplift or cap.peak_multiplier  # a stated seasonal share, apart from the busy hour that batches do not use
    uplift = words["batch_uplift"].format(multiplier=f"{season:g}") if season > 1 and cap.batch_items > cap.items_per_day else ""
    values = {"items": f"{cap.batch_items:,}", "requests": f"{cap.batch_requests:,}", "uplift": uplift, "minutes": f"{max(1, math.ceil(cap.batch_minutes)):,}"}
    estimate = words["estimate"] if cap.estimate else ""
    return words["batch_load" if cap.batch_minutes > 0 else "batch_load_api"].format(**values) + estimate


def _cost_parts(cost: Any, language: str, shown: tuple[str | None, float] = (None, 1.0)) -> str:
    """'PLN 497 (USD 134) per month = rental PLN 497 (USD 134)': the total and each part in the budget's currency, USD beside."""
    words = WORDS[language]
    if cost is None:
        return ""
    names = words["part_names"]
    parts = " + ".join(f"{names.get(k, k)} {usd_in(v, *shown, language)}" for k, v in cost.parts.items())
    total = usd_in(cost.monthly_usd, *shown, language)
    return words["cost_parts"].format(total=total, parts=parts or total)


def _budget_verdict(brief: Brief, cost: Any, model: str, language: str) -> str:
    words = WORDS[language]
    budget = brief.constraints.monthly_budget
    build = brief.constraints.build_budget
    if budget is None and build is not None and cost is not None:
        local = usd_in(cost.monthly_usd, *display_currency(brief), language)
        return words["build_budget_verdict"].format(build=money(build.value.amount, build.value.currency), model=model, local=local)
    if budget is None or cost is None or cost.monthly_in_budget_currency is None or cost.budget_currency is None:
        return words["no_budget_verdict"]
    rate_ = load_data("fx")["per_usd"][cost.budget_currency]
    return words["budget_verdict"].format(
        model=model, local=money(cost.monthly_in_budget_currency, cost.budget_currency), budget=money(budget.value.amount, budget.value.currency),
        verdict=words["within"] if cost.within_budget else words["over"],
        rate_note="" if cost.budget_currency == "USD" else words["rate_note"].format(rate=f"{float(rate_):,g}", currency=cost.budget_currency),
    )


def _colocated(figures: Figures, language: str) -> str:
    words = WORDS[language]
    if not figures.colocated:
        return words["no_colocated"]
    return "; ".join(f"{words['role_names'].get(c.role, c.role)}: {c.reason}" for c in figures.colocated)


def _fine_tune_memory(figures: Figures, language: str) -> str:
    words = WORDS[language]
    ft = figures.fine_tuning
    if ft is None:
        return words["no_fine_tune_memory"]
    where = next((c.reason for c in figures.colocated if c.role == "fine_tuning"), "")
    return words["fine_tune_memory"].format(
        method=ft.method, seq=ft.sequence_tokens, total=ft.total_gb, weights=ft.weights_gb, adapters=ft.adapters_gb,
        activations=ft.activations_gb, overhead=ft.overhead_gb, gpus=ft.gpus, gpu=ft.gpu,
    ) + (f"; {where}" if where else "")


def test_set_size(figures: Figures) -> int:
    """Evaluation items: the size the figures derive from the margin wanted (`planning.shape`).

    Figures without an evaluation (older runs) keep the old rule: 1% of a month's items, at
    least 200 and at most 1,000, rounded to 50.
    """
    if figures.evaluation is not None:
        return figures.evaluation.test_set_size
    raw = figures.capacity.items_per_month * 0.01
    return int(min(1000, max(200, math.ceil(raw / 50) * 50)))


def fine_tune_examples(figures: Figures, organisation: str = "", language: str = "en", history_stated: bool = False) -> tuple[int, bool, str]:
    """Labelled examples fine-tuning asks for, sized to the client's volume (`planning.shape.fine_tune_data`).

    A tenth of a month's items, 1,000 to 5,000, but never more than the approved pairs the client
    has; a team writing 13 documents a month does not have 1,000 pairs, so the plan says few-shot
    and retrieval come first and when fine-tuning's minimum will exist.
    """
    from genai_planner.planning.shape import fine_tune_data

    return fine_tune_data(
        figures.capacity.items_per_month, test_set_size(figures), organisation, language, figures.history_languages, figures.new_languages,
        history_stated=history_stated,
    )


def ft_collected(figures: Figures, organisation: str = "", language: str = "en", history_stated: bool = False) -> int:
    """The pairs collected from past records: `fine_tune_examples` less the pairs translated for languages without history."""
    from genai_planner.planning.shape import fine_tune_data

    return fine_tune_data(figures.capacity.items_per_month, test_set_size(figures), organisation, language, history_stated=history_stated)[0]


def _judgement_values(figures: Figures, language: str) -> dict[str, str]:
    """Placeholders for the metric, evaluation, task-shape and rollout decisions (empty strings when the figures lack them)."""
    targets = figures.targets
    ev, ts, ro = figures.evaluation, figures.task_shape, figures.rollout
    gates = [f"{t.metric} ({t.target})" for t in targets if t.release_gate]
    return {
        "test_set_margin": ev.margin_text if ev else "",
        "test_set_reason": ev.size_reason if ev else "",
        "rare_class_sample": ev.rare_class_text if ev else "",
        "gate_rule": ev.gate_text if ev else "",
        "regression_test": ev.regression_text if ev else "",
        "agreement": ev.agreement_text if ev else "",
        "judge_rule": ev.judge_text if ev else "",
        # What a test set can score; pilot-only measures (time per case, adoption) need real users.
        "automated_metrics": join([t.metric for t in targets if t.measured == "test_set"], language) or WORDS[language]["no_automated_metrics"],
        "pilot_metrics": join([t.metric for t in targets if t.measured != "test_set"], language),
        "release_gates": join(gates, language),
        "tie_break": figures.tie_break,
        "task_archetype": ts.archetype_name if ts else "",
        "task_mode": (WORDS[language]["batch"] if ts.mode == "batch" else WORDS[language]["interactive"]) if ts else "",
        "retrieval": ts.retrieval if ts else "",
        # Korean leads with '요청마다' unless the step already says its own '…마다' ('먼저 녹음마다 …').
        "retrieval_step": (distributive_once("요청마다 ", ts.retrieval) if language == "ko" else ts.retrieval[:1].upper() + ts.retrieval[1:]) if ts else "",
        "caching": ts.caching if ts else "",
        "waiting": ts.waiting if ts else "",
        # The client's own pilot has no shadow stage before it: its first stage is the pilot itself.
        "rollout_first": (ro.stages[0] if ro.rule == "stated_pilot" else ro.stages[1] if len(ro.stages) > 1 else "") if ro else "",
        "rollout_stages": "; ".join(ro.stages) if ro else "",
        "rollout_next": ro.stages[-1] if ro else "",
    }


def _cost_words(cost: Any, org: str, language: str, shown: tuple[str | None, float] = (None, 1.0)) -> str:
    """A model's monthly cost in words, in the budget's currency with USD beside it; on the organisation's own GPUs there is no rental to quote."""
    if cost is None:
        return ""
    amount = usd_in(cost.monthly_usd, *shown, language)
    if cost.hosting == "owned":
        return WORDS[language]["owned_cost"].format(org=org, cost=amount)
    return monthly(amount, language)


def _gpu_name(h: Any) -> str:
    """'2 x A100 80GB' (the memory only when the accelerator's name does not carry it)."""
    memory = f" {h.memory_gb:g}GB" if h.memory_gb and f"{h.memory_gb:g}" not in h.accelerator else ""
    return f"{h.count} x {h.accelerator}{memory}"


def document_facts(brief: Brief, figures: Figures, decisions: dict[str, Any], language: str, figures_ref: str = "") -> Facts:
    """Every fact a contract template may use, in the run's language."""
    words = WORDS[language]
    c = brief.constraints
    org = brief.organisation.value
    users = [in_language(u, "users", language) for u in working_users(brief.users, brief.stakeholders, language)]  # never end customers
    inputs = [in_language(i.value, "inputs", language) for i in brief.inputs]
    outputs = [in_language(o.value, "outputs", language, output_term(list(brief.task_types))) for o in brief.outputs]
    model = decisions.get("recommended_model") or figures.recommended or ""
    runner_up = decisions.get("runner_up") or figures.runner_up or ""
    names = LANGUAGE_NAMES[language]
    hardware = join([_gpu_name(h) for h in c.hardware], language)
    cost = figures.cost_of(model) if model else None
    # Self-hosted when the residency rule demands it, or when the recommended model has no API price.
    self_hosted = c.data_residency.value in {"on_premises", "private_cloud"} or (cost is not None and cost.hosting in {"self_hosted", "owned"})
    fit = chosen_fit(figures, model)
    if self_hosted and hardware:
        hosting = words["self_hosted_on"].format(hardware=hardware)
    elif self_hosted and fit:
        hosting = words["self_hosted"].format(gpus=f"{fit.gpus_needed * fit.replicas} x {fit.gpu}")
    else:
        hosting = words["api"]
    runner_cost = figures.cost_of(runner_up) if runner_up else None
    excluded = figures.excluded()
    history_stated = bool(brief.task_shape and brief.task_shape.history_stated)
    ft = fine_tune_examples(figures, org, language, history_stated)
    shown = display_currency(brief)  # costs in the budget's currency (AED, PLN, KRW ...), USD beside them
    standby = next((x for x in figures.colocated if x.role == "fallback"), None) if model == figures.recommended else None
    values = {
        "org": org,
        "users": join(users, language),
        "user": users[0],
        "stakeholders": join([s.value for s in brief.stakeholders], language) or join(users, language),
        "end_users": users[0],
        # Who a customer-facing assistant answers directly: the end customers the brief names.
        "customers": next(
            (in_language(t.value, "users", language) for t in [*brief.users, *brief.stakeholders] if is_end_customer(t.value)),
            "customers" if language == "en" else "고객",
        ),
        "inputs": inputs_phrase(inputs, language),  # a list reads as its head plus 'related records', never pasted
        "input": one_of(inputs[0], language) if inputs else "",
        "outputs": join(outputs, language),
        "output": one_of(outputs[0], language) if outputs else "",
        "domain": brief.domain,
        "summary": brief.summary,
        "volume": _with_cadence(_volume(brief, language) or words["no_volume"].format(n=number(round(figures.capacity.items_per_month))), figures),
        "volume_short": _volume(brief, language, short=True) or words["no_volume"].format(n=number(round(figures.capacity.items_per_month))),
        # An inferred volume stays an estimate wherever its month is repeated: 'an estimated 4,500 items a month'.
        "monthly_items": (words["estimated"] if figures.capacity.estimate else "") + number(round(figures.capacity.items_per_month)),
        "peak": _peak_words(brief, language),
        "peak_rph": rate(figures.capacity.peak_requests_per_hour),
        "peak_load": _peak_load(figures, language, brief),
        "batch_load": _batch_load(figures, language),
        "concurrency": _count(figures.capacity.concurrency, "request", language),
        "availability": figures.capacity.availability_reason,
        "colocated": _colocated(figures, language) if self_hosted else WORDS[language]["no_colocated"],
        "fine_tune_memory": _fine_tune_memory(figures, language),
        "cost_parts": _cost_parts(cost, language, shown),
        "budget_verdict": _budget_verdict(brief, cost, model, language),
        "ft_method": figures.fine_tuning.method if figures.fine_tuning else "LoRA",
        "baseline": _baseline(brief.baselines[0], language) if brief.baselines else words["no_baseline"],
        "baselines": join([_baseline(b, language) for b in brief.baselines], language) or words["no_baseline"],
        "residency": _residency(brief, org, language, RESIDENCY),
        "languages": join([names.get(code) or language_name(code, language) for code in c.languages.value], language),
        "regulations": join([r.name for r in c.regulations], language) or words["no_regulation"],
        "hardware": hardware or words["no_hardware"],
        "budget": (
            monthly(money(c.monthly_budget.value.amount, c.monthly_budget.value.currency), language)
            if c.monthly_budget
            else words["build_budget_only"].format(build=money(c.build_budget.value.amount, c.build_budget.value.currency))
            if c.build_budget
            else words["no_budget"]
        ),
        "latency": words[c.latency.value if c.latency.value != "unspecified" else "unspecified_latency"],
        "model": model,
        "runner_up": runner_up,
        "model_cost": _cost_words(cost, org, language, shown),
        "runner_up_cost": _cost_words(runner_cost, org, language, shown),
        "hosting": hosting,
        "gpu_plan": _gpu_plan(figures, model, hosting, language),
        "context_tokens": number(figures.capacity.context_tokens),
        "excluded": _excluded(excluded, language),
        "excluded_count": str(len(excluded)),
        "passed_count": str(len(figures.scores)),
        "key_factors": join([KEY_NAMES[language].get(k, k) for k in figures.key_factors], language),
        "metrics": join([t.metric for t in figures.targets], language),
        "metric": figures.targets[0].metric if figures.targets else "",
        "test_set_size": number(test_set_size(figures)),
        "review_sample": str(max(20, min(100, test_set_size(figures) // 10))),
        "figures_ref": figures_ref,
        "fallback_model": standby.model if standby is not None and self_hosted else (runner_up or ""),
        "fallback_reason": standby.reason if standby is not None and self_hosted else "",
        "build_verdict": figures.build.verdict if figures.build else "",
        "ft_examples": number(ft[0]),
        "refresh_index": figures.task_shape.refresh_index if figures.task_shape else "",
        "refresh_examples": figures.task_shape.refresh_examples if figures.task_shape else "",
        "refresh_reason": figures.task_shape.refresh_reason if figures.task_shape else "",
        "ft_collected": number(ft_collected(figures, org, language, history_stated)),
        "ft_data": ft[2],
        "hardware_or_gpus": hardware or (f"{fit.gpus_needed * fit.replicas} x {fit.gpu}" if fit and self_hosted else words["provider_infra"]),
        "residency_short": _residency(brief, org, language, RESIDENCY_SHORT),
        "metric_target": f"{figures.targets[0].metric} ({figures.targets[0].target})" if figures.targets else "",
        "route_terms": route.terms if (route := figures.route_of(model)) else "",
        "hosting_terms": figures.hosting_terms,
        "sources_dated": figures.sources_dated,
    }
    values.update(_roles(brief, language))
    values.update(_judgement_values(figures, language))
    values["retention"] = retention_words(brief.retention, language)
    place_values, place_flags = deployment_words.extra_facts(brief, figures, values, self_hosted, language)
    values.update(place_values)
    brief_dict = brief.model_dump(mode="json")
    values["discovery"] = discovery(brief_dict, values, language)
    values["discovery_short"] = discovery(brief_dict, values, language, first=DISCOVERY_SHORT)
    lists = {
        "targets": [t.model_dump() for t in figures.targets],
        "weights": [w.model_dump() for w in figures.weights],
        "scores": [{**s.model_dump(), "monthly_usd": row.monthly_usd if (row := figures.cost_of(s.model)) else None} for s in figures.scores],
        "costs": [c_.model_dump() for c_ in figures.costs if any(s.model == c_.model for s in figures.scores)],
        "excluded": [g.model_dump() for g in excluded],
        "gpu_fit": [g.model_dump() for g in figures.gpu_fit],
        "assumptions": [a.model_dump() for a in figures.assumptions],
    }
    flags = {
        "self_hosted": self_hosted,
        "personal_data": brief.data_sensitivity.personal_data or brief.data_sensitivity.value == "high",
        "has_budget": c.monthly_budget is not None,
        "has_hardware": bool(c.hardware),
        "has_regulations": bool(c.regulations),
        "has_peak": any(v.peak for v in brief.volumes),
        "has_baseline": bool(brief.baselines),
        "has_volume": _volume(brief, language) is not None,
        "batch": c.latency.value == "batch",
        "multilingual": len(c.languages.value) > 1,
        "shortfall": figures.runner_up is None,
        "has_runner_up": bool(runner_up),
        "has_build_estimate": figures.build is not None,
        "has_fallback": bool(values["fallback_model"]) and not (standby is not None and standby.mode == "none"),
        "ft_data_short": not ft[1],
        "has_tie": bool(figures.tie_break) and model == figures.recommended and runner_up == figures.runner_up,
        "owned_gpus": cost is not None and cost.hosting == "owned",
        "has_route_terms": bool(values["route_terms"]),
        "has_hosting_terms": bool(figures.hosting_terms),
        "batch_job": figures.task_shape.mode == "batch" if figures.task_shape else c.latency.value == "batch",
        "single_item": bool(figures.task_shape and figures.task_shape.single_item),
        # Many entries of a period into one summary per group: every entry is read, so no passages to split or rank.
        "digest": bool(figures.task_shape and figures.task_shape.archetype == "digest"),
        # Who receives the output: the end customer directly (with a hand-off), or staff who use it; else staff approve each one.
        "customer_direct": bool(brief.task_shape and brief.task_shape.audience == "customer_direct"),
        "staff_use": bool(brief.task_shape and brief.task_shape.audience == "staff_use"),
        # One self-hosted replica (a batch's plan): nothing to balance across, the queue feeds continuous batching.
        "single_replica": self_hosted and fit is not None and fit.replicas == 1 and (cost is None or cost.hosting != "api"),
        "has_release_gate": any(t.release_gate for t in figures.targets),
        "has_pilot_metrics": any(t.measured != "test_set" for t in figures.targets),
        "thin": thin(brief_dict),
        # The client's own pilot and retention replace the default rollout and retention lines (planning/client_plan.py).
        "stated_pilot": bool(figures.rollout and figures.rollout.rule == "stated_pilot"),
        "stated_retention": brief.retention is not None,
        "rare_class": bool(figures.evaluation and figures.evaluation.rare_class_text),
        **place_flags,
    }
    return Facts(values=values, lists=lists, flags=flags, key_factors=list(figures.key_factors))
