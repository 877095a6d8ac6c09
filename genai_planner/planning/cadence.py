"""How often a periodic summary is produced, and the load it puts on the model.

A digest made on a cadence ("a summary every 15 minutes", "a nightly handover note", "매시간
요약") reads many records and writes one summary. Sizing it as one request per record priced a
network operations centre's 2 million alarms a day as 2 million model requests; a senior
architect counts the summaries (96 a day for every 15 minutes, plus the ones asked for on
demand) and makes one period's records that request's input, bounded by what one request can
carry: read whole when they fit, map-reduce in a few chunks when they do not, and pre-aggregated
(correlated, grouped and counted) before the model when even that is too much. The record
volume then sizes ingest and aggregation, not model requests.

`read_cadence` reads the cadence from the prose (patterns in `data/cadence.yaml`);
`digest_load` turns it into the workload's summaries per day, tokens per summary and the
assumptions that show the reason in the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from genai_planner.planning.figures import Assumption
from genai_planner.planning.lexicon import lexicon, rx


def _cfg() -> dict[str, Any]:
    return lexicon("cadence")


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


@dataclass(frozen=True)
class Cadence:
    """Scheduled summaries per day, the phrase that says so, and whether more are asked for on demand."""

    per_day: float
    phrase: str
    around_the_clock: bool = False
    on_demand: bool = False
    shifts_assumed: int = 0
    minutes: float = field(default=0.0)
    """The length of one period in minutes (15 for every 15 minutes, 1,440 for a daily summary)."""


def read_cadence(text: str) -> Cadence | None:
    """The first cadence the prose states ('every 15 minutes' -> 96 a day; 'nightly' -> 1; '15분마다' -> 96), or None."""
    cfg = _cfg()
    low = text.lower()
    for entry in cfg["cadences"]:
        m = rx(entry["pattern"]).search(low)
        if not m:
            continue
        kind, shifts = entry["per_day"], 0
        n = int(m.group("n")) if "n" in m.groupdict() and m.group("n") else 0
        if kind == "minutes":
            if not 0 < n <= 1440:
                continue
            per_day = 1440 / n
        elif kind == "hours":
            if not 0 < n <= 24:
                continue
            per_day = 24 / n
        elif kind == "shifts":
            shifts = int(cfg["shifts_per_day"])
            per_day = float(shifts)
        else:
            per_day = float(kind)
        on_demand = any(rx(p).search(low) for p in cfg["on_demand"])
        phrase = " ".join(m.group(0).split())
        return Cadence(per_day, phrase, bool(entry.get("around_the_clock")), on_demand, shifts, 1440 / per_day)
    return None


def period_name(cadence: Cadence, korean: bool) -> str:
    """The period one summary covers, for the retrieval line ('15-minute period', '15분 주기'); '' for a day or longer (the prose names it)."""
    t = _cfg()["text"]["ko" if korean else "en"]
    if cadence.minutes < 60:
        return str(t["cadence_short_minutes"]).format(n=_num(cadence.minutes))
    if cadence.minutes < 1440 and cadence.around_the_clock:
        return str(t["cadence_short_hours"]).format(n=_num(cadence.minutes / 60))
    return ""


@dataclass
class DigestLoad:
    """What a cadence summary puts on the model: summaries per day, the task row of one summary, and why."""

    per_day: float
    days: int
    hours: int
    multiplier: float
    row: dict[str, Any]
    notes: list[Assumption] = field(default_factory=list)
    basis: str = ""
    """How the record volume becomes requests, for the documents' volume line ('read as 120 summaries a day (96 every 15 minutes + 24 on demand)')."""


def group_count(group: str | None, volumes: list[Any]) -> int:
    """How many groups one digest each is kept per ('per train' and '64 trains' -> 64); 1 when unsaid or uncounted."""
    if not group:
        return 1
    word = group.lower().strip()
    for v in volumes:
        what = str(v.what).lower()
        if v.per is None and not v.peak and v.quantity >= 1 and (what.startswith(word) or what.split()[-1:] == [word + "s"]):
            return int(v.quantity)
    return 1


