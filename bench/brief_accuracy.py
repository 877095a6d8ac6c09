"""Field-level accuracy of the offline brief extractor over the labelled use cases in
tests/data/briefs/*.yaml (English and Korean, written for this project).

For each case the extractor reads the use case (plus the case's scenario YAML, if any) and each
field is right or wrong as a whole: residency and sector exact; languages and regulations as sets;
budget as amount (within 0.5%) and currency; hardware as (accelerator, count, memory) per device
type; volumes as the set of flows and peaks (stocks are not scored); baselines as the set of
(value, unit) with durations compared in minutes; latency and conflict counts where labelled.
Accuracy is printed for all cases, the dev split (used while the extractor was written) and the
held-out split (not looked at while tuning). Target: residency, languages, budget, hardware and
volumes each >= 0.9 over all cases (tests/test_brief_extract.py keeps it).

    python bench/brief_accuracy.py [--misses]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from genai_planner.planning.brief import Brief  # noqa: E402
from genai_planner.planning.extract import canonical_accelerator, canonical_regulation, extract_brief  # noqa: E402

CASES_DIR = ROOT / "tests" / "data" / "briefs"
GATED = ("residency", "languages", "budget", "hardware", "volumes")
FIELDS = ("residency", "languages", "budget", "hardware", "volumes", "sector", "regulations", "baselines", "latency", "conflicts")
TARGET = 0.9
SPLITS = ("dev", "holdout1", "holdout2")
MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43200}


def load_cases(directory: Path = CASES_DIR) -> list[dict[str, Any]]:
    """Every labelled case, in file order."""
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            case["file"] = path.name
            cases.append(case)
    return cases


def scenario_of(case: dict[str, Any]) -> dict[str, Any]:
    """The scenario dict a run would pass: the case's YAML parts plus its use case."""
    scenario = dict(case.get("scenario") or {})
    scenario.update(name=case["id"], use_case=case["use_case"], language=case["language"])
    return scenario


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def _volumes(items: list[tuple[float, str | None, bool, bool]]) -> Counter[tuple[float, str | None, bool, bool]]:
    return Counter((round(q, 2), per, x, peak) for q, per, x, peak in items)


def _baseline_key(value: float, unit: str) -> tuple[float, str]:
    unit = unit.rstrip("s") + "s" if unit != "%" else "%"
    if unit in MINUTES:
        return round(value * MINUTES[unit], 2), "time"
    return round(value, 2), unit


def score(case: dict[str, Any], brief: Brief) -> dict[str, bool | None]:
    """Field -> right (True), wrong (False), or not labelled (None)."""
    e = case["expect"]
    c = brief.constraints
    out: dict[str, bool | None] = {}
    out["residency"] = c.data_residency.value == e["residency"]
    out["languages"] = set(c.languages.value) == set(e["languages"])
    want = e.get("budget")
    got = c.monthly_budget.value if c.monthly_budget else None
    out["budget"] = (want is None and got is None) or bool(want and got and got.currency == want["currency"] and _close(got.amount, float(want["amount"])))
    got_hw = Counter((canonical_accelerator(h.accelerator)[0], h.count, round(h.memory_gb or 0)) for h in c.hardware)
    want_hw = Counter((canonical_accelerator(h["accelerator"])[0], int(h["count"]), round(h.get("memory_gb") or 0)) for h in e["hardware"])
    out["hardware"] = got_hw == want_hw
    got_v = _volumes([(v.quantity, v.per, v.unit == "x", v.peak) for v in brief.volumes if v.per or v.peak])
    want_v = _volumes([(float(v["quantity"]), v.get("per"), v.get("unit") == "x", bool(v.get("peak"))) for v in e["volumes"]])
    out["volumes"] = got_v == want_v
    out["sector"] = brief.sector.value == e["sector"]
    out["regulations"] = {canonical_regulation(r.name) for r in c.regulations} == {canonical_regulation(r) for r in e["regulations"]}
    out["baselines"] = Counter(_baseline_key(b.value, b.unit) for b in brief.baselines) == Counter(
        _baseline_key(float(b["value"]), b["unit"]) for b in e["baselines"]
    )
    out["latency"] = (c.latency.value == e["latency"]) if "latency" in e else None
    out["conflicts"] = (len(brief.conflicts) == int(e["conflicts"])) if "conflicts" in e else None
    return out


