"""Compute the planning figures: gates, weights, scores, cost, capacity and targets.

`compute_figures(brief, catalog, language)` is a pure function of the brief, the model catalog
and the run's language; every engine and every check read the same result. The rules live in
data files under `genai_planner/planning/data/`, each of which states its rule in full; this
module only applies them. In brief:

1. **Workload** (`workload.yaml`). Items per month come from the brief's first flow volume
   ('per day' counts 30 days, or 21 working days in office-hours sectors; 'per hour' also
   counts the sector's active hours). No volume: an assumed 1,000 items a day, said so in the
   assumptions. Tokens per item come from a per-task-type table; an item incurs every task
   type of the brief (a chat subsumes question answering). The context a request needs is the
   largest request among them. Peak requests per hour = items per active hour x the stated
   peak multiplier (default 2) x requests per item; requests in flight follow Little's law
   with each request's time from its output tokens at 30 tokens/s plus 0.5 s to read it.
2. **GPU fit** (`hardware.yaml`). One replica needs weights (parameters x 2 / 1 / 0.5 bytes at
   BF16 / FP8 / INT4) + KV cache (tokens in flight x layers x KV values per layer x 2 bytes,
   from the catalog's architecture facts) + 10% of the weights; GPUs per replica is the
   smallest power of two whose memory holds it. On the organisation's own GPUs the plan uses
   the highest precision that fits (no rental cost); otherwise FP8 on the cheapest rented GPU
   from the price table.
3. **Cost**. Monthly API cost = tokens x catalog prices; self-hosting = GPUs x replicas x
   USD per GPU-hour x 730 hours. The figure compared with the budget is the cheapest option
   the residency rule and the licence allow. Budgets in other currencies convert with `fx.yaml`.
4. **Gates**, every catalog model: residency (on-premises / private cloud need open weights
   that can be self-hosted), every required language (official or claimed in the model card,
   `core/languages.py`), a hosting route that meets the brief's data terms (`routes.py`: the
   priced path, API or self-hosted, must have one), a licence that permits commercial use
   (through the API only where an API is allowed), a context window that holds the largest
   request, and a monthly cost within the budget. Fewer than two passing: `shortfall` says why.
5. **Weights** (`weights.yaml`): base weights plus the deltas of every rule the brief meets,
   floored, scaled to integers summing to 100. Key factors: the two highest weights.
6. **Scores** (`scoring.yaml`), 1-5 per category from catalog facts and the brief; total =
   sum(score x weight) / 100, rounded to 2 decimals; ranking by total, then the top key
   factor's score, then the lower monthly cost, then the name. Recommended = first, runner-up =
   second.
7. **Targets** (`targets.yaml`, applied by `targets.py`): the client's stated success criteria
   first, then stated baselines, then the task types' defaults; each with its direction, origin,
   where it is measured (test set or pilot) and whether it is a release gate.
8. **Task shape, evaluation statistics, rollout** (`shape.yaml`, applied by `shape.py`).

Every user-facing string (reasons, assumptions, metric names) comes from `text.yaml`,
`rubric.yaml` and `targets.yaml` in the run's language (en or ko).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from genai_planner.core import languages as language_names
from genai_planner.core import regex_cache
from genai_planner.core.yamlio import load_yaml
from genai_planner.planning import capacity as capacity_rules
from genai_planner.planning import peaks, routes
from genai_planner.planning.brief import Brief, Evidence, Hardware, Volume
from genai_planner.planning.figures import (
    CATEGORIES,
    Assumption,
    Capacity,
    Colocated,
    Cost,
    Figures,
    FineTuning,
    Gate,
    GpuFit,
    HostingRoute,
    Score,
    Weight,
)
from genai_planner.planning.model_facts import catalog_assumptions, language_tier_note, sources_dated

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("en", "ko")
RESTRICTED = ("on_premises", "private_cloud")
"""Residency values under which only self-hosted open weights qualify."""

HANGUL_RE = regex_cache.compile(r"[\uac00-\ud7a3]")


@cache
def load_data(name: str) -> dict[str, Any]:
    """One data file of `genai_planner/planning/data/` (parsed once)."""
    return load_yaml(DATA_DIR / f"{name}.yaml")


def category_name(category: str, language: str) -> str:
    """A rubric category's display name in `language` (`rubric.yaml`)."""
    return load_data("rubric")["categories"][category]["name"][language]


def category_of(label: str, language: str | None = None) -> str | None:
    """The rubric category a label names ('Privacy and hosting' -> 'privacy'), or None.

    An exact display name wins; otherwise the first category (in CATEGORIES order) one of
    whose aliases the label contains.
    """
    cleaned = re.sub(r"[*_`]", "", label).strip().lower()
    cats = load_data("rubric")["categories"]
    languages = [language] if language else list(LANGUAGES)
    for key in CATEGORIES:
        if any(cleaned == cats[key]["name"][lang].lower() for lang in languages):
            return key
    for key in CATEGORIES:
        if any(alias.lower() in cleaned for lang in languages for alias in cats[key]["aliases"][lang]):
            return key
    return None


# ----------------------------------------------------------------------------- formatting


class _Text:
    """The run's strings (`text.yaml`), looked up by dotted key and formatted."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        self.language = language
        self.table: dict[str, Any] = load_data("text")[language]

    def raw(self, key: str) -> Any:
        node: Any = self.table
        for part in key.split("."):
            node = node[part]
        return node

    def __call__(self, key: str, **values: Any) -> str:
        return str(self.raw(key)).format(**values)

    def join(self, items: Sequence[str]) -> str:
        return str(self.table["join"]).join(i for i in items if i)

    def evidence(self, evidence: Evidence | None) -> str:
        if evidence is None:
            return self.raw("evidence.default")
        if evidence.source == "stated" and evidence.quote:
            quote = evidence.quote.strip()
            quote = quote if len(quote) <= 60 else quote[:57].rstrip() + "..."
            return self("evidence.stated", quote=quote)
        return self.raw(f"evidence.{evidence.source}")

    def languages(self, codes: Sequence[str]) -> str:
        names = self.raw("languages")
        return self.join([names.get(code) or language_names.name(code, self.language) for code in codes])

    def assumption(self, key: str, **values: Any) -> Assumption:
        entry = self.raw(f"assumption.{key}")
        return Assumption(name=entry["name"].format(**values), value=entry["value"].format(**values), reason=entry["reason"].format(**values))


def usd(amount: float) -> str:
    """'USD 1,234' (whole dollars from 100 up), 'USD 12.50' below."""
    return money(amount, "USD")


def money(amount: float, currency: str) -> str:
    """An amount with its ISO currency code: 'KRW 5,000,000', 'USD 12.50'."""
    return f"{currency} {amount:,.0f}" if abs(amount) >= 100 else f"{currency} {amount:,.2f}"


def display_currency(brief: Brief) -> tuple[str | None, float]:
    """The currency the client's budget is in (the monthly one, else the one-off) and its units per USD (`fx.yaml`).

    (None, 1.0) when the budget is in USD, its currency is not in the table, or there is no budget:
    costs are then shown in USD alone.
    """
    for budget in (brief.constraints.monthly_budget, brief.constraints.build_budget):
        if budget is not None:
            currency = budget.value.currency.upper()
            rate = load_data("fx")["per_usd"].get(currency)
            return (currency, float(rate)) if rate is not None and currency != "USD" else (None, 1.0)
    return None, 1.0


def usd_in(amount_usd: float, currency: str | None, per_usd: float, language: str = "en") -> str:
    """'PLN 1,923 (USD 518)': a USD cost in the client's budget currency first, USD beside it; 'USD 518' for a USD budget.

    A reader whose budget is in AED or KRW compares costs in that currency; the one rate table converts.
    """
    if not currency:
        return usd(amount_usd)
    return f"{money(amount_usd * per_usd, currency)}{'' if language == 'ko' else ' '}({usd(amount_usd)})"


def number(value: float) -> str:
    """1200 -> '1,200'; 12.5 -> '12.5'; 6.25 -> '6.3'."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def with_unit(value: float, unit: str, language: str) -> str:
    """'25 minutes', '25분', '80%': the unit in the run's language (`targets.yaml` unit_words)."""
    unit = unit.strip()
    unit = str(load_data("targets")["unit_words"][language].get(unit.lower(), unit))
    if not unit:
        return number(value)
    if unit.startswith("%") or (language == "ko" and HANGUL_RE.match(unit)):
        return f"{number(value)}{unit}"
    return f"{number(value)} {unit}"


# ----------------------------------------------------------------------------- workload


def is_season_uplift(volume: Volume) -> bool:
    """A peak stated as a share added in a season ('up 30% in the autumn season', '연말에 30% 늘어남'), not an hourly multiplier."""
    return volume.peak and volume.unit == "x" and bool(re.search(r"%|percent|per cent|퍼센트|프로", volume.evidence.quote or ""))


@dataclass
class Workload:
    """The load the brief implies, with the numbers the other rules read."""

    items_per_month: float
    days_per_month: int
    active_hours: int
    peak_multiplier: float
    tasks: list[str]
    input_tokens: int
    output_tokens: int
    requests_per_item: int
    context_tokens: int
    seconds_per_request: float
    peak_requests_per_hour: float
    concurrency: int
    assumptions: list[Assumption] = field(default_factory=list)
    items_per_day: float = 0.0
    estimate: bool = False
    min_replicas: int = 1
    availability: Assumption | None = None
    batch: bool = False
    season_uplift: float = 0.0
    """A stated seasonal share ('+30% in the autumn season': 1.3) apart from the busy hour; 0 when none is stated."""
    cadence: str = ""
    """For a digest made on a cadence: how the records become summaries ('read as 120 summaries a day ...'); '' otherwise."""

    @property
    def peak_items_per_hour(self) -> float:
        """Items in the busiest hour of the busiest kind of day (at most that day's items: the multiplier is capped at the active hours)."""
        return self.items_per_day / self.active_hours * self.peak_multiplier

    @property
    def decode_tokens_per_s(self) -> float:
        """Output tokens per second at the peak."""
        return self.peak_requests_per_hour * self.output_tokens / self.requests_per_item / 3600

    @property
    def prefill_tokens_per_s(self) -> float:
        """Prompt tokens per second at the peak."""
        return self.peak_requests_per_hour * self.input_tokens / self.requests_per_item / 3600


def is_stock(what: str) -> bool:
    """A count of things that exist (products, pages, tables, staff) rather than work that arrives (`workload.yaml` stock_words)."""
    lowered = what.lower()
    cfg = load_data("workload")
    stock = any(w in lowered for lang in LANGUAGES for w in cfg["stock_words"][lang])
    return stock and not any(w in lowered for lang in LANGUAGES for w in cfg[f"flow_{lang}"])


def day_pattern(flows: Sequence[Volume]) -> tuple[Volume | None, Volume | None] | None:
    """(per-weekday, per-weekend-day) volumes when the brief gives its load by kind of day, else None.

    '95 discharges on a weekday, 50 on a weekend day' is one load with a day pattern, not 95 a day.
    """
    weekday = next((v for v in flows if v.per == "weekday"), None)
    weekend = next((v for v in flows if v.per == "weekend_day"), None)
    return (weekday, weekend) if weekday or weekend else None


