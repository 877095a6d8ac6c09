"""Checks that hold a document to the planning figures (genai_planner.planning.compute).

Registered with `genai_planner.documents.checks` (imported at the end of that module):

- `rubric_arithmetic`: the document's own rubric and candidate table add up. Weights sum to
  100; each candidate's weighted total is sum(score x weight) / 100 (to 0.01); scores are 1-5;
  the recommended model has the top total and the runner-up the second; when factors are
  marked 'key for this use case', no unmarked factor outweighs a marked one.
- `figures_match`: every monthly cost, serving GPU count and metric target the document gives
  next to a model or metric name of the figures equals the computed figure (at the precision
  the document writes it: 'USD 1,037' matches 1,036.60, '$1.0k' matches 1,036.60, 'USD 900'
  does not).
- `gates_respected`: no model the gates exclude is recommended, runner-up or a row of a scored
  candidate table; naming it in a list of excluded models is fine.

Each check passes with 'no figures to compare' when the context carries no figures, so callers
without figures keep working. Feedback names the row, the number and the right value.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import amounts, figure_targets, rubric_figures
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import SOURCES_TITLE, CheckContext, check
from genai_planner.documents.client_quotes import client_spans, inside
from genai_planner.documents.content_lexicon import lexicon
from genai_planner.documents.doc_tables import (
    CITATION_RE,
    MIN_SCORE_COLUMNS,
    _candidate_table,
    _is_total_header,
    _rubric,
    _same_name,
    clean,
    first_number,
    norm,
    tables,
)
from genai_planner.documents.selection_checks import find_recommendation
from genai_planner.planning.compute import category_of, load_data

NO_FIGURES = "no figures to compare"
KEY_MARKERS = ("key for this use case", "이 사용 사례의 핵심")
PRECISIONS = ("BF16", "FP16", "FP8", "INT8", "INT4")
TOTAL_ROWS = ("total", "sum", "합계", "총계")
"""A table with a score column for at least this many rubric categories is a scored candidate table."""
MONEY_RES = (
    regex_cache.compile(r"(?:US\$|\$|USD\s?)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?([kKmM](?![a-zA-Z]))?"),
    regex_cache.compile(r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?([kKmM])?\s?(?:USD|달러)"),
)
UNIT_PRICE_AFTER = regex_cache.compile(r"^\s*(?:/\s*(?:1?M|MTok|h|hr|hour|GPU)|per\s+(?:1M|million|M\b|GPU|hour|token)|an?\s+hour|an?\s+GPU)", re.IGNORECASE)
UNIT_PRICE_BEFORE = regex_cache.compile(r"(?:시간당|토큰당|백만\s*토큰당|GPU\s*시간당|per\s+GPU-hour)\s*$", re.IGNORECASE)
ANNUAL_BEFORE = regex_cache.compile(r"(?:(?<![가-힣])연간?|\bannual(?:ly)?|\byearly|\ba year of)\s*$", re.IGNORECASE)
ANNUAL_AFTER = regex_cache.compile(r"^\s*(?:a|per|/|each)\s*(?:year|yr)\b|^\s*annually\b", re.IGNORECASE)
"""An amount for a year is compared as its twelfth: the client's '연 2,400만 원' is the KRW 2,000,000 monthly budget."""
MONTHLY_RE = regex_cache.compile(r"month|monthly|/mo\b|월", re.IGNORECASE)
GPU_COUNT_RES = (
    regex_cache.compile(r"(?<![\w.])(\d+)\s*(?:x|×)\s*(?:NVIDIA\s+)?(?:[A-Z]\d|[A-Z]{1,4}\d|RTX|GPU)", re.IGNORECASE),
    regex_cache.compile(r"(?<![\w.])(\d+)\s*GPUs?\b", re.IGNORECASE),
    regex_cache.compile(r"(?<![\w.])(\d+)\s+(?:NVIDIA\s+)?[A-Z]{1,2}\d{1,3}[A-Z]?(?:\s*\d+\s*GB)?\s+GPUs?\b"),  # '2 L4 GPUs', '4 H100 80GB GPUs'
    regex_cache.compile(r"GPU\s*(\d+)\s*(?:장|개|대)"),
    regex_cache.compile(r"(?:[A-Z]\d{1,3}[A-Z]?|H100|H200|A100|L40S|L4)(?:\s*\d+\s*GB)?\s*(\d+)\s*(?:장|개|대)", re.IGNORECASE),
)
SERVING_RE = regex_cache.compile(r"BF16|FP8|INT4|replica|serv|inference|tensor|복제본|서빙|추론|운영", re.IGNORECASE)
TRAINING_RE = regex_cache.compile(r"fine-?tun|train|LoRA|학습|미세\s*조정|파인\s*튜닝", re.IGNORECASE)
TARGET_WORDS_RE = regex_cache.compile(r"target|goal|→|->|≥|≤|>=|<=|at least|at most|목표|이상|이하|까지", re.IGNORECASE)