def describe(field: str, brief: Brief) -> str:
    """What the extractor read for one field, in a few words (for the misses list)."""
    c = brief.constraints
    if field == "residency":
        return c.data_residency.value
    if field == "languages":
        return ",".join(c.languages.value)
    if field == "budget":
        return f"{c.monthly_budget.value.amount:g} {c.monthly_budget.value.currency}" if c.monthly_budget else "none"
    if field == "hardware":
        return "; ".join(f"{h.count}x {h.accelerator} {h.memory_gb:g}GB" for h in c.hardware) or "none"
    if field == "volumes":
        return (
            "; ".join(f"{v.quantity:g}{'x' if v.unit == 'x' else ''}/{v.per or '-'}{' peak' if v.peak else ''}" for v in brief.volumes if v.per or v.peak)
            or "none"
        )
    if field == "baselines":
        return "; ".join(f"{b.value:g} {b.unit}" for b in brief.baselines) or "none"
    if field == "regulations":
        return ", ".join(r.name for r in c.regulations) or "none"
    if field == "sector":
        return brief.sector.value
    if field == "latency":
        return c.latency.value
    return f"{len(brief.conflicts)} conflicts"


def evaluate(cases: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Brief, dict[str, bool | None]]]:
    """(case, brief, scores) for every case."""
    rows = []
    for case in cases:
        brief = extract_brief(scenario_of(case), case["language"])
        rows.append((case, brief, score(case, brief)))
    return rows


def accuracy(rows: list[tuple[dict[str, Any], Brief, dict[str, bool | None]]], field: str) -> tuple[float | None, int]:
    """(share right, how many labelled) for one field."""
    marks = [s[field] for _, _, s in rows if s[field] is not None]
    return (sum(marks) / len(marks) if marks else None), len(marks)


def main() -> None:
    cases = load_cases()
    start = time.perf_counter()
    rows = evaluate(cases)
    secs = time.perf_counter() - start
    splits = {"all": rows, **{name: [r for r in rows if r[0].get("split") == name] for name in SPLITS}}
    languages = Counter(c["language"] for c in cases)
    sectors = Counter(c["expect"]["sector"] for c in cases)
    print(
        f"{len(cases)} labelled use cases ({languages['en']} English, {languages['ko']} Korean; {len(sectors)} sectors); "
        f"extracted in {secs * 1000 / max(1, len(cases)):.1f} ms per case"
    )
    print(f"{'field':14s}" + "".join(f"{name:>14s}" for name in ("all", *SPLITS)) + "   target")
    missed = []
    for field in FIELDS:
        cells = []
        for name in ("all", *SPLITS):
            acc, n = accuracy(splits[name], field)
            cells.append(f"{acc:.2f} ({n:>2d})" if acc is not None else "-")
        target = f">= {TARGET}" if field in GATED else ""
        print(f"{field:14s}" + "".join(f"{cell:>14s}" for cell in cells) + f"   {target}")
        acc, _ = accuracy(rows, field)
        if field in GATED and acc is not None and acc < TARGET:
            missed.append(field)
    print(f"hard-constraint fields >= {TARGET}: {'MET' if not missed else 'MISSED (' + ', '.join(missed) + ')'}")
    if "--misses" in sys.argv:
        for case, brief, s in rows:
            wrong = [f for f, ok in s.items() if ok is False]
            if wrong:
                print(f"- {case['id']} [{case.get('split')}]: " + "; ".join(f"{f}: got {describe(f, brief)}" for f in wrong))


if __name__ == "__main__":
    main()