def pattern_month(weekday: float, weekend: float, days: float) -> tuple[float, float, float]:
    """(items a month, weekdays, weekend days): 5/7 and 2/7 of the month's days.

    95 a weekday and 50 a weekend day over 30 days: 95 x 21.43 + 50 x 8.57 = 2,464.3, not 95 x 30 = 2,850.
    """
    weekdays, weekend_days = days * 5 / 7, days * 2 / 7
    return weekday * weekdays + weekend * weekend_days, weekdays, weekend_days


def _flow(value: float) -> float:
    """A flow for the figures: one decimal from 1 up, three significant digits below (0.0619, never 0)."""
    return round(value, 1) if value >= 1 else float(f"{value:.3g}")


def in_flight(mean: float) -> int:
    """Requests in flight to plan for: Little's law's mean plus three standard deviations of Poisson arrivals.

    With continuous batching the replica serves whatever overlaps; bursts, not the mean, set the
    batch. A mean of 1.3 plans for 5 (1.3 + 3 x 1.14 = 4.7); a mean of 0.05 for 1.
    """
    return max(1, math.ceil(round(mean + 3 * math.sqrt(max(mean, 0.0)), 6)))


def rate(value: float) -> str:
    """A rate with the digits it needs: 480 -> '480'; 0.12 -> '0.12'; never '0' for a load above zero."""
    if value <= 0:
        return "0"
    if value >= 10:
        return f"{value:,.0f}"
    if value >= 1:
        return number(value)
    return f"{value:.2g}"


def compute_workload(brief: Brief, language: str) -> Workload:
    """Items per month, tokens per item, context per request and the peak load (`workload.yaml`)."""
    cfg = load_data("workload")
    text = _Text(language)
    notes: list[Assumption] = []
    sector = brief.sector.value
    sector_name = text.raw("sectors").get(sector, sector)
    working = sector in cfg["working_day_sectors"]
    days = int(cfg["working_days_per_month"] if working else cfg["days_per_month"])
    hours = int(cfg["active_hours_by_sector"].get(sector, cfg["active_hours_per_day"]))
    period_names = text.raw("periods")

    flows = [v for v in brief.volumes if not v.peak and v.per]
    for stock in [v for v in flows if is_stock(v.what)]:
        notes.append(text.assumption("stock", quantity=number(stock.quantity), what=stock.what))
    flows = [v for v in flows if not is_stock(v.what)]
    pattern = day_pattern(flows)
    busiest: float | None = None
    if pattern:
        # A load given by kind of day: every day of the month counts, each at its own rate.
        days = int(cfg["days_per_month"])
        for v in (x for x in pattern if x is not None):
            notes.append(text.assumption("volume", quantity=number(v.quantity), what=v.what, per=period_names[str(v.per)], evidence=text.evidence(v.evidence)))
        weekday, weekend = (v.quantity if v is not None else 0.0 for v in pattern)
        quantity, weekdays, weekend_days = pattern_month(weekday, weekend, days)
        per, busiest = "month", max(weekday, weekend)
        estimate = any(v.evidence.source not in {"stated", "scenario"} for v in pattern if v is not None)
    elif flows:
        volume = flows[0]
        quantity, per = volume.quantity, str(volume.per)
        estimate = volume.evidence.source not in {"stated", "scenario"}
        notes.append(text.assumption("volume", quantity=number(quantity), what=volume.what, per=period_names[per], evidence=text.evidence(volume.evidence)))
    elif (hourly := peaks.hourly_count_peak(brief.volumes)) is not None:
        # Only the busiest hour is stated ('about 40 conversations an hour at peak'): the day follows from it at the
        # default peak multiple, so the plan's busiest hour is the client's, not an assumed monthly volume's.
        quantity, per = hourly.quantity * hours / float(cfg["default_peak_multiplier"]), "day"
        estimate = True
        notes.append(text.assumption("volume_from_peak", quantity=number(quantity), peak=number(hourly.quantity), hours=hours,
                                     default=f"{float(cfg['default_peak_multiplier']):g}", evidence=text.evidence(hourly.evidence)))
    else:
        quantity, per = float(cfg["default_volume"]["quantity"]), str(cfg["default_volume"]["per"])
        estimate = True
        notes.append(text.assumption("volume_default", quantity=number(quantity), per=period_names[per]))
    weeks = float(cfg["weeks_per_month"])
    per_month = {"hour": quantity * hours * days, "day": quantity * days, "week": quantity * weeks, "month": quantity, "year": quantity / 12}[per]
    if pattern:
        how = text(
            "assumption.how_pattern",
            weekday=number(weekday), weekend=number(weekend), weekdays=f"{weekdays:.1f}", weekend_days=f"{weekend_days:.1f}", days=days,
        )
        notes.append(text.assumption("items_per_month", items=number(per_month), how=how))
        why = text("assumption.days_pattern", weekdays=f"{weekdays:.1f}", weekend_days=f"{weekend_days:.1f}", busiest=number(busiest or 0))
        notes.append(text.assumption("days", days=days, why=why))
    else:
        how = text(f"assumption.how_{per}", quantity=number(quantity), hours=hours, days=days, weeks=f"{weeks:g}")
        notes.append(text.assumption("items_per_month", items=number(per_month), how=how))
    if per in {"hour", "day"}:
        why = text("assumption.days_working", sector=sector_name, days=days) if working else text("assumption.days_calendar")
        notes.append(text.assumption("days", days=days, why=why))
    notes.append(text.assumption("active_hours", hours=hours, sector=sector_name))

    items_per_day = busiest if busiest is not None else per_month / days
    mean_per_hour = items_per_day / hours
    multiplier, peak_why = float(cfg["default_peak_multiplier"]), text("assumption.peak_default")
    season_uplift = 0.0
    # A count of the busiest hour is what the plan sizes on when the client gives one beside a multiple.
    peak = peaks.hourly_count_peak(brief.volumes) or next((v for v in brief.volumes if v.peak), None)
    if peak is not None:
        if peak.per is None or peak.unit.strip().lower() in {"x", "×", "times", "배"}:
            stated = peak.quantity
        else:
            period_hours = {
                "hour": 1.0, "day": hours, "weekday": hours, "weekend_day": hours,
                "week": days / weeks * hours, "month": days * hours, "year": 12 * days * hours,
            }[peak.per]
            peak_per_hour = peak.quantity / period_hours
            stated = peak_per_hour / mean_per_hour if mean_per_hour else 1.0
        multiplier = max(1.0, round(stated, 2))
        peak_why = text("assumption.peak_stated", multiplier=multiplier, evidence=text.evidence(peak.evidence))
        if is_season_uplift(peak):
            # '+30% in the autumn season' makes the season's days 1.3x; the busy hour of such a day still
            # carries the assumed hourly peak: 2 x 1.3 = 2.6 for interactive work. A batch queues the whole
            # day at once, so its run is sized on the day's items x 1.3 alone (`batch_night`).
            season_uplift = multiplier
            multiplier = round(float(cfg["default_peak_multiplier"]) * season_uplift, 2)
            peak_why = text("assumption.peak_season", uplift=f"{season_uplift:g}", multiplier=f"{multiplier:g}",
                            default=f"{float(cfg['default_peak_multiplier']):g}", evidence=text.evidence(peak.evidence))
        elif peak.per == "hour" and (share := peaks.season_share(brief.volumes, besides=peak)) is not None:
            # '40 an hour at peak' and 'December is 35% busier': the season's busiest hour, 40 x 1.35 (`peaks`).
            season_uplift = share
            multiplier = max(1.0, round(max(peaks.peak_hour_counts(brief.volumes)) / mean_per_hour, 2)) if mean_per_hour else multiplier
            peak_why = text("assumption.peak_count_season", peak=number(peak.quantity), uplift=f"{share:g}",
                            season_peak=number(max(peaks.peak_hour_counts(brief.volumes))), multiplier=f"{multiplier:g}")
    # A busy hour never carries more than a whole active day's items.
    if multiplier > hours:
        notes.append(text.assumption("peak_capped", multiplier=f"{multiplier:g}", hours=hours))
        multiplier = float(hours)
    notes.append(text.assumption("peak", multiplier=multiplier, why=peak_why))

    table = cfg["tasks"]
    # A summary made on a cadence is one request per summary, its period's records being the input (`planning/cadence.py`).
    digest = _digest_load(
        brief, language, table, flows or pattern or [], items_per_day, peak, int(cfg["days_per_month"]), hours, float(cfg["default_peak_multiplier"])
    )
    if digest is not None:
        replaced = {text.raw(f"assumption.{k}")["name"] for k in ("items_per_month", "peak", "peak_capped", "days", "active_hours")}
        notes = [n for n in notes if n.name not in replaced] + digest.notes
        items_per_day, days, hours, multiplier, season_uplift = digest.per_day, digest.days, digest.hours, digest.multiplier, 0.0
        per_month, mean_per_hour = items_per_day * days, items_per_day / hours
        table = {**table, "summarisation": digest.row}
    tasks = [t for t in dict.fromkeys(brief.task_types) if t in table]
    if digest is not None:
        tasks = ["summarisation", *[t for t in tasks if t != "summarisation"]]
    if not tasks:
        tasks = [cfg["default_task"]]
        notes.append(text.assumption("task_default", task=text.raw("tasks")[tasks[0]]))
    for task in list(tasks):
        for covered in table[task].get("subsumes", []):
            if covered in tasks:
                tasks.remove(covered)
                notes.append(text.assumption("subsumed", task=text.raw("tasks")[covered], by=text.raw("tasks")[task]))
    for task in tasks:
        row = table[task]
        notes.append(
            text.assumption(
                "tokens",
                task=text.raw("tasks")[task],
                input=row["input_tokens"],
                output=row["output_tokens"],
                requests=row["requests"],
                context=row["context_tokens"],
                why=row["reason"][language],
            )
        )
    input_tokens = sum(int(table[t]["input_tokens"]) for t in tasks)
    output_tokens = sum(int(table[t]["output_tokens"]) for t in tasks)
    requests = sum(int(table[t]["requests"]) for t in tasks)
    # The largest single request, never smaller than what the cost counts per request of a task.
    per_request = {t: math.ceil((int(table[t]["input_tokens"]) + int(table[t]["output_tokens"])) / int(table[t]["requests"])) for t in tasks}
    context = max(max(int(table[t]["context_tokens"]), per_request[t]) for t in tasks)
    # One record in, one output out (a discharge summary from one chart): the model reads the whole record in one
    # request, so the context holds every single-turn task's tokens of the item together, not the largest alone.
    from genai_planner.planning.shape import _cfg as shape_cfg
    from genai_planner.planning.shape import task_shape_fact

    shape = brief.task_shape or task_shape_fact(brief, language)
    single_turn = [t for t in tasks if int(table[t]["requests"]) == 1]
    whole = sum(int(table[t]["input_tokens"]) + int(table[t]["output_tokens"]) for t in single_turn)
    if shape.archetype in shape_cfg()["single_item"] and len(single_turn) > 1 and whole > context:
        context = whole
        notes.append(text.assumption(
            "context_record", tokens=context, input=sum(int(table[t]["input_tokens"]) for t in single_turn),
            output=sum(int(table[t]["output_tokens"]) for t in single_turn), cost_in=input_tokens, cost_out=output_tokens,
        ))
    else:
        notes.append(text.assumption("context", tokens=context, input=input_tokens, output=output_tokens, requests=requests))

    tps, prefill = float(cfg["decode_tokens_per_second"]), float(cfg["prefill_seconds"])
    busy = sum(int(table[t]["requests"]) * (int(table[t]["output_tokens"]) / int(table[t]["requests"]) / tps + prefill) for t in tasks)
    seconds = busy / requests
    notes.append(text.assumption("request_time", seconds=seconds, tps=f"{tps:g}", prefill=f"{prefill:g}"))
    peak_rph = mean_per_hour * multiplier * requests
    hw = load_data("hardware")
    latency = brief.constraints.latency.value
    batch = latency in hw["availability"]["single_latency"]
    day_requests = items_per_day * requests
    floor, cap = int(hw["min_batch_sequences"]), int(hw["max_sequences_per_replica"])
    if batch:
        # A batch queues the day's requests at once: continuous batching runs as many as the KV cache holds.
        concurrency = max(1, min(cap, math.ceil(round(day_requests, 6))))
        notes.append(text.assumption("concurrency_batch", concurrency=concurrency, requests=rate(day_requests), floor=floor))
    else:
        concurrency = in_flight(peak_rph * seconds / 3600)
        notes.append(text.assumption("concurrency", concurrency=concurrency, rph=rate(peak_rph), seconds=seconds, mean=f"{peak_rph * seconds / 3600:.2g}"))

    # Availability: failover (two replicas) where people wait or work stops; a batch reruns on one replica, stated.
    if capacity_rules.needs_failover(hw, latency, sector):
        failover = True
        interactive = latency in hw["availability"]["failover_latency"]
        why = text("assumption.failover_interactive") if interactive else text("assumption.failover_sector", sector=sector_name)
        availability = text.assumption("failover", n=hw["availability"]["failover_replicas"], why=why)
    elif batch:
        failover = False
        # The rerun's length at the batch every replica's KV cache is guaranteed to hold (the floor): an upper bound.
        at_once = min(floor, concurrency)
        minutes = capacity_rules.batch_minutes(day_requests, seconds, at_once)
        availability = text.assumption("single_rerun", requests=rate(day_requests), minutes=max(1, math.ceil(minutes)), in_flight=at_once)
    else:
        failover = False
        availability = text.assumption("single", why=text("assumption.single_batch"))
    notes.append(availability)
    return Workload(
        items_per_month=per_month,
        days_per_month=days,
        active_hours=hours,
        peak_multiplier=multiplier,
        season_uplift=season_uplift,
        tasks=tasks,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        requests_per_item=requests,
        context_tokens=context,
        seconds_per_request=seconds,
        peak_requests_per_hour=peak_rph,
        concurrency=concurrency,
        assumptions=notes,
        items_per_day=items_per_day,
        estimate=estimate,
        min_replicas=int(hw["availability"]["failover_replicas"]) if failover else 1,
        availability=availability,
        batch=batch,
        cadence=digest.basis if digest is not None else "",
    )