# ----------------------------------------------------------------------------- rubric_arithmetic


def _fmt(value: float) -> str:
    return f"{value:g}"


@check("rubric_arithmetic")
def rubric_arithmetic(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The document's rubric, candidate totals, ranking and key factors agree with each other."""
    if not ctx.figures:
        return True, NO_FIGURES
    found = _rubric(doc)
    if found is None:
        return False, "no rubric table with a 'Weight' column"
    rubric, wcol = found
    weights: dict[str, float] = {}
    for row in rubric.rows:
        if norm(row[0]) in TOTAL_ROWS:
            continue
        value = first_number(row[wcol]) if wcol < len(row) else None
        if value is None:
            return False, f"rubric row '{clean(row[0])}' has no numeric weight"
        weights[clean(row[0])] = value
    total_weight = sum(weights.values())
    if abs(total_weight - 100) > 0.01:
        return False, f"rubric weights add up to {_fmt(total_weight)}, not 100 ({', '.join(f'{k} {_fmt(v)}' for k, v in weights.items())})"

    problem = rubric_figures.weight_problem(weights, ctx.figures, ctx.language)
    if problem:
        return False, problem

    found_candidates = _candidate_table(doc, list(weights), ctx.language)
    if found_candidates is None:
        return False, "no candidate table with a score column per rubric category and a weighted-total column"
    table, columns, tcol = found_candidates
    missing = [label for label in weights if label not in columns]
    if missing:
        return False, "the candidate table has no score column for rubric categories: " + ", ".join(f"'{m}'" for m in missing)
    totals: dict[str, float] = {}
    for row in table.rows:
        name = clean(row[0])
        if norm(name) in TOTAL_ROWS:
            continue
        scores = {}
        for label, col in columns.items():
            value = first_number(row[col]) if col < len(row) else None
            if value is None:
                return False, f"row '{name}': no score under '{clean(table.header[col])}'"
            if not 1 <= value <= 5:
                return False, f"row '{name}': score {_fmt(value)} under '{clean(table.header[col])}' is outside the 1-5 scale"
            scores[label] = value
        problem = rubric_figures.score_problem(name, scores, ctx.figures, ctx.catalog, ctx.language)
        if problem:
            return False, problem
        expected = round(sum(scores[k] * weights[k] for k in weights) / 100 + 1e-9, 2)
        stated = first_number(row[tcol]) if tcol < len(row) else None
        working = " + ".join(f"{_fmt(scores[k])}x{_fmt(weights[k])}" for k in weights)
        if stated is None:
            return False, f"row '{name}': no weighted total; it should be {expected:.2f} (= ({working}) / 100)"
        if abs(stated - expected) > 0.01 + 1e-9:
            return False, f"row '{name}': weighted total {stated:.2f} should be {expected:.2f} (= ({working}) / 100)"
        totals[name] = stated

    rec, runner = find_recommendation(doc.raw)
    if totals and rec:
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        top = ranked[0][1]
        leaders = [n for n, t in ranked if abs(t - top) <= 1e-9]
        rec_total = next((t for n, t in totals.items() if _same_name(n, rec)), None)
        if rec_total is None:
            return False, f"the recommended model '{rec}' is not a row of the candidate table"
        if not any(_same_name(n, rec) for n in leaders):
            return False, f"recommends '{rec}' ({rec_total:.2f}) but '{leaders[0]}' has the top total ({top:.2f})"
        rest = [(n, t) for n, t in ranked if not _same_name(n, rec)]
        if runner and rest:
            second = rest[0][1]
            seconds = [n for n, t in rest if abs(t - second) <= 1e-9]
            runner_total = next((t for n, t in totals.items() if _same_name(n, runner)), None)
            if runner_total is None:
                return False, f"the runner-up '{runner}' is not a row of the candidate table"
            if not any(_same_name(n, runner) for n in seconds):
                return False, f"runner-up '{runner}' ({runner_total:.2f}) but '{seconds[0]}' has the second total ({second:.2f})"
        elif rest and not runner:
            return False, f"no runner-up named; '{rest[0][0]}' has the second total ({rest[0][1]:.2f})"

    marked = _marked_categories(doc, ctx)
    if marked:
        by_category: dict[str, tuple[str, float]] = {}
        for label, weight in weights.items():
            category = category_of(label, ctx.language)
            if category and category not in by_category:
                by_category[category] = (label, weight)
        marked_rows = [by_category[c] for c in marked if c in by_category]
        unmarked_rows = [row for c, row in by_category.items() if c not in marked]
        if marked_rows and unmarked_rows:
            low = min(marked_rows, key=lambda r: r[1])
            high = max(unmarked_rows, key=lambda r: r[1])
            if high[1] > low[1]:
                return False, (
                    f"'{low[0]}' is marked as a key factor but weighs {_fmt(low[1])}, while unmarked '{high[0]}' weighs {_fmt(high[1])}: "
                    "the marked factors must carry the highest weights"
                )
    return True, f"weights add up to 100, {len(totals)} totals add up, recommendation and runner-up follow the totals"


def _marked_categories(doc: md.ParsedDocument, ctx: CheckContext) -> list[str]:
    """Rubric categories of the list items marked as key factors."""
    markers = list(KEY_MARKERS)
    spec_markers = getattr(ctx.spec, "markers", None) or {}
    for key, value in spec_markers.items():
        if "key" in key:
            markers.append(value.get(ctx.language))
    out: list[str] = []
    for section in doc.sections:
        for item in md.list_items(section.text):
            lowered = item.lower()
            if not any(m.lower() in lowered for m in markers if m):
                continue
            bold = re.search(r"\*\*([^*]+)\*\*", item)
            label = bold.group(1) if bold else re.split(r"[:(]", re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", item))[0]
            category = category_of(label, ctx.language)
            if category and category not in out:
                out.append(category)
    return out


# ----------------------------------------------------------------------------- figures_match


def _amounts(line: str) -> list[tuple[float, float, int]]:
    """Monthly-looking USD amounts in a line: (value, tolerance from the written precision, position)."""
    out: list[tuple[float, float, int]] = []
    seen: set[int] = set()
    for pattern in MONEY_RES:
        for match in pattern.finditer(line):
            if match.start() in seen:
                continue
            if UNIT_PRICE_AFTER.match(line[match.end() :]) or UNIT_PRICE_BEFORE.search(line[: match.start()]):
                continue
            whole, decimals, suffix = match.group(1), match.group(2), (match.group(3) or "").lower()
            value = float(whole.replace(",", "") + (f".{decimals}" if decimals else ""))
            scale = {"k": 1e3, "m": 1e6}.get(suffix, 1.0)
            tolerance = 0.5 * 10 ** -(len(decimals) if decimals else 0) * scale
            out.append((value * scale, max(tolerance, 0.005), match.start()))
            seen.add(match.start())
    return out


def _gpu_counts(line: str) -> list[tuple[int, int]]:
    """GPU counts in a line: (count, position)."""
    out: dict[int, int] = {}
    # 'four L4 GPUs' is '4 L4 GPUs' (a number word before a GPU's name): a digit padded to the word's length, so positions hold.
    words = lexicon()["number_words"]
    before_gpu = regex_cache.compile(r"(?<![A-Za-z])(" + "|".join(words) + r")(?=\s+(?:x\s+)?(?:NVIDIA\s+)?[A-Z]{1,2}\d)", re.IGNORECASE)
    line = before_gpu.sub(lambda m: words[m.group(1).lower()].ljust(len(m.group(1))), line)
    for pattern in GPU_COUNT_RES:
        for match in pattern.finditer(line):
            out.setdefault(match.start(1), int(match.group(1)))
    return sorted((count, pos) for pos, count in out.items())


def _mentions(line: str, names: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name in the line, longest names first, without overlaps."""
    lowered = line.lower()
    taken: list[tuple[int, int, str]] = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name.lower()), lowered):
            if any(s < match.end() and match.start() < e for s, e, _ in taken):
                continue
            taken.append((match.start(), match.end(), name))
    return sorted(taken)


def _owner(position: int, mentions: list[tuple[int, int, str]]) -> str | None:
    """The model named last before `position` in the line."""
    before = [name for start, end, name in mentions if end <= position]
    return before[-1] if before else None


def _lines(doc: md.ParsedDocument, ctx: CheckContext) -> list[tuple[str, bool]]:
    """(text, from a table) for every body line; a table row becomes 'first cell | header: cell | ...'."""
    out: list[tuple[str, bool]] = []
    sources = SOURCES_TITLE.get(ctx.language, "Sources").lower()
    for section in doc.sections:
        if md.normalise_heading(section.title) == sources:
            continue
        for line in section.lines:
            stripped = line.strip()
            if stripped and not stripped.startswith("|"):
                out.append((CITATION_RE.sub("", stripped), False))
    for table in tables(doc):
        for row in table.rows:
            cells = [clean(row[0])]
            for header, cell in zip(table.header[1:], row[1:], strict=False):
                h, c = clean(header), clean(cell)
                if re.search(r"gpu", h, re.IGNORECASE) and not re.search(r"gb|memory|메모리", h, re.IGNORECASE) and re.fullmatch(r"\d+", c):
                    c = f"{c} GPUs"
                c = amounts.with_header_currency(h, c)
                cells.append(f"{h}: {c}")
            out.append((" | ".join(cells), True))
    return out


def _figure_text(value: float) -> str:
    return f"USD {value:,.2f}"


@check("figures_match")
def figures_match(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Monthly costs, serving GPU counts and metric targets next to a figure's name equal the figure."""
    if not ctx.figures:
        return True, NO_FIGURES
    figures = ctx.figures
    costs = {c["model"]: c for c in figures.get("costs", [])}
    fits: dict[str, list[dict[str, Any]]] = {}
    for fit in figures.get("gpu_fit", []):
        fits.setdefault(fit["model"], []).append(fit)
    budget_values: list[float] = []
    # The stated budgets, running and one-off: a one-off build budget near a month word ('월 예산 없음(KRW 15,000,000은
    # 일회성 구축 예산)') is the client's own figure, not a monthly cost the document invented.
    for key in ("monthly_budget", "build_budget"):
        budget = ((ctx.brief or {}).get("constraints") or {}).get(key) or {}
        if budget.get("value"):
            rate = load_data("fx")["per_usd"].get(str(budget["value"].get("currency", "")).upper())
            if rate:
                budget_values.append(float(budget["value"]["amount"]) / float(rate))
    owned_counts = {int(h["count"]) for h in ((ctx.brief or {}).get("constraints") or {}).get("hardware", [])}
    names = sorted(set(costs) | set(fits))
    every_cost = [float(v) for c in costs.values() for k in ("monthly_usd", "api_usd", "self_host_usd") if (v := c.get(k)) is not None]
    every_cost += [float(v) for c in costs.values() for v in (c.get("parts") or {}).values()]  # power, operations, purchase ...
    served = [m for m in (ctx.decisions.get("recommended_model"), figures.get("recommended"), ctx.decisions.get("runner_up"), figures.get("runner_up")) if m]
    checked = 0
    for line, _ in _lines(doc, ctx):
        mentions = _mentions(line, names)
        if MONTHLY_RE.search(line):
            quotes = client_spans(line, ctx)
            for amount in amounts.amounts(line):
                if inside(amount.start, quotes):  # the client's words quoted as evidence, not a figure the document states
                    continue
                if UNIT_PRICE_AFTER.match(line[amount.end :]) or UNIT_PRICE_BEFORE.search(line[: amount.start]):
                    continue
                if ANNUAL_BEFORE.search(line[: amount.start]) or ANNUAL_AFTER.match(line[amount.end :]):  # '연 2,400만 원', 'EUR 30,000 a year'
                    amount = dataclasses.replace(amount, usd=amount.usd / 12, tolerance_usd=amount.tolerance_usd / 12)
                model = _owner(amount.start, mentions)
                checked += 1
                if model is None or model not in costs:  # a monthly amount of no named model: some computed cost, or the budget
                    if not amounts.matches(amount, every_cost + budget_values):
                        return False, f"'{amount.text}' a month is none of the computed monthly costs nor the budget: \"{line}\""
                    continue
                cost = costs[model]
                allowed = [v for v in (cost.get("monthly_usd"), cost.get("api_usd"), cost.get("self_host_usd")) if v is not None] + budget_values
                allowed += list((cost.get("parts") or {}).values())  # the parts the cost is made of (power, operations ...)
                if not amounts.matches(amount, allowed):
                    converted = "" if amount.currency == "USD" else f" (USD {amount.usd:,.2f} at the run's exchange rate)"
                    return False, (
                        f"'{model}': the document gives {amount.text} a month{converted}; the figures say {_figure_text(cost['monthly_usd'])} "
                        f"({cost.get('hosting', 'api')}): \"{line}\""
                    )
        counts = _gpu_counts(line)
        if counts and not TRAINING_RE.search(line) and (mentions or SERVING_RE.search(line) or re.search(r"GPU", line)):
            precision = next((p for p in PRECISIONS if p.lower() in line.lower()), None)
            for count, pos in counts:
                model = _owner(pos, mentions)
                owners = [model] if model in fits else [m for m in served if m in fits][:2] if model is None else []
                rows = [r for m in owners for r in fits[m]]
                if not rows:
                    continue
                allowed_rows = [r for r in rows if r["precision"] == precision] if precision else rows
                allowed = {r["gpus_needed"] for r in allowed_rows} | {r["gpus_needed"] * r["replicas"] for r in allowed_rows} | owned_counts
                checked += 1
                if count not in allowed:
                    shown = [r for r in allowed_rows if r.get("chosen") or precision]
                    right = ", ".join(f"{r['model']}: {r['gpus_needed']} x {r['gpu']} at {r['precision']}" for r in shown)
                    at = f" at {precision}" if precision else ""
                    return False, f"'{' or '.join(owners)}': the document gives {count} GPUs{at}; the figures say {right}: \"{line}\""

    ok, detail, n = figure_targets.targets_match(doc, ctx, figures.get("targets", []))
    if not ok:
        return False, detail
    checked += n
    return True, f"{checked} figures checked against the computed figures"


# ----------------------------------------------------------------------------- gates_respected


@check("gates_respected")
def gates_respected(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """No model the gates exclude is recommended, runner-up or scored in a candidate table."""
    if not ctx.figures:
        return True, NO_FIGURES
    excluded = {g["model"]: g.get("reasons", []) for g in ctx.figures.get("gates", []) if not g.get("passed")}
    # Best first (the figures' ranking), so the first two named are the recommendation and runner-up the totals support.
    passing = [s["model"] for s in ctx.figures.get("scores", [])] or [g["model"] for g in ctx.figures.get("gates", []) if g.get("passed")]

    def gate_of(name: str) -> str | None:
        return next((m for m in excluded if _same_name(m, name)), None)

    def why(model: str) -> str:
        reasons = excluded[model]
        return f"'{model}' fails a hard gate ({reasons[0] if reasons else 'excluded'})"

    choose = ", ".join(passing[:6]) or "none (say so instead of recommending)"
    rec, runner = find_recommendation(doc.raw)
    for role, name in (("recommended", rec), ("runner-up", runner)):
        model = gate_of(name) if name else None
        if model:
            return False, f"{why(model)} but is named as the {role} model; choose from the models that pass, best first: {choose}"
    scored = 0
    for table in tables(doc):
        labels = {category_of(h, ctx.language) for h in table.header[1:] if not _is_total_header(h)} - {None}
        if len(labels) < MIN_SCORE_COLUMNS:
            continue
        for row in table.rows:
            model = gate_of(row[0])
            if model:
                return False, f"{why(model)} but is scored as a candidate in the table under '{table.section}'; remove the row or list it as excluded"
            scored += 1
    return True, f"no excluded model is recommended or scored ({len(excluded)} excluded, {scored} rows checked)"