def digest_load(
    cadence: Cadence,
    row: dict[str, Any],
    language: str,
    *,
    records_per_day: float | None,
    what: str,
    groups: tuple[str, int],
    peak: tuple[float, str] | None,
    days: int,
    sector_hours: int,
    default_multiplier: float,
) -> DigestLoad:
    """Summaries per day and one summary's tokens for a cadence digest (`data/cadence.yaml` holds the assumptions).

    `row` is the summarisation task's usual row (its output and reason are kept); `records_per_day` the
    stated record flow (None when the use case gives none); `groups` (what, count) one digest each is kept
    per; `peak` (records an hour at the stated peak, as written) or None.
    2,000,000 alarms a day every 15 minutes: 96 + 24 on demand = 120 summaries; 20,833 alarms a period x
    60 tokens = 1.25 million tokens, 52 chunks of 24,000: pre-aggregated, 24,000 input tokens a summary.
    """
    cfg = _cfg()
    t = cfg["text"]["ko" if language == "ko" else "en"]
    group, count = groups
    scheduled = cadence.per_day * count
    extra = math.ceil(round(scheduled * float(cfg["on_demand_share"]), 6)) if cadence.on_demand else 0
    total = scheduled + extra
    minutes = cadence.minutes
    if minutes < 60:
        label, short = t["every_minutes"].format(n=_num(minutes)), t["cadence_short_minutes"].format(n=_num(minutes))
    elif minutes < 1440 and cadence.around_the_clock:
        label, short = t["every_hours"].format(n=_num(minutes / 60)), t["cadence_short_hours"].format(n=_num(minutes / 60))
    else:
        label, short = cadence.phrase, t["cadence_short"]
    if cadence.shifts_assumed:
        label += t["shifts"].format(shifts=cadence.shifts_assumed)
    notes = [
        Assumption(
            name=t["summaries"]["name"],
            value=t["summaries"]["value"].format(total=_num(total)),
            reason=t["summaries"]["reason"].format(
                scheduled=_num(scheduled),
                cadence=label,
                groups=t["groups"].format(group=group, group_plural=group + "s", count=count) if count > 1 else "",
                demand=t["demand"].format(extra=_num(extra), share=float(cfg["on_demand_share"])) if extra else "",
                month=_num(total * days),
                days=days,
            ),
        )
    ]
    hours = 24 if cadence.around_the_clock else sector_hours
    notes.append(
        Assumption(
            name=t["hours"]["name"],
            value=t["hours"]["value"].format(hours=hours),
            reason=t["hours"]["reason"].format(why=t["around_the_clock"] if cadence.around_the_clock else t["day_hours"]),
        )
    )
    multiplier = min(float(hours), default_multiplier)
    notes.append(
        Assumption(
            name=t["peak"]["name"],
            value=t["peak"]["value"].format(multiplier=multiplier),
            reason=t["peak"]["reason"].format(multiplier=multiplier, stated=t["peak_stated"].format(peak=peak[1]) if peak else ""),
        )
    )

    # One summary's input: the period's records, whole, in chunks, or pre-aggregated before the model.
    budget, instructions = int(cfg["input_budget_tokens"]), int(cfg["instruction_tokens"])
    output = int(row["output_tokens"])
    requests = 1
    if records_per_day is None:
        input_tokens = int(row["input_tokens"])
        how = t["how_unknown"].format(input=input_tokens)
    else:
        per_record = int(cfg["tokens_per_record"])
        records = records_per_day / scheduled
        tokens = math.ceil(records * per_record)
        chunks = math.ceil((tokens + instructions) / budget)
        if chunks <= 1:
            input_tokens = tokens + instructions
            how = t["how_whole"].format(budget=budget, input=input_tokens)
        elif chunks <= int(cfg["max_chunks"]):
            partial = int(cfg["partial_tokens"])
            requests = chunks + 1
            input_tokens = tokens + chunks * instructions + instructions + chunks * partial
            output += chunks * partial
            how = t["how_chunks"].format(budget=budget, chunks=chunks, requests=requests, input=input_tokens)
        else:
            input_tokens = budget
            how = t["how_aggregate"].format(budget=budget, chunks=chunks, input=input_tokens)
        peak_records = ""
        if peak is not None:
            peak_records = t["peak_records"].format(peak_records=_num(peak[0] * minutes / 60 / count))
        notes.append(
            Assumption(
                name=t["records"]["name"],
                value=t["records"]["value"].format(records=_num(records), what=what, cadence_short=short, tokens=tokens),
                reason=t["records"]["reason"].format(
                    records_day=_num(records_per_day),
                    what=what,
                    scheduled=_num(scheduled),
                    per_group=t["groups"].format(group=group, group_plural=group + "s", count=count) if count > 1 else "",
                    per_record=per_record,
                    peak=peak_records,
                    how=how,
                ),
            )
        )
    per_request = math.ceil((input_tokens + output) / requests)
    context = min(budget, input_tokens) + int(row["output_tokens"]) if requests == 1 else max(per_request, budget + int(row["output_tokens"]))
    new_row = {
        **row,
        "input_tokens": input_tokens,
        "output_tokens": output,
        "requests": requests,
        "context_tokens": max(context, per_request),
        "reason": {"en": how, "ko": how, language: how},
    }
    basis = t["basis"].format(total=_num(total), scheduled=_num(scheduled), cadence=label, demand=t["basis_demand"].format(extra=_num(extra)) if extra else "")
    return DigestLoad(per_day=total, days=days, hours=hours, multiplier=multiplier, row=new_row, notes=notes, basis=basis)