def _digest_load(
    brief: Brief, language: str, table: dict[str, Any], flows: Sequence[Any], records_per_day: float, peak: Volume | None,
    days: int, hours: int, multiplier: float,
) -> Any:
    """The cadence digest's load (`cadence.digest_load`), or None when the task is no digest made on a stated cadence."""
    from genai_planner.planning import cadence as cadence_rules
    from genai_planner.planning.shape import task_shape_fact

    shape = brief.task_shape or task_shape_fact(brief, language)
    found = cadence_rules.read_cadence(shape.cadence or "") if shape.archetype == "digest" else None
    if found is None or "summarisation" not in table:
        return None
    if shape.on_demand:
        found = cadence_rules.Cadence(found.per_day, found.phrase, found.around_the_clock, True, found.shifts_assumed, found.minutes)
    stated = next((v for v in flows if v is not None), None)
    per_hour = None
    if peak is not None and peak.per in ("hour", "day") and peak.unit.strip().lower() not in {"x", "×", "times", "배"}:
        per = _Text(language).raw("periods")[str(peak.per)]
        said = f"{per}당 {number(peak.quantity)}건({peak.what})" if language == "ko" else f"{number(peak.quantity)} {peak.what} per {per}"
        per_hour = (peak.quantity if peak.per == "hour" else peak.quantity / 24, said)
    group = shape.group or ""
    return cadence_rules.digest_load(
        found, dict(table["summarisation"]), language,
        records_per_day=records_per_day if stated is not None else None, what=stated.what if stated is not None else "",
        groups=(group, cadence_rules.group_count(group, brief.volumes)), peak=per_hour,
        days=days, sector_hours=hours, default_multiplier=multiplier,
    )


def batch_night(brief: Brief, workload: Workload, in_flight: int) -> tuple[int, float]:
    """(items, minutes): the busiest night's batch and how long it runs on a plan holding `in_flight` requests at once.

    A batch is sized by whether its busiest run finishes before the deadline, not by requests an hour:
    the busiest day's items times the seasonal uplift the use case states (no assumed hourly peak:
    the whole day's items are queued at once anyway). 140 on a weekend day +30% in the holidays =
    182 items; x 2 requests, 16 at a time, 30 s each: 12 waves = 6 minutes. (0, 0) when interactive;
    minutes 0 when no self-hosted plan runs it (an API's throughput is the provider's).
    """
    # The documents' batch lines follow the task shape's mode; it is a batch whenever the latency says so too.
    from genai_planner.planning.shape import task_shape_fact

    if not workload.batch and (brief.task_shape or task_shape_fact(brief, "en")).mode != "batch":
        return 0, 0.0
    if workload.cadence:
        uplift = 1.0  # a cadence makes the same summaries on a busy day; a stated peak of records grows each one's input
    elif workload.season_uplift:
        uplift = workload.season_uplift  # '+30% in the season': the busiest day's items x 1.3, not the hourly peak
    else:
        uplift = workload.peak_multiplier if any(v.peak for v in brief.volumes) else 1.0
    items = math.ceil(round(workload.items_per_day * uplift, 6))
    if in_flight <= 0:
        return items, 0.0
    minutes = capacity_rules.batch_minutes(items * workload.requests_per_item, workload.seconds_per_request, in_flight)
    return items, float(max(1, math.ceil(round(minutes, 9))))  # whole minutes, as the rerun line rounds them


# ----------------------------------------------------------------------------- GPU sizing


def weights_gb(parameters_b: float, precision: str) -> float:
    """Weights memory in GB: billions of parameters x bytes per parameter at `precision`."""
    return parameters_b * float(load_data("hardware")["precisions"][precision])


def kv_values_per_token(model: dict[str, Any]) -> float:
    """KV-cache values one token adds across all layers (architecture facts, else per-parameter estimate)."""
    arch = model.get("architecture") or {}
    if arch.get("layers") and (arch.get("kv_dim_per_layer") or (arch.get("kv_heads") and arch.get("head_dim"))):
        per_layer = arch.get("kv_dim_per_layer") or 2 * arch["kv_heads"] * arch["head_dim"]
        return float(arch["layers"] * per_layer)
    return float(model.get("parameters_b") or 0) * float(load_data("hardware")["kv_values_per_token_per_b"])


def kv_cache_gb(model: dict[str, Any], tokens: int) -> float:
    """KV cache in GB for `tokens` tokens in flight (16-bit values)."""
    return tokens * kv_values_per_token(model) * float(load_data("hardware")["kv_bytes"]) / 1e9


def kv_sequence_gb(model: dict[str, Any], context_tokens: int) -> float:
    """KV cache in GB for one request of `context_tokens` tokens (16-bit values).

    Layers with a sliding window (Gemma 2 and 3: all but every `global_every`-th layer) cache at most
    `sliding_window` tokens, whatever the context: counting them at the full context overstated Gemma 3
    27B's cache about fourfold at 8k tokens (4.2 GB against 1.1 GB a request), enough to push a 27B model
    at BF16 off one 80 GB GPU.
    """
    arch = model.get("architecture") or {}
    window, every = arch.get("sliding_window"), arch.get("global_every")
    if not (window and every and arch.get("layers")) or context_tokens <= int(window):
        return kv_cache_gb(model, context_tokens)
    layers = int(arch["layers"])
    full = layers // int(every)
    per_layer = kv_values_per_token(model) / layers
    values = per_layer * (full * context_tokens + (layers - full) * int(window))
    return values * float(load_data("hardware")["kv_bytes"]) / 1e9


def replica_memory_gb(model: dict[str, Any], precision: str, tokens: int) -> tuple[float, float, float]:
    """(weights, KV cache, total) in GB for one replica holding `tokens` tokens in flight."""
    weights = weights_gb(float(model["parameters_b"]), precision)
    kv = kv_cache_gb(model, tokens)
    return weights, kv, weights + kv + weights * float(load_data("hardware")["overhead_share"])


def gpus_for(total_gb: float, gpu_memory_gb: float) -> int:
    """GPUs for one replica: the smallest power of two (a valid tensor-parallel degree) whose memory holds it."""
    needed = max(1, math.ceil(round(total_gb / gpu_memory_gb, 9)))
    return 1 << (needed - 1).bit_length()


def gpu_spec(name: str) -> dict[str, Any] | None:
    """The GPU table entry (`hardware.yaml`) an accelerator name refers to, or None."""
    lowered = name.lower()
    for gpu in load_data("hardware")["gpus"]:
        if gpu["name"].lower() == lowered or any(m in lowered for m in gpu["match"]):
            return gpu
    return None


@dataclass
class Owned:
    """The organisation's own GPUs the plan sizes against."""

    name: str
    count: int
    memory_gb: float


def owned_gpus(hardware: Sequence[Hardware], text: _Text) -> tuple[Owned | None, list[Assumption]]:
    """The stated hardware entry with the most memory in total, with its memory per GPU."""
    best: tuple[float, Owned, str, Hardware] | None = None
    reference = gpu_spec(load_data("hardware")["reference_gpu"]) or {"memory_gb": 80}
    for h in hardware:
        spec = gpu_spec(h.accelerator)
        if h.memory_gb:
            memory, note = float(h.memory_gb), ""
        elif spec:
            memory, note = float(spec["memory_gb"]), text("assumption.owned_memory", gpu=spec["name"])
        else:
            memory = float(reference["memory_gb"])
            note = text("assumption.owned_unknown", memory=memory)
        owned = Owned(name=h.accelerator, count=h.count, memory_gb=memory)
        if best is None or memory * h.count > best[0]:
            best = (memory * h.count, owned, note, h)
    if best is None:
        return None, []
    _, owned, note, h = best
    evidence = text.evidence(h.evidence) + (f"; {note}" if note else "")
    return owned, [text.assumption("owned", hardware=f"{owned.count} x {owned.name}", memory=owned.memory_gb, evidence=evidence)]


@dataclass
class Sizing:
    """One open-weight model's GPU fit rows and the self-hosting estimate they imply."""

    rows: list[GpuFit]
    monthly_usd: float
    owned: bool
    rental_gpu: str | None = None
    parts: dict[str, float] = field(default_factory=dict)
    gpus: int = 0
    bought_gpu: str | None = None
    rental_hours: float | None = None
    """Hours a month each rented GPU is billed: all month (730) for interactive work, the batch window's hours for a batch."""
    hours_per_run: float | None = None
    all_month_usd: float | None = None
    """What the same rented GPUs would cost all month, shown beside a batch's window price."""

    @property
    def chosen(self) -> GpuFit:
        """The row the plan uses."""
        return next(r for r in self.rows if r.chosen)


def fit_row(model: dict[str, Any], workload: Workload, precision: str, gpu: str, memory: float, owned_count: int | None) -> GpuFit:
    """One replica of `model` at `precision` on `gpu`: memory under the headroom, and the replicas the plan needs.

    Replicas = the most of availability (failover), concurrency (at most `max_sequences_per_replica`
    requests a replica) and throughput (the peak's prompt and output tokens against the per-GPU
    estimate). The KV cache holds at least `min_batch_sequences` requests at the full context.
    """
    hw = load_data("hardware")
    headroom = float(hw["memory_headroom"])
    cap, floor = int(hw["max_sequences_per_replica"]), int(hw["min_batch_sequences"])
    # A batch waits in its queue rather than asking for another replica; interactive bursts do not wait.
    for_concurrency = 1 if workload.batch else math.ceil(workload.concurrency / cap)
    base = max(workload.min_replicas, for_concurrency)
    # The requests the peak puts on one replica at once (a batch needs one at a time to run at all): the GPUs are
    # sized for these, never for a worst case. The batching floor (`min_batch_sequences`) and a batch's queue then
    # fill what memory those GPUs leave under the headroom, so they use the memory but never add a GPU or turn a
    # precision that holds the peak into one that "does not fit".
    needed = 1 if workload.batch else min(cap, max(1, math.ceil(workload.concurrency / base)))
    weights = round(weights_gb(float(model["parameters_b"]), precision), 1)
    kv_one = kv_sequence_gb(model, workload.context_tokens)
    overhead = round(weights * float(hw["overhead_share"]), 1)
    gpus = gpus_for(weights + overhead + kv_one * needed, memory * headroom)
    fits = math.floor(round((gpus * memory * headroom - weights - overhead) / kv_one, 6)) if kv_one else cap
    wanted = min(cap, workload.concurrency) if workload.batch else max(floor, needed)
    sequences = min(cap, max(needed, min(wanted, fits)))
    kv = round(kv_one * sequences, 1)
    total = round(weights + kv + overhead, 1)
    gpus = gpus_for(total, memory * headroom)
    active = float(model.get("active_parameters_b") or model["parameters_b"])
    per_request_in = workload.input_tokens / workload.requests_per_item
    per_request_out = workload.output_tokens / workload.requests_per_item
    for_throughput = capacity_rules.throughput_replicas(
        hw, active, precision, gpu, gpus, workload.peak_requests_per_hour * per_request_out / 3600, workload.peak_requests_per_hour * per_request_in / 3600
    )
    replicas = max(base, for_throughput)
    room = gpus * memory * headroom - weights - overhead
    max_sequences = max(0, math.floor(round(room / kv_one, 6))) if kv_one else cap
    fits = None if owned_count is None else replicas * gpus <= owned_count
    return GpuFit(
        model=model["name"],
        precision=precision,
        weights_gb=weights,
        kv_cache_gb=kv,
        total_gb=total,
        gpu=gpu,
        gpu_memory_gb=memory,
        gpus_needed=gpus,
        replicas=replicas,
        fits_owned=fits,
        overhead_gb=overhead,
        utilisation=round(total / (gpus * memory), 3),
        sequences=sequences,
        max_sequences=max_sequences,
        replicas_for={"availability": workload.min_replicas, "concurrency": for_concurrency, "throughput": for_throughput},
    )


def batch_window(model: dict[str, Any], workload: Workload, row: GpuFit) -> tuple[float, float, float]:
    """(rented hours a month, hours a run, runs a month) for a batch on `row`'s GPUs.

    One run a working day. The run lasts the longer of the day's requests in waves of what the
    replicas hold at once (`capacity.batch_minutes`) and the day's tokens at the GPUs' throughput
    estimate (a 405B model on 8 GPUs is bound by its tokens, not its waves); each run bills its
    start-up too.
    """
    hw = load_data("hardware")
    runs = workload.items_per_month / workload.items_per_day if workload.items_per_day > 0 else float(workload.days_per_month)
    in_flight = max(1, row.sequences * row.replicas)
    minutes = capacity_rules.batch_minutes(workload.items_per_day * workload.requests_per_item, workload.seconds_per_request, in_flight)
    active = float(model.get("active_parameters_b") or model["parameters_b"])
    decode, prefill = capacity_rules.tokens_per_second(hw, active, row.precision, row.gpu)
    gpus = row.gpus_needed * row.replicas
    token_seconds = workload.items_per_day * (workload.output_tokens / decode + workload.input_tokens / prefill) / gpus
    minutes = max(minutes, token_seconds / 60)
    hours, per_run = capacity_rules.batch_rental_hours(hw, runs, minutes)
    return hours, per_run, runs


def month_busy(model: dict[str, Any], workload: Workload, row: GpuFit) -> float:
    """Share of the month the plan's GPUs work on the average load: a 70B model on 2 GPUs and an 8B on 1 differ."""
    hw = load_data("hardware")
    seconds = float(hw["hours_per_month"]) * 3600
    active = float(model.get("active_parameters_b") or model["parameters_b"])
    decode_avg = workload.items_per_month * workload.output_tokens / seconds
    prefill_avg = workload.items_per_month * workload.input_tokens / seconds
    return capacity_rules.busy_share(hw, active, row.precision, row.gpu, row.gpus_needed * row.replicas, decode_avg, prefill_avg)


def note_fits(sizing: Sizing, owned: Owned | None, text: _Text) -> None:
    """Say on every sizing row whether the client can run it: a BF16 row needing 8 GPUs for a client owning 4 is marked, with why."""
    plan = next((r for r in sizing.rows if r.chosen), None)
    for row in sizing.rows:
        used = row.gpus_needed * row.replicas
        if row.chosen:
            row.note = text("fit_note.plan", used=used)
        elif owned is None or row.fits_owned is None:
            row.note = text("fit_note.rented", gpu=row.gpu)
        elif not row.fits_owned:
            row.note = text("fit_note.too_big", used=used, replicas=row.replicas, per=row.gpus_needed, owned=owned.count)
        elif row.precision == "INT4" and not leaves_room(row, owned.count):
            row.note = text("fit_note.fills", used=used, owned=owned.count)
        elif plan is not None and used > plan.gpus_needed * plan.replicas:
            row.note = text("fit_note.fits_more", used=used, owned=owned.count, plan=plan.precision, plan_used=plan.gpus_needed * plan.replicas)
        else:
            row.note = text("fit_note.fits_lower", used=used, owned=owned.count, precision=row.precision, plan=plan.precision if plan else "")


def leaves_room(row: GpuFit, owned_count: int) -> bool:
    """The plan leaves an owned GPU free for the fallback, judge, rollback or fine-tuning job (a single GPU never can)."""
    return owned_count == 1 or row.gpus_needed * row.replicas < owned_count


def gpu_precisions(gpu: str, order: Sequence[str]) -> list[str]:
    """`order` as `gpu` can run it: a precision without native support gives way to its stand-in
    (`hardware.yaml` precision_stand_in: FP8 -> INT8 on an A100, BF16 -> FP16 on a T4), or is dropped.

    An A100 is never offered FP8 (Ampere has no FP8 tensor cores): [BF16, FP8, INT4] becomes
    [BF16, INT8, INT4]. A GPU the table does not know keeps `order`.
    """
    hw = load_data("hardware")
    spec = gpu_spec(gpu) or {}
    native = spec.get("native")
    if not native:
        return list(order)
    out: list[str] = []
    for precision in order:
        use = precision if precision in native else hw["precision_stand_in"].get(precision)
        if use in native and use not in out:
            out.append(use)
    return out


def owned_choice(rows: Sequence[GpuFit], owned_count: int) -> GpuFit | None:
    """The row the plan runs on owned GPUs: BF16/FP8 leaving a GPU free, else BF16/FP8 on them all, else INT4 leaving one free.

    70B on four H100s: BF16 fills all four with one replica, FP8 takes two and leaves two for the
    other models of the plan, so FP8 wins. INT4 filling every owned GPU is never the plan: it
    costs quality and leaves nothing for the fallback, the judge or the fine-tuning job.
    """
    fitting = [r for r in rows if r.fits_owned]
    full = [r for r in fitting if r.precision != "INT4"]
    return (
        next((r for r in full if leaves_room(r, owned_count)), None)
        or next(iter(full), None)
        or next((r for r in fitting if leaves_room(r, owned_count)), None)
    )


def size_model(model: dict[str, Any], workload: Workload, owned: Owned | None, bought: bool = False) -> Sizing:
    """GPU fit at BF16, FP8 and INT4 and the monthly self-hosting estimate (`hardware.yaml`).

    On owned GPUs: the highest of BF16 and FP8 whose replicas all fit; INT4 only when neither
    does, with a quality penalty. The cost is never zero: power and operations for the GPUs the
    plan uses. Otherwise the cheapest rented GPU at FP8 (rental), or, when `bought` (on-premises
    with no GPUs stated), the same GPU bought and amortised, plus power and operations.
    """
    hw = load_data("hardware")
    rows: list[GpuFit] = []
    if owned is not None:
        rows = [fit_row(model, workload, p, owned.name, owned.memory_gb, owned.count) for p in gpu_precisions(owned.name, hw["owned_order"])]
        chosen = owned_choice(rows, owned.count)
        if chosen is not None:
            chosen.chosen = True
            if chosen.precision == "INT4":
                chosen.quality_penalty = int(hw["int4_quality_penalty"])
            spec = gpu_spec(owned.name) or {"name": owned.name}
            used = chosen.gpus_needed * chosen.replicas
            parts = capacity_rules.running_parts(hw, spec["name"], used, bought=False, busy=month_busy(model, workload, chosen))
            return Sizing(rows=rows, monthly_usd=round(sum(parts.values()), 2), owned=True, parts=parts, gpus=used)

    rented = str(hw["rented"])

    def monthly_of(candidate: GpuFit, spec: dict[str, Any]) -> tuple[float, dict[str, float]]:
        used = candidate.gpus_needed * candidate.replicas
        if bought and capacity_rules.purchase_usd(hw, spec["name"]) is not None:
            parts = capacity_rules.running_parts(hw, spec["name"], used, bought=True, busy=month_busy(model, workload, candidate))
        else:
            # A batch rents its GPUs for the window it runs; interactive work keeps them up all month.
            hours = batch_window(model, workload, candidate)[0] if workload.batch else float(hw["hours_per_month"])
            parts = {"rental": round(used * float(spec["usd_per_hour"]) * hours, 2)}
        return round(sum(parts.values()), 2), parts

    best: tuple[float, GpuFit, dict[str, Any], dict[str, float]] | None = None
    for gpu_name in hw["rental"]:
        spec = gpu_spec(gpu_name)
        if not spec or spec.get("usd_per_hour") is None:
            continue
        candidate = fit_row(model, workload, gpu_precisions(spec["name"], [rented])[0], spec["name"], float(spec["memory_gb"]), None)
        if candidate.gpus_needed > 8:
            continue
        monthly, parts = monthly_of(candidate, spec)
        if best is None or monthly < best[0] - 1e-9:
            best = (monthly, candidate, spec, parts)
    if best is None:
        spec = gpu_spec(hw["reference_gpu"]) or {}
        candidate = fit_row(model, workload, gpu_precisions(spec["name"], [rented])[0], spec["name"], float(spec["memory_gb"]), None)
        monthly, parts = monthly_of(candidate, spec)
        best = (monthly, candidate, spec, parts)
    monthly, chosen_row, spec, parts = best
    if owned is None:
        rows = [fit_row(model, workload, p, spec["name"], float(spec["memory_gb"]), None) for p in gpu_precisions(spec["name"], hw["owned_order"])]
        chosen_row = next(r for r in rows if r.precision == chosen_row.precision)
    else:
        chosen_row.fits_owned = False
        rows.append(chosen_row)
    chosen_row.chosen = True
    is_bought = "hardware" in parts
    used = chosen_row.gpus_needed * chosen_row.replicas
    hours, per_run = (float(hw["hours_per_month"]), None) if not workload.batch else batch_window(model, workload, chosen_row)[:2]
    return Sizing(
        rows=rows,
        monthly_usd=monthly,
        owned=False,
        rental_gpu=None if is_bought else spec["name"],
        parts=parts,
        gpus=used,
        bought_gpu=spec["name"] if is_bought else None,
        rental_hours=None if is_bought else hours,
        hours_per_run=None if is_bought else per_run,
        all_month_usd=None if is_bought else round(used * float(spec["usd_per_hour"]) * float(hw["hours_per_month"]), 2),
    )


# ----------------------------------------------------------------------------- weights


def _rule_holds(when: dict[str, Any], brief: Brief, text: _Text) -> tuple[Evidence | None, dict[str, str]] | None:
    """(evidence, values for the reason) when the rule's condition holds for the brief, else None."""
    (kind, arg), = when.items()
    c = brief.constraints
    if kind == "residency" and c.data_residency.value in arg:
        return c.data_residency.evidence, {"residency": text.raw("residency")[c.data_residency.value]}
    if kind == "personal_data" and brief.data_sensitivity.personal_data == bool(arg):
        return brief.data_sensitivity.evidence, {}
    if kind == "sensitivity" and brief.data_sensitivity.value in arg:
        return brief.data_sensitivity.evidence, {}
    if kind == "regulations" and bool(c.regulations) == bool(arg):
        return c.regulations[0].evidence, {"regulations": text.join([r.name for r in c.regulations])}
    if kind == "non_english_language":
        others = [code for code in c.languages.value if code != "en"]
        if others and arg:
            return c.languages.evidence, {"languages": text.languages(others)}
    if kind == "budget" and c.monthly_budget is not None and arg:
        m = c.monthly_budget.value
        return c.monthly_budget.evidence, {"budget": money(m.amount, m.currency)}
    if kind == "latency" and c.latency.value in arg:
        return c.latency.evidence, {}
    if kind == "sector" and brief.sector.value in arg:
        return brief.sector.evidence, {"sector": text.raw("sectors").get(brief.sector.value, brief.sector.value)}
    if kind == "criteria_mention":
        words = [w.lower() for lang in LANGUAGES for w in arg.get(lang, [])]
        for criterion in brief.success_criteria:
            if any(w in criterion.value.lower() for w in words):
                return criterion.evidence, {}
    if kind not in {"residency", "personal_data", "sensitivity", "regulations", "non_english_language", "budget", "latency", "sector", "criteria_mention"}:
        raise ValueError(f"weights.yaml: unknown condition {kind!r}")
    return None


def largest_remainder(raw: dict[str, float], total: int = 100) -> dict[str, int]:
    """Integers proportional to `raw` that sum to `total`; leftover units go to the largest fractions (ties: CATEGORIES order)."""
    whole = sum(raw.values())
    exact = {k: raw[k] * total / whole for k in raw}
    out = {k: math.floor(round(v, 9)) for k, v in exact.items()}
    order = sorted(raw, key=lambda k: (-(exact[k] - out[k]), list(raw).index(k)))
    for k in order[: total - sum(out.values())]:
        out[k] += 1
    return out


def compute_weights(brief: Brief, language: str) -> tuple[list[Weight], list[str]]:
    """Rubric weights (integers summing to 100, each with its reason) and the key factors (`weights.yaml`)."""
    cfg = load_data("weights")
    text = _Text(language)
    base = {c: float(cfg["base"][c]) for c in CATEGORIES}
    raw = dict(base)
    changes: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for rule in cfg["rules"]:
        held = _rule_holds(rule["when"], brief, text)
        if held is None:
            continue
        evidence, values = held
        raw[rule["category"]] += float(rule["delta"])
        why = rule["reason"][language].format(**values)
        changes[rule["category"]].append(text("weight.change", delta=int(rule["delta"]), why=why, evidence=text.evidence(evidence)))
    floor = float(cfg["floor"])
    raw = {c: max(floor, v) for c, v in raw.items()}
    final = largest_remainder(raw)
    weights = []
    for c in CATEGORIES:
        if changes[c]:
            reason = text("weight.moved", base=int(base[c]), changes="".join(changes[c]), weight=final[c])
        else:
            reason = text("weight.base_only", base=int(base[c]), weight=final[c])
        weights.append(Weight(category=c, weight=final[c], reason=reason))
    priority = list(cfg["key_factor_priority"])
    ranked = sorted(CATEGORIES, key=lambda c: (-final[c], priority.index(c)))
    return weights, ranked[: int(cfg["key_factor_count"])]


# ----------------------------------------------------------------------------- gates, costs, scores


def self_hostable(model: dict[str, Any]) -> bool:
    """Open weights the organisation can run itself (catalog hosting lists 'on-premises' or 'self-hosted')."""
    hosting = model.get("hosting") or []
    return bool(model.get("open_weights")) and ("on-premises" in hosting or "self-hosted" in hosting)


def api_cost_usd(model: dict[str, Any], input_tokens: float, output_tokens: float) -> float | None:
    """Monthly API cost in USD from the catalog's prices per million tokens; None without prices."""
    p_in, p_out = model.get("price_input_per_mtok"), model.get("price_output_per_mtok")
    if p_in is None or p_out is None:
        return None
    return round(input_tokens / 1e6 * float(p_in) + output_tokens / 1e6 * float(p_out), 2)


def budget_usd(brief: Brief, text: _Text) -> tuple[float | None, list[Assumption]]:
    """The monthly budget in USD (`fx.yaml`), with the assumptions that convert it."""
    budget = brief.constraints.monthly_budget
    if budget is None:
        return None, []
    fx = load_data("fx")
    currency = budget.value.currency.upper()
    rate = fx["per_usd"].get(currency)
    if rate is None:
        return None, [text.assumption("fx_unknown", currency=currency)]
    amount = budget.value.amount / float(rate)
    notes = [text.assumption("budget", budget=money(budget.value.amount, currency), usd=usd(amount), evidence=text.evidence(budget.evidence))]
    if currency != "USD":
        source = fx["source"]
        what = source["what"][text.language]
        notes.append(text.assumption("fx", rate=float(rate), currency=currency, source=source["name"], what=what, url=source["url"], as_of=fx["as_of"]))
    return amount, notes


def budget_rate(brief: Brief) -> tuple[str | None, float]:
    """The budget's currency and its units per USD (`fx.yaml`, the one rate table); (None, 1.0) without a convertible budget."""
    budget = brief.constraints.monthly_budget
    if budget is None:
        return None, 1.0
    currency = budget.value.currency.upper()
    rate = load_data("fx")["per_usd"].get(currency)
    return (currency, float(rate)) if rate is not None else (None, 1.0)


@dataclass
class _Option:
    """A model with what the gates and scores read about it."""

    model: dict[str, Any]
    cost: Cost
    sizing: Sizing | None
    api_allowed: bool
    self_allowed: bool
    reasons: list[tuple[str, str]] = field(default_factory=list)
    route: routes.Route | None = None


def _evaluate(model: dict[str, Any], brief: Brief, workload: Workload, owned: Owned | None, budget: float | None, text: _Text) -> _Option:
    residency = brief.constraints.data_residency.value
    in_tokens = workload.items_per_month * workload.input_tokens
    out_tokens = workload.items_per_month * workload.output_tokens
    api = api_cost_usd(model, in_tokens, out_tokens)
    hostable = self_hostable(model) and model.get("parameters_b")
    sizing = size_model(model, workload, owned, bought=residency == "on_premises") if hostable else None
    if sizing is not None:
        note_fits(sizing, owned, text)
    commercial = bool(model.get("commercial_use"))
    named_route = routes.api_through_named_route(residency, brief.constraints.hosting_terms)  # a private cloud that names its cloud's endpoint
    api_allowed = (residency not in RESTRICTED or named_route) and api is not None and (commercial or bool(model.get("commercial_use_via_api")))
    self_allowed = sizing is not None and commercial
    # Hosting routes (planning/routes.py): each priced path needs a route that meets the brief's terms.
    terms = brief.constraints.hosting_terms
    api_route, own_route, all_routes = routes.gate_routes(model, terms, text.language)
    terms_block = (api_allowed and api_route is None) or (self_allowed and own_route is None)
    api_licensed = api_allowed  # the licence gate below asks about the licence, not the hosting terms
    api_allowed = api_allowed and api_route is not None
    self_allowed = self_allowed and own_route is not None
    options: list[tuple[float, int, str]] = []
    if self_allowed and sizing is not None:
        options.append((sizing.monthly_usd, 0 if sizing.owned else 2, "owned" if sizing.owned else "self_hosted"))
    if api_allowed and api is not None:
        options.append((api, 1, "api"))
    if not options:  # excluded anyway: show what it would cost
        if sizing is not None:
            options.append((sizing.monthly_usd, 2, "owned" if sizing.owned else "self_hosted"))
        if api is not None:
            options.append((api, 1, "api"))
    monthly, _, hosting = min(options) if options else (0.0, 0, "api")
    currency, per_usd = budget_rate(brief)
    local = round(monthly * per_usd, 2) if currency else None
    amount = brief.constraints.monthly_budget.value.amount if brief.constraints.monthly_budget is not None else None
    cost = Cost(
        model=model["name"],
        monthly_input_tokens=round(in_tokens),
        monthly_output_tokens=round(out_tokens),
        api_usd=api,
        self_host_usd=sizing.monthly_usd if sizing is not None else None,
        monthly_usd=round(monthly, 2),
        within_budget=None if budget is None or local is None or amount is None else local <= amount + 1e-6,
        hosting=hosting,
        parts=({"api": api} if api is not None else {}) if hosting == "api" else dict(sizing.parts) if sizing is not None else {},
        gpus=sizing.gpus if sizing is not None and hosting != "api" else 0,
        budget_currency=currency,
        monthly_in_budget_currency=local,
    )
    option = _Option(model=model, cost=cost, sizing=sizing, api_allowed=api_allowed, self_allowed=self_allowed)
    option.route = own_route if hosting in {"owned", "self_hosted"} else api_route
    if terms_block and not (api_allowed or self_allowed):
        option.reasons.append(("terms", routes.gate_reason([r for r in all_routes if r.failures], terms, text.language)))

    if residency in RESTRICTED and not self_hostable(model) and not named_route:
        option.reasons.append(("residency", text("gate.residency", where=text.raw("gate.where")[residency])))
    missing = language_names.missing(model, brief.constraints.languages.value)
    if missing:
        option.reasons.append(("language", text("gate.language", languages=text.languages(missing))))
    if not commercial and not api_licensed:
        if model.get("commercial_use_via_api") and residency in RESTRICTED:
            option.reasons.append(("licence", text("gate.licence_api_only", licence=model.get("licence", ""))))
        else:
            option.reasons.append(("licence", text("gate.licence", licence=model.get("licence", ""))))
    filling = next((r for r in sizing.rows if r.fits_owned and r.precision == "INT4"), None) if sizing is not None else None
    if residency == "on_premises" and owned is not None and sizing is not None and not sizing.owned and filling is not None:
        option.reasons.append(("hardware", text("gate.hardware_full", precision=filling.precision, owned=owned.count, org=brief.organisation.value)))
    elif residency == "on_premises" and owned is not None and sizing is not None and not sizing.owned:
        low = min((r for r in sizing.rows if r.fits_owned is not None and r.precision in load_data("hardware")["precisions"]),
                  key=lambda r: r.gpus_needed * r.replicas, default=sizing.chosen)
        option.reasons.append(("hardware", text(
            "gate.hardware", needed=low.gpus_needed * low.replicas, replicas=low.replicas, per=low.gpus_needed, precision=low.precision,
            org=brief.organisation.value, owned=owned.count,
        )))
    window = int(model.get("context_window") or 0)
    if window < workload.context_tokens:
        option.reasons.append(("context", text("gate.context", window=window, needed=workload.context_tokens)))
    if options and cost.within_budget is False and currency and amount is not None and local is not None:
        option.reasons.append(("budget", text("gate.budget", cost=money(local, currency), budget=money(amount, currency))))
    return option


def _band(value: float, bands: list[dict[str, Any]], key: str, at_least: bool) -> int:
    for band in bands:
        if (value >= float(band[key])) if at_least else (value <= float(band[key])):
            return int(band["score"])
    return int(bands[-1]["score"])


def score_model(option: _Option, brief: Brief, budget: float | None, owned: Owned | None, text: _Text) -> tuple[dict[str, int], dict[str, str]]:
    """1-5 per category with the fact each score comes from (`scoring.yaml`)."""
    cfg = load_data("scoring")
    model, cost = option.model, option.cost
    scores: dict[str, int] = {}
    reasons: dict[str, str] = {}
    tier = model.get("tier")
    tier_name = text.raw("tiers").get(tier, tier) if tier else ""

    params = model.get("parameters_b")
    if params:
        scores["quality"] = _band(float(params), cfg["quality"]["size_bands"], "min_b", at_least=True)
        reasons["quality"] = text("score.quality_size", params=float(params))
    elif tier in cfg["quality"]["tiers"]:
        scores["quality"] = int(cfg["quality"]["tiers"][tier])
        reasons["quality"] = text("score.quality_tier", tier=tier_name)
    else:
        scores["quality"] = int(cfg["quality"]["unknown"])
        reasons["quality"] = text("score.quality_unknown")
    penalty = option.sizing.chosen.quality_penalty if option.sizing is not None and cost.hosting in {"owned", "self_hosted"} else 0
    if penalty:
        scores["quality"] = max(1, scores["quality"] - penalty)
        reasons["quality"] += text("score.quality_int4", penalty=penalty)

    hosting_name = text.raw("hosting")[cost.hosting]
    shown = usd_in(cost.monthly_usd, *display_currency(brief), text.language)  # in the budget's currency, USD beside it
    if budget:
        share = cost.monthly_usd / budget
        scores["cost"] = _band(share, cfg["cost"]["budget_bands"], "max_share", at_least=False)
        reasons["cost"] = text("score.cost_budget", cost=shown, hosting=hosting_name, share=share)
    else:
        scores["cost"] = _band(cost.monthly_usd, cfg["cost"]["usd_bands"], "max_usd", at_least=False)
        reasons["cost"] = text("score.cost_usd", cost=shown, hosting=hosting_name)

    active = model.get("active_parameters_b") or params
    if active:
        scores["latency"] = _band(float(active), cfg["latency"]["size_bands"], "max_b", at_least=False)
        reasons["latency"] = text("score.latency_size", params=float(active))
    elif tier in cfg["latency"]["tiers"]:
        scores["latency"] = int(cfg["latency"]["tiers"][tier])
        reasons["latency"] = text("score.latency_tier", tier=tier_name)
    else:
        scores["latency"] = int(cfg["latency"]["unknown"])
        reasons["latency"] = text("score.latency_unknown")
    floor = int(cfg["latency"]["batch_floor"])
    if brief.constraints.latency.value == "batch" and scores["latency"] < floor:
        scores["latency"] = floor
        reasons["latency"] += text("score.latency_batch", floor=floor)

    privacy = cfg["privacy"]
    platform_names = text.raw("platforms")
    platforms = [platform_names.get(h, h) for h in (model.get("hosting") or []) if h in privacy["cloud_platforms"]]
    if cost.hosting in {"owned", "self_hosted"}:
        scores["privacy"], reasons["privacy"] = int(privacy["self_hosted"]), text("score.privacy_self")
    elif platforms:
        scores["privacy"], reasons["privacy"] = int(privacy["cloud_platform"]), text("score.privacy_cloud", platforms=text.join(platforms))
    else:
        scores["privacy"], reasons["privacy"] = int(privacy["provider_api"]), text("score.privacy_api", provider=model.get("provider", ""))

    lang = cfg["language"]
    required = [code for code in brief.constraints.languages.value if code != "en"]
    if not required:
        scores["language"] = int(lang["english"]) if language_names.tier(model, "en") else 1
        reasons["language"] = text("score.language_english")
    else:
        per_language = []
        for code in required:
            documented = language_names.tier(model, code)
            if documented is None:
                per_language.append(1)
            elif code == "ko" and model.get("korean_quality") in lang["korean_quality"]:
                per_language.append(int(lang["korean_quality"][model["korean_quality"]]))
            else:
                per_language.append(int(lang["listed"] if documented == language_names.OFFICIAL else lang["claimed"]))
        scores["language"] = min(per_language)
        if "ko" in required and model.get("korean_quality"):
            reasons["language"] = text("score.language_korean", grade=text.raw("grades").get(model["korean_quality"], model["korean_quality"]))
            others = [code for code in required if code != "ko"]
            if others:
                reasons["language"] += text.join(["", text("score.language_listed", languages=text.languages(others))])
        else:
            reasons["language"] = text("score.language_listed", languages=text.languages(required)) + language_tier_note(model, required, text.language)

    lic = cfg["licence"]
    kind = model.get("licence_type", "proprietary")
    if model.get("commercial_use"):
        scores["licence"] = int(lic["types"].get(kind, 3))
        reasons["licence"] = text("score.licence", licence=model.get("licence", ""), kind=text.raw("licence_types").get(kind, kind))
    else:
        scores["licence"] = int(lic["via_api"]) if option.api_allowed else int(lic["types"].get(kind, 1))
        reasons["licence"] = text("score.licence_via_api", licence=model.get("licence", ""))
    return {c: scores[c] for c in CATEGORIES}, {c: reasons[c] for c in CATEGORIES}


def weighted_total(scores: dict[str, int], weights: dict[str, int]) -> float:
    """sum(score x weight) / 100, rounded to 2 decimals."""
    return round(sum(scores[c] * weights.get(c, 0) for c in scores) / 100, 2)


def _shortfall(options: list[_Option], passed: list[_Option], text: _Text) -> str | None:
    if len(passed) >= 2:
        return None
    counts: dict[str, int] = {}
    for option in options:
        for kind in dict.fromkeys(k for k, _ in option.reasons):
            counts[kind] = counts.get(kind, 0) + 1
    order = ["residency", "language", "licence", "context", "budget", "terms", "hardware"]
    top = sorted(counts, key=lambda k: (-counts[k], order.index(k)))[:3]
    reasons = text.join([text("gate.reason_count", reason=text.raw("gate.kinds")[k], n=counts[k]) for k in top])
    if not passed:
        return text("gate.shortfall_none", reasons=reasons)
    return text("gate.shortfall_one", names=passed[0].model["name"], reasons=reasons)


# ----------------------------------------------------------------------------- co-located models


def throughput_assumptions(workload: Workload, text: _Text) -> list[Assumption]:
    """The per-GPU throughput table (three sizes at FP8 on an H100) and the tokens per second the peak needs."""
    hw = load_data("hardware")
    tp = hw["throughput"]
    limits = [f"<= {band['max_b']}B" for band in tp["bands"][:-1]] + [f"> {tp['bands'][-2]['max_b']}B"]
    rows = [
        text("assumption.throughput_row", limit=limit, decode=band["decode"], prefill=band["prefill"])
        for limit, band in zip(limits, tp["bands"], strict=True)
    ]
    examples = "; ".join(rows) + " (FP8, H100 80GB)"
    per_in = workload.input_tokens / workload.requests_per_item
    per_out = workload.output_tokens / workload.requests_per_item
    return [
        text.assumption("throughput", examples=examples, util=float(tp["target_utilisation"]), source=_source(tp["source"], text), url=tp["source"]["url"]),
        text.assumption(
            "tokens_needed", prefill=rate(workload.prefill_tokens_per_s), decode=rate(workload.decode_tokens_per_s),
            rph=rate(workload.peak_requests_per_hour), inp=round(per_in), out=round(per_out),
        ),
    ]


def _source(source: dict[str, Any], text: _Text) -> str:
    """A cited source in the run's language: the publisher's name (kept as written) and what it is."""
    return " ".join(p for p in (source["name"], source["what"][text.language]) if p)


def running_cost_assumptions(scored: list[tuple[Score, _Option]], text: _Text) -> list[Assumption]:
    """Power, operations and (where GPUs are bought for the plan) amortised purchase, each with its source."""
    hw = load_data("hardware")
    c = hw["owned_costs"]
    notes: list[Assumption] = []
    gpus = sorted({o.sizing.chosen.gpu for _, o in scored if o.sizing is not None and "power" in o.cost.parts})
    for gpu in gpus:
        spec = gpu_spec(gpu) or {"name": gpu}
        notes.append(text.assumption(
            "power", gpu=spec["name"], kw=capacity_rules.board_kw(hw, spec["name"]), server=1 + float(c["server_share"]), pue=float(c["pue"]),
            price=f"{c['usd_per_kwh']:g}", idle=float(c["idle_share"]), idle_source=_source(c["idle_source"], text),
            board=_source(c["board_source"], text), pue_source=_source(c["pue_source"], text), kwh_source=_source(c["kwh_source"], text),
            kwh_url=c["kwh_source"]["url"],
        ))
    notes.append(text.assumption("operations", usd=f"{c['operations_usd_per_gpu_month']:g}", source=_source(c["operations_source"], text)))
    bought = sorted({o.sizing.bought_gpu for _, o in scored if o.sizing is not None and o.sizing.bought_gpu})
    for gpu in bought:
        notes.append(text.assumption(
            "amortised", price=f"{capacity_rules.purchase_usd(hw, gpu):,.0f}", gpu=gpu, months=c["amortisation_months"],
            source=_source(c["purchase_source"], text),
        ))
    return notes


def batch_rental_assumptions(scored: list[tuple[Score, _Option]], text: _Text, shown: tuple[str | None, float] = (None, 1.0)) -> list[Assumption]:
    """The batch window rented GPUs are billed for, and the hosting choice for the lead candidate with its reason.

    A nightly batch needing about an hour of GPU time a day is priced by that window (with the
    start-up and the minimum a run stated), never as GPUs rented 24/7; where an API is allowed and
    cheaper the lead runs through it, and the line says which won and by how much.
    """
    hw = load_data("hardware")
    rule = hw["batch_rental"]
    notes: list[Assumption] = []
    # The lead's window when it rents, else the best-ranked candidate that does.
    rented = next(((s, o) for s, o in scored if o.sizing is not None and o.sizing.rental_hours is not None and o.cost.hosting == "self_hosted"), None)
    rented = rented or next(((s, o) for s, o in scored if o.sizing is not None and o.sizing.rental_hours is not None), None)
    if rented is None:
        return notes
    _, option = rented
    sizing = option.sizing
    assert sizing is not None and sizing.rental_hours is not None
    notes.append(text.assumption(
        "batch_hours", hours=f"{sizing.rental_hours:,.1f}", per_run=f"{sizing.hours_per_run or 0:g}", startup=f"{float(rule['startup_hours']):g}",
        minimum=f"{float(rule['min_hours_per_run']):g}", always=rule["always_on_hours_per_day"], all_month=f"{float(hw['hours_per_month']):g}",
    ))
    lead = scored[0][1] if scored else None
    if lead is not None and lead.sizing is not None and lead.sizing.rental_hours is not None:
        api = lead.cost.api_usd if lead.api_allowed else None
        window, all_month = lead.sizing.monthly_usd, lead.sizing.all_month_usd or lead.sizing.monthly_usd
        if lead.cost.hosting == "api" and api is not None:
            key = "batch_choice_api"
        elif api is not None:
            key = "batch_choice_window_cheaper"
        else:
            key = "batch_choice_window"
        notes.append(text.assumption(
            key, model=lead.model["name"], window=usd_in(window, *shown, text.language), all_month=usd_in(all_month, *shown, text.language),
            api=usd_in(api, *shown, text.language) if api is not None else "",
            gpus=f"{lead.sizing.gpus} x {lead.sizing.rental_gpu}",
        ))
    return notes


def _judge_placement(judge: _Option, plan: Any, pool: int, free: int, headroom: float, text: _Text, batch: bool = False) -> Colocated:
    """Where the evaluation's judge runs: its API, spare GPUs, or the serving GPUs only where sharing them is sound.

    Sound: a batch plan leaves its GPUs idle between runs (a nightly run of minutes leaves the day for
    evaluation runs); with two replicas, one replica's GPUs off-peak while the other serves. Anything
    else would take GPUs people are waiting on, so evaluation windows get GPUs added instead.
    """
    other = judge.model["name"]
    if judge.cost.hosting == "api" or judge.sizing is None:
        return Colocated(role="judge", model=other, memory_gb=0.0, gpus=0, mode="api", reason=text("colocate.judge_api", model=other))
    row = judge.sizing.chosen
    need = gpus_for(row.total_gb, plan.gpu_memory_gb * headroom)
    if need <= free:
        mode, key = "resident", "judge_resident"
    elif batch and need <= pool:
        mode, key = "time_shared", "judge_batch_window"
    elif plan.replicas > 1 and need <= plan.gpus_needed:
        mode, key = "time_shared", "judge_time_shared"
    else:
        mode, key = "rented", "judge_rented"
    reason = text(f"colocate.{key}", model=other, gpus=_gpus(need, text))
    if mode == "time_shared":
        reason += _apart(row.total_gb, plan, need, headroom, text)
    return Colocated(role="judge", model=other, memory_gb=row.total_gb, gpus=need, mode=mode, reason=reason)


def _gpus(n: int, text: _Text) -> str:
    return text("colocate.gpus_one") if n == 1 else text("colocate.gpus_many", n=n)


def _fallback(
    second: _Option, others: Sequence[_Option], plan: Any, pool: int, free: int, headroom: float, text: _Text, batch: bool
) -> tuple[Colocated, int]:
    """The model that serves while the primary's server is down, and the GPUs it takes from `free`.

    A fallback on the primary's own GPUs is no fallback: when that server is down, so is it. So the
    runner-up stands by through its API or on GPUs beside the primary; failing that, the best-ranked
    other candidate that does (a smaller model, or an allowed API route); failing that, none, and the
    plan states the single point of failure and its recovery. With two replicas the runner-up may take
    one replica's GPUs, since the other keeps serving.
    """
    other = second.model["name"]
    if second.cost.hosting == "api" or second.sizing is None:
        return Colocated(role="fallback", model=other, memory_gb=0.0, gpus=0, mode="api", reason=text("colocate.fallback_api", model=other)), 0
    row = second.sizing.chosen
    need = gpus_for(row.total_gb, plan.gpu_memory_gb * headroom)
    if need <= free:
        return Colocated(
            role="fallback", model=other, memory_gb=row.total_gb, gpus=need, mode="resident",
            reason=text("colocate.fallback_resident", model=other, gpus=_gpus(need, text)),
        ), need
    if need <= plan.gpus_needed and plan.replicas > 1:
        return Colocated(
            role="fallback", model=other, memory_gb=row.total_gb, gpus=need, mode="time_shared",
            reason=text("colocate.fallback_shared", model=other, gpus=_gpus(need, text)),
        ), 0
    why = text("colocate.fallback_cannot", model=other, gpus=_gpus(need, text))
    for o in others:
        name = o.model["name"]
        if o.cost.hosting == "api" or o.sizing is None:
            return Colocated(role="fallback", model=name, memory_gb=0.0, gpus=0, mode="api", reason=why + text("colocate.fallback_other_api", model=name)), 0
        n = gpus_for(o.sizing.chosen.total_gb, plan.gpu_memory_gb * headroom)
        if n <= free:
            return Colocated(
                role="fallback", model=name, memory_gb=o.sizing.chosen.total_gb, gpus=n, mode="resident",
                reason=why + text("colocate.fallback_smaller", model=name, gpus=_gpus(n, text)),
            ), n
    recovery = text("colocate.recovery_batch" if batch else "colocate.recovery_interactive")
    return Colocated(role="fallback", model=other, memory_gb=0.0, gpus=0, mode="none", reason=why + text("colocate.fallback_none", recovery=recovery)), 0


def colocate(
    first: _Option, second: _Option | None, owned: Owned | None, text: _Text, context_tokens: int = 0,
    judge: _Option | None = None, others: Sequence[_Option] = (), batch: bool = False,
) -> tuple[list[Colocated], FineTuning | None]:
    """Every other model the plan runs beside the recommended one, and where its memory comes from.

    On the recommended model's GPUs (all owned GPUs, or the GPUs rented or bought for it): the
    fallback must serve when the primary's server is down (`_fallback`: beside it, through an API,
    or none with the single point of failure stated); the judge and the fine-tuning job use spare
    GPUs, or the serving GPUs only where sharing is sound (`batch`: the hours between runs; two
    replicas: one while the other serves), else GPUs added for their window; the previous version
    for rollback waits on disk and replaces one replica at a time. `judge` is the evaluation's judge
    (see `shape._judge`; the runner-up when None); `others` the candidates ranked after the
    runner-up, for a fallback that fits where the runner-up does not.
    """
    if first.sizing is None or first.cost.hosting == "api":
        return [], None
    hw = load_data("hardware")
    headroom = float(hw["memory_headroom"])
    plan = first.sizing.chosen
    used = plan.gpus_needed * plan.replicas
    pool = owned.count if first.cost.hosting == "owned" and owned is not None else used
    free = pool - used
    name = first.model["name"]
    out: list[Colocated] = []
    if second is not None:
        fallback, taken = _fallback(second, others, plan, pool, free, headroom, text, batch)
        free -= taken
        out.append(fallback)
    judging = judge if judge is not None else second
    standby = out[0] if out and out[0].mode == "resident" else None
    if judging is not None and standby is not None and judging.model["name"] == standby.model:
        # The judge is the loaded fallback: it scores evaluation runs on the same weights, off-peak.
        out.append(Colocated(role="judge", model=standby.model, memory_gb=standby.memory_gb, gpus=standby.gpus, mode="resident",
                             reason=text("colocate.judge_resident", model=standby.model)))
    elif judging is not None and judging.model["name"] != name:
        out.append(_judge_placement(judging, plan, pool, free, headroom, text, batch))
    rollback = "colocate.rollback_rolling" if plan.replicas > 1 else "colocate.rollback_single"
    out.append(Colocated(role="rollback", model=name, memory_gb=0.0, gpus=0, mode="disk", reason=text(rollback, model=name)))

    method = "LoRA"
    sequence = capacity_rules.fine_tune_sequence(hw, context_tokens)
    parts = capacity_rules.fine_tune_gb(hw, first.model, method, sequence)
    gpus = gpus_for(parts[-1], plan.gpu_memory_gb * headroom)
    if gpus > max(free, plan.gpus_needed):
        method = "QLoRA"
        parts = capacity_rules.fine_tune_gb(hw, first.model, method, sequence)
        gpus = gpus_for(parts[-1], plan.gpu_memory_gb * headroom)
    weights, adapters, activations, overhead, _ = (round(x, 1) for x in parts)
    total = round(weights + adapters + activations + overhead, 1)
    tuning = FineTuning(
        model=name, method=method, sequence_tokens=sequence, weights_gb=weights, adapters_gb=adapters,
        activations_gb=activations, overhead_gb=overhead, total_gb=total, gpu=plan.gpu, gpus=gpus,
    )
    if gpus <= free:
        mode, key = "resident", "colocate.tune_spare"
    elif gpus <= plan.gpus_needed * (plan.replicas - 1):
        mode, key = "time_shared", "colocate.tune_offhours"
    elif batch and gpus <= pool:
        mode, key = "time_shared", "colocate.tune_batch_window"
    elif gpus <= pool:
        mode, key = "time_shared", "colocate.tune_window"
    else:
        mode, key = "rented", "colocate.tune_rented"
    reason = text(key, method=method, gpus=gpus, gpu=plan.gpu)
    if mode == "time_shared":
        reason += _apart(total, plan, gpus, headroom, text)
    out.append(Colocated(role="fine_tuning", model=name, memory_gb=total, gpus=gpus, mode=mode, reason=reason))
    return out, tuning


def _apart(job_gb: float, plan: Any, gpus: int, headroom: float, text: _Text) -> str:
    """Why a job time-shares the serving GPUs: its own memory beside the serving replica's would exceed what they hold.

    A plan never claims the serving model and a fine-tuning job (or judge) run at once on memory that
    does not hold both: the sum is shown against the GPUs' memory under the headroom, so the reader sees
    the schedule is forced by the numbers, not chosen for convenience.
    """
    limit = max(gpus, plan.gpus_needed) * plan.gpu_memory_gb * headroom
    both = job_gb + plan.total_gb
    if both <= limit:
        return ""
    return text("colocate.apart", job=f"{job_gb:g}", serving=f"{plan.total_gb:g}", both=f"{both:.1f}", limit=f"{limit:g}")


# ----------------------------------------------------------------------------- the figures


def _build(brief: Brief, language: str, evaluation: Any, workload: Workload, fine_tuning: FineTuning | None, first: Any, owned: Owned | None) -> Any:
    """The one-off build estimate (`planning/build.py`) from the plan's own test set, pairs and tuning job."""
    from genai_planner.planning.build import compute_build
    from genai_planner.planning.shape import fine_tune_data

    if brief.constraints.build_budget is None:
        return None
    held_out = evaluation.test_set_size if evaluation is not None else 200
    new = [c for c in brief.constraints.languages.value if c in brief.constraints.languages.no_history]
    history = [c for c in brief.constraints.languages.value if c not in new]
    collected, enough, _ = fine_tune_data(workload.items_per_month, held_out, "", language)
    total, _, _ = fine_tune_data(workload.items_per_month, held_out, "", language, history, new)
    tuned = fine_tuning if enough else None  # fine-tuning waits when the pairs do not exist yet: no compute, no pairs to check
    return compute_build(
        brief, language, test_items=held_out, pairs_collected=collected if enough else 0, pairs_translated=max(0, total - collected) if enough else 0,
        fine_tuning=tuned, model=first.model if first is not None else None,
        self_hosted=first is not None and first.cost.hosting != "api", owned=first is not None and first.cost.hosting == "owned",
    )


def compute_figures(brief: Brief, catalog: Sequence[dict[str, Any]], language: str) -> Figures:
    """Every planning figure for one run: a pure, deterministic function of its arguments.

    Args:
        brief: What the planner understood about the use case.
        catalog: The model catalog entries (`genai_planner.tools.catalog.load_catalog()`).
        language: The run's language, 'en' or 'ko'; every reason and name is written in it.

    Returns:
        The gates, weights, scores, costs, GPU fit, capacity, targets and assumptions.
    """
    text = _Text(language)
    hw = load_data("hardware")
    workload = compute_workload(brief, language)
    assumptions = list(workload.assumptions)
    budget, budget_notes = budget_usd(brief, text)
    assumptions += budget_notes
    owned, owned_notes = owned_gpus(brief.constraints.hardware, text)
    assumptions += owned_notes

    weights, key_factors = compute_weights(brief, language)
    weight_map = {w.category: w.weight for w in weights}

    options = [_evaluate(model, brief, workload, owned, budget, text) for model in catalog]
    gates = [Gate(model=o.model["name"], passed=not o.reasons, reasons=[r for _, r in o.reasons]) for o in options]
    passed = [o for o in options if not o.reasons]

    scored: list[tuple[Score, _Option]] = []
    for option in passed:
        scores, reasons = score_model(option, brief, budget, owned, text)
        score = Score(
            model=option.model["name"],
            provider=option.model.get("provider", ""),
            scores=scores,
            reasons=reasons,
            total=weighted_total(scores, weight_map),
        )
        scored.append((score, option))
    top = key_factors[0]
    scored.sort(key=lambda pair: (-pair[0].total, -pair[0].scores[top], pair[1].cost.monthly_usd, pair[0].model))
    ranked = [s for s, _ in scored]

    order = [o for _, o in scored] + [o for o in options if o.reasons]
    costs = [o.cost for o in order]
    gpu_fit = [row for _, o in scored if o.sizing is not None for row in o.sizing.rows]

    # Sizing assumptions, once, when any candidate is self-hosted.
    if any(o.sizing is not None for _, o in scored):
        owned_precision = next((r.precision for _, o in scored if o.sizing for r in o.sizing.rows if r.chosen and r.fits_owned), hw["owned_order"][0])
        if owned is not None:
            assumptions.append(text.assumption("precision", owned=owned_precision, rented=hw["rented"]))
            lacking = [p for p in hw["owned_order"] if p not in gpu_precisions(owned.name, hw["owned_order"])]
            if lacking:  # an A100 has no FP8: say so, and what stands in
                stand_in = ", ".join(f"{p} -> {hw['precision_stand_in'][p]}" for p in lacking if p in hw["precision_stand_in"])
                assumptions.append(text.assumption("precision_native", gpu=owned.name, lacking=", ".join(lacking), stand_in=stand_in,
                                                   native=", ".join(gpu_precisions(owned.name, hw["owned_order"]))))
        else:
            assumptions.append(text.assumption("precision_rented", rented=hw["rented"]))
        assumptions.append(text.assumption("overhead", share=float(hw["overhead_share"])))
        assumptions.append(text.assumption("headroom", share=float(hw["memory_headroom"])))
        assumptions.append(text.assumption("kv"))
        assumptions.append(text.assumption("sequences", n=hw["max_sequences_per_replica"], min=hw["min_batch_sequences"]))
        assumptions += throughput_assumptions(workload, text)
        if any(o.sizing.chosen.quality_penalty for _, o in scored if o.sizing is not None and o.cost.hosting != "api"):
            assumptions.append(text.assumption("int4", penalty=hw["int4_quality_penalty"]))
        if any(o.cost.hosting in {"owned", "self_hosted"} and ("power" in o.cost.parts) for _, o in scored):
            assumptions += running_cost_assumptions(scored, text)
        rented = sorted({o.sizing.rental_gpu for _, o in scored if o.sizing and o.sizing.rental_gpu})
        if rented:
            if workload.batch:
                assumptions += batch_rental_assumptions(scored, text, display_currency(brief))
            else:
                assumptions.append(text.assumption("hours", hours=hw["hours_per_month"]))
            for name in rented:
                spec = gpu_spec(name) or {}
                source = spec["source"]
                assumptions.append(
                    text.assumption("gpu_price", gpu=name, price=f"{spec['usd_per_hour']:g}", source=source["name"], url=source["url"], as_of=hw["as_of"])
                )
            if brief.constraints.data_residency.value == "on_premises":
                assumptions.append(text.assumption("on_premises_rental"))

    availability = workload.availability
    concurrency = workload.concurrency
    lead = scored[0][1] if scored else None
    plan = lead.sizing.chosen if lead is not None and lead.sizing is not None and lead.cost.hosting != "api" else None
    if workload.batch and plan is not None and availability is not None and workload.min_replicas == 1:
        # The batch runs as many at once as the recommended plan's KV cache holds: the rerun's minutes and the
        # requests in flight the documents repeat are that plan's, not the floor every plan holds.
        concurrency = plan.sequences
        day_requests = workload.items_per_day * workload.requests_per_item
        minutes = capacity_rules.batch_minutes(day_requests, workload.seconds_per_request, plan.sequences)
        rerun = text.assumption("single_rerun", requests=rate(day_requests), minutes=max(1, math.ceil(minutes)), in_flight=plan.sequences)
        assumptions = [rerun if a is availability else a for a in assumptions]
        availability = rerun
    batch_items, run_minutes = batch_night(brief, workload, plan.sequences if plan is not None else 0)
    route_rows = [
        HostingRoute(model=o.model["name"], route=o.route.name, kind=o.route.kind, terms=routes.route_line(o.model["name"], o.route, language))
        for _, o in scored
        if o.route is not None
    ]
    dated = sources_dated(catalog, language, scored[0][1].model if scored else None)
    assumptions += catalog_assumptions(route_rows[:2], dated, language)  # the report and the export show them with the other assumptions

    # Imported here: these modules read this module's number helpers and data loader.
    from genai_planner.planning.rare_class import rare_class_sample
    from genai_planner.planning.shape import compute_evaluation, compute_rollout, compute_task_shape
    from genai_planner.planning.targets import compute_targets
    from genai_planner.planning.tiebreak import tie_break

    targets = compute_targets(brief, language)
    task_shape = compute_task_shape(brief, language, workload.context_tokens, workload.concurrency)
    evaluation = compute_evaluation(brief, targets, ranked, ranked[0].model if ranked else None, workload.items_per_month, language)
    rare = rare_class_sample(brief, targets, evaluation.test_set_size, evaluation.margin_wanted, workload.items_per_month, language)
    if rare is not None:  # a recall target on a rare class: an enriched sample beside the random set
        evaluation = evaluation.model_copy(update={"rare_class_positives": rare[0], "rare_class_text": rare[1]})
    capacity = Capacity(
        items_per_month=round(workload.items_per_month, 1),
        peak_multiplier=workload.peak_multiplier,
        peak_requests_per_hour=_flow(workload.peak_requests_per_hour),
        concurrency=concurrency,
        context_tokens=workload.context_tokens,
        items_per_day=_flow(workload.items_per_day),
        peak_items_per_hour=_flow(workload.peak_items_per_hour),
        estimate=workload.estimate,
        prefill_tokens_per_s=round(workload.prefill_tokens_per_s, 1),
        decode_tokens_per_s=round(workload.decode_tokens_per_s, 1),
        availability="failover" if workload.min_replicas > 1 else "single",
        availability_reason=f"{availability.value}; {availability.reason}" if availability else "",  # not a second colon: the reason has its own
        batch_items=batch_items,
        batch_requests=batch_items * workload.requests_per_item,
        batch_minutes=run_minutes,
        season_uplift=workload.season_uplift,
        cadence=workload.cadence,
    )
    first = scored[0][1] if scored else None
    second = scored[1][1] if len(scored) > 1 else None
    judge = next((o for _, o in scored if evaluation is not None and o.model["name"] == evaluation.judge), None)
    others = [o for _, o in scored[2:]]
    batch = task_shape is not None and task_shape.mode == "batch"
    colocated, fine_tuning = colocate(first, second, owned, text, workload.context_tokens, judge, others, batch) if first is not None else ([], None)
    build = _build(brief, language, evaluation, workload, fine_tuning, first, owned)
    return Figures(
        build=build,
        gates=gates,
        weights=weights,
        key_factors=key_factors,
        scores=ranked,
        recommended=ranked[0].model if ranked else None,
        runner_up=ranked[1].model if len(ranked) > 1 else None,
        tie_break=tie_break(ranked, costs, top, language),
        shortfall=_shortfall(options, passed, text),
        costs=costs,
        gpu_fit=gpu_fit,
        capacity=capacity,
        targets=targets,
        assumptions=assumptions,
        colocated=colocated,
        fine_tuning=fine_tuning,
        routes=route_rows,
        hosting_terms=routes.terms_text(brief.constraints.hosting_terms, language),
        sources_dated=dated,
        task_shape=task_shape,
        evaluation=evaluation,
        rollout=compute_rollout(brief, language),
        history_languages=[c for c in brief.constraints.languages.value if c not in brief.constraints.languages.no_history],
        new_languages=[c for c in brief.constraints.languages.value if c in brief.constraints.languages.no_history],
    )
