"""The offline engine's writer: builds each section from the findings, the profile and the spec.

It reads only what the prompt carries (section specs, findings with source ids, decisions,
feedback, lessons) and writes Markdown in the run's language. Bullets come from the
sources it cites; the phrases in `phrases.py` join them to the use case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from genai_planner.models.offline.phrases import (
    BUSINESS_METRICS,
    DOMAIN_NAMES,
    PHRASES,
    RUBRIC_CATEGORIES,
    SELECTION_FACTORS,
    TECHNICAL_METRICS,
    TECHNIQUES,
)
from genai_planner.models.offline.protocol import Finding
from genai_planner.tools.safety import looks_like_injection


@dataclass
class WriteContext:
    """Everything the composer may use, all read from the prompt."""

    language: str
    doc_id: str
    doc_title: str
    profile: dict[str, Any]
    use_case: str
    decisions: dict[str, Any]
    findings: list[Finding]
    compact: bool = False
    used: set[str] = field(default_factory=set)

    @property
    def p(self) -> dict[str, str]:
        return PHRASES[self.language]

    @property
    def users(self) -> str:
        users = self.profile.get("users") or []
        if not users:
            return "직원" if self.language == "ko" else "staff"
        if self.language == "ko":
            return ", ".join(users[:2])
        return " and ".join(users[:2])

    @property
    def org(self) -> str:
        return self.profile.get("organisation") or ("우리 조직" if self.language == "ko" else "Our organisation")

    @property
    def domain(self) -> str:
        return self.profile.get("domain") or "general"

    @property
    def model(self) -> str:
        return str(self.decisions.get("recommended_model") or ("선정된 모델" if self.language == "ko" else "the selected model"))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _usable(text: str) -> bool:
    return not looks_like_injection(text)


def _score(text: str, keywords: list[str]) -> int:
    """How many keywords occur in `text`, each matched at the start of a word."""
    lowered = text.lower()
    return sum(1 for k in keywords if k and re.search(r"(?<![a-z0-9])" + re.escape(k.lower()), lowered))


LABEL_HINTS: dict[str, list[str]] = {
    "functional": ["answer", "integrat", "cite", "source", "question", "support"],
    "non-functional": ["latency", "availab", "secur", "second", "privacy", "scal"],
    "기능": ["답변", "연동", "출처", "질문", "지원"],
    "비기능": ["응답 시간", "가용", "보안", "초", "개인정보", "확장"],
    "size": ["200", "500", "items", "sample", "confidence"],
    "diversity": ["divers", "intent", "group", "languages", "channel"],
    "edge": ["edge", "adversarial", "typo", "unusual", "injection"],
    "real-world": ["real", "log", "production", "anonymi"],
    "tools": ["ragas", "deepeval", "promptfoo", "harness", "framework"],
    "process": ["pipeline", "ci", "regression", "nightly", "gate"],
    "interpreting": ["interpret", "threshold", "trend", "confidence", "compare"],
    "real-time": ["dashboard", "real-time", "alert", "latency"],
    "feedback": ["feedback", "thumbs", "comment", "rating"],
    "periodic": ["re-evaluat", "monthly", "quarter", "schedule"],
    "encryption": ["encrypt", "tls", "key"],
    "compliance": ["complian", "regulat", "gdpr", "law", "audit"],
    "rollout": ["canary", "staged", "rollout", "shadow", "percent"],
    "backward": ["backward", "compatib", "deprecat", "contract"],
    "규모": ["200", "500", "건", "표본"],
    "다양성": ["다양", "의도", "집단", "언어"],
    "예외": ["예외", "적대", "오타", "인젝션"],
    "실제": ["실제", "로그", "운영", "비식별"],
    "도구": ["ragas", "deepeval", "promptfoo", "도구", "프레임워크"],
    "절차": ["파이프라인", "회귀", "ci", "자동"],
    "해석": ["해석", "기준", "추세", "비교"],
    "실시간": ["대시보드", "실시간", "경보", "지연"],
    "피드백": ["피드백", "평점", "의견"],
    "재평가": ["재평가", "매월", "분기", "정기"],
}


def pick_bullets(
    ctx: WriteContext, section_id: str, n: int, keywords: list[list[str]] | None = None
) -> list[tuple[str, str]]:
    """`n` (bullet, source id) pairs for a section.

    Without keywords, the section's own findings come first (in retrieval order), then the
    sector notes. With keywords for an item, the best-matching bullet of any finding wins,
    ties going to the section's own findings.
    """
    pools = [
        [f for f in ctx.findings if f.section == section_id],
        [f for f in ctx.findings if f.section == "domain"],
        [f for f in ctx.findings if f.section not in {section_id, "domain"} and f.kind == "knowledge"],
    ]
    candidates: list[tuple[int, str, str]] = []
    order = 0
    for rank, pool in enumerate(pools):
        for finding in pool:
            for bullet in finding.bullets:
                if not _usable(bullet):
                    continue
                candidates.append((rank * 1000 + order, bullet, finding.id))
                order += 1
    candidates.sort()
    own = [c for c in candidates if c[0] < 2000]
    chosen: list[tuple[str, str]] = []
    for i in range(n):
        want = list(keywords[i]) if keywords and i < len(keywords) else []
        for word in list(want):
            want += LABEL_HINTS.get(word, [])
        best = None
        if want:
            scored = [(-_score(b, want), pos, b, sid) for pos, b, sid in candidates if b not in ctx.used]
            scored.sort()
            if scored and scored[0][0] < 0:
                best = (scored[0][2], scored[0][3])
        if best is None:
            remaining = [(b, sid) for _, b, sid in own if b not in ctx.used]
            if ctx.compact:
                remaining.sort(key=lambda x: len(x[0].split()))
            best = remaining[0] if remaining else None
        if best is None:
            break
        ctx.used.add(best[0])
        chosen.append(best)
    return chosen


def _first_source(ctx: WriteContext, section_id: str) -> str | None:
    for finding in ctx.findings:
        if finding.section == section_id:
            return finding.id
    return None


def _cite(source_id: str | None) -> str:
    return f" [{source_id}]" if source_id else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2].isupper() is False else text


def compose_paragraph(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """A short paragraph: the use case's own facts, then evidence from the findings."""
    p, sid = ctx.p, spec["id"]
    if sid == "problem_statement":
        challenge = challenge_sentences(ctx.use_case, 1 if ctx.compact else 2)
        words = challenge.split()
        if len(words) > 70:
            challenge = " ".join(words[:70]).rstrip(",.;") + "."
        text = challenge if ctx.org.lower() in challenge.lower() else p["problem_intro"].format(org=ctx.org, challenge=challenge)
        text += " " + p["opportunity"].format(users=ctx.users, benefit=p["benefit"])
        picks = pick_bullets(ctx, sid, 0 if ctx.compact else 1)
        for bullet, source in picks:
            text += f" {bullet}{_cite(source)}"
        if not picks:
            text += _cite(_first_source(ctx, sid))
        own = own_evidence(ctx)
        if own:
            text += f" {own}"
        return [text]
    key = {"selection_criteria": "criteria", "organisational_readiness": "readiness"}.get(sid)
    text = p[key].format(users=ctx.users) if key else ""
    for bullet, source in pick_bullets(ctx, sid, 0 if ctx.compact else 1):
        text += f" {bullet}{_cite(source)}"
    source = _first_source(ctx, sid)
    if source and f"[{source}]" not in text and "[S" not in text:
        text += _cite(source)
    return [text.strip()]


CHALLENGE_WORDS = [
    "spend", "wait", "slow", "take", "manual", "delay", "search", "grown", "long", "months", "days", "minutes",
    "시간", "지연", "늦", "평균", "검색", "걸", "분",
]


def challenge_sentences(use_case: str, n: int) -> str:
    """The `n` sentences of the use case that say most about its current challenges, in order."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", use_case).strip()) if s]
    scored = sorted(range(len(sentences)), key=lambda i: (-_score(sentences[i], CHALLENGE_WORDS), i))
    keep = sorted(scored[:n])
    return " ".join(sentences[i] for i in keep)


def own_evidence(ctx: WriteContext, max_words: int = 30) -> str | None:
    """One cited sentence from the organisation's own material (user documents, web, plugins)."""
    for f in ctx.findings:
        if f.kind in {"knowledge", "catalog"}:
            continue
        candidates = [b for b in f.bullets if _usable(b)] or [s for s in f.sentences if _usable(s)]
        if not candidates:
            continue
        words = candidates[0].split()
        sentence = " ".join(words[:max_words]).rstrip(",;:") + ("." if len(words) > max_words else "")
        return f"{sentence} [{f.id}]"
    return None


def _label_keywords(labels: list[str]) -> list[list[str]]:
    return [[w for w in re.split(r"[\s-]+", label.lower()) if len(w) > 1] for label in labels]


def _metrics(ctx: WriteContext) -> list[tuple[str, str, str, list[str]]]:
    """Five metrics (kind label, name, definition, keywords): three technical, two business."""
    kinds = ("Technical", "Business") if ctx.language == "en" else ("기술", "비즈니스")
    technical = TECHNICAL_METRICS[ctx.language][:3]
    business = BUSINESS_METRICS[ctx.language].get(ctx.domain, BUSINESS_METRICS[ctx.language]["general"])
    return [(kinds[0], *m) for m in technical] + [(kinds[1], *m) for m in business]


def compose_metric_items(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """Key metrics, each named in italics so later documents can refer to it."""
    items = []
    for kind, name, definition, keywords in _metrics(ctx):
        picks = pick_bullets(ctx, spec["id"], 1, [keywords])
        source = picks[0][1] if picks else _first_source(ctx, spec["id"])
        explanation = definition if ctx.compact or not picks else f"{definition}; {picks[0][0]}"
        items.append(f"- **{kind}:** *{name}* — {explanation}{_cite(source)}")
    return items


def compose_evaluation_metrics(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """Five evaluation metrics that carry document 1's key metrics, with why each matters."""
    names: list[str] = list(ctx.decisions.get("metrics") or [])
    defaults = [m[1] for m in _metrics(ctx)]
    for name in defaults:
        if len(names) >= 5:
            break
        if name not in names:
            names.append(name)
    definitions = {m[1]: (m[2], m[3]) for m in _metrics(ctx)}
    items = []
    for name in names[:5]:
        definition, keywords = definitions.get(name, (ctx.p["metric_fallback"].format(users=ctx.users), [name.lower()]))
        picks = pick_bullets(ctx, spec["id"], 1, [keywords])
        source = picks[0][1] if picks else _first_source(ctx, spec["id"])
        why = picks[0][0] if picks else definition
        items.append(f"- *{name}* ({definition}) — {ctx.p['why']}: {why}{_cite(source)}")
    return items


def compose_list(spec: dict[str, Any], ctx: WriteContext, numbered: bool = False, checklist: bool = False) -> list[str]:
    """A list section: labels from the spec, evidence bullets from the findings."""
    sid = spec["id"]
    if sid == "key_metrics":
        return compose_metric_items(spec, ctx)
    if spec.get("carry_metrics"):
        return compose_evaluation_metrics(spec, ctx)
    n = int(spec.get("items") or 3)
    labels: list[str] | None = spec.get("labels")
    names: list[str] | None = None
    keywords = _label_keywords(labels) if labels else None
    if sid == "selection_factors":
        factors = SELECTION_FACTORS[ctx.language][:n]
        names = [f[0] for f in factors]
        keywords = [f[2] for f in factors]
        key_ids = _key_factors(ctx)
    if sid == "techniques":
        techniques = TECHNIQUES[ctx.language][:n]
        names = [t[0] for t in techniques]
        keywords = [t[1] for t in techniques]
    picks = pick_bullets(ctx, sid, n, keywords)
    lines: list[str] = []
    if sid == "considerations":
        lines += [ctx.p["intro_model"].format(model=ctx.model, users=ctx.users), ""]
    if checklist and sid == "pre_deployment":
        lines.append(f"- [ ] {ctx.p['checklist_model'].format(model=ctx.model)}{_cite(_first_source(ctx, sid))}")
        n -= 1
    for i, (bullet, source) in enumerate(picks[:n]):
        text = f"{bullet}{_cite(source)}"
        if labels and i < len(labels):
            text = f"**{labels[i]}:** {text}"
        elif names and i < len(names):
            mark = f" ({ctx.p['key']})" if sid == "selection_factors" and factors[i][1] in key_ids else ""
            text = f"**{names[i]}**{mark}: {text}"
        prefix = f"{i + 1}." if numbered else ("- [ ]" if checklist else "-")
        lines.append(f"{prefix} {text}")
    return lines


def _key_factors(ctx: WriteContext) -> set[str]:
    constraints = ctx.profile.get("constraints") or {}
    keys = []
    if constraints.get("on_premises") or ctx.profile.get("data_sensitivity") == "high":
        keys.append("privacy")
    if ctx.language == "ko" or "ko" in (constraints.get("languages") or []):
        keys.append("language")
    if constraints.get("monthly_budget_usd"):
        keys.append("cost")
    for default in ("quality", "latency"):
        if len(keys) < 2:
            keys.append(default)
    return set(keys)


def compose_blocks(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """Steps, considerations and challenges for one improvement technique."""
    sid = spec["id"]
    p = ctx.p
    intro_key = {"fine_tuning": "ft_intro", "rag": "rag_intro", "prompt_engineering": "pe_intro"}.get(sid, "other_intro")
    domain = DOMAIN_NAMES[ctx.language].get(ctx.domain, ctx.domain)
    lines = [p[intro_key].format(model=ctx.model, users=ctx.users, domain=domain), ""]
    n_steps = 3
    picks = pick_bullets(ctx, sid, n_steps + 2)
    steps, rest = picks[:n_steps], picks[n_steps:]
    lines.append(f"**{p['steps']}:**")
    lines.append("")
    for i, (bullet, source) in enumerate(steps):
        lines.append(f"{i + 1}. {bullet}{_cite(source)}")
    for label, pick in zip((p["considerations"], p["challenges"]), rest, strict=False):
        lines += ["", f"**{label}:** {pick[0]}{_cite(pick[1])}"]
    return lines


@dataclass
class Candidate:
    """A catalog model as the composer reads it from a catalog finding."""

    name: str
    provider: str
    source: str
    fields: dict[str, str]

    def number(self, key: str) -> float | None:
        match = re.search(r"[\d.]+", self.fields.get(key, ""))
        return float(match.group()) if match else None


def parse_candidates(ctx: WriteContext) -> list[Candidate]:
    """Catalog findings parsed into candidates."""
    out = []
    for f in ctx.findings:
        if f.kind != "catalog":
            continue
        fields = {}
        for part in f.text.split("; "):
            key, _, value = part.partition(": ")
            if value:
                fields[key.strip()] = value.strip()
            elif "parameters" in part:
                fields["parameters"] = part
        if "name" in fields:
            out.append(Candidate(fields["name"], fields.get("provider", ""), f.id, fields))
    return out


def _weights(ctx: WriteContext) -> dict[str, int]:
    constraints = ctx.profile.get("constraints") or {}
    weights = {"quality": 30, "cost": 20, "latency": 15, "privacy": 15, "language": 10, "licence": 10}
    if constraints.get("on_premises") or ctx.profile.get("data_sensitivity") == "high":
        weights.update(privacy=25, cost=15, latency=10)
    if ctx.language == "ko" or "ko" in (constraints.get("languages") or []):
        weights.update(language=15, quality=25)
    if constraints.get("monthly_budget_usd"):
        weights.update(cost=25, quality=25)
    total = sum(weights.values())
    weights["quality"] += 100 - total
    return weights


def score_candidate(c: Candidate, ctx: WriteContext) -> dict[str, int]:
    """1-5 per rubric category, from the catalog facts."""
    params = c.number("parameters") if "parameters" in c.fields else None
    if params is None:
        match = re.search(r"([\d.]+)B parameters", " ".join(c.fields.values()))
        params = float(match.group(1)) if match else None
    korean = c.fields.get("korean_quality", "")
    price_match = re.search(r"\$([\d.]+)/", c.fields.get("price", ""))
    price = float(price_match.group(1)) if price_match else None
    open_weights = c.fields.get("open_weights") == "true"
    licence = c.fields.get("licence", "").lower()
    lowered = c.name.lower()
    fast = any(w in lowered for w in ("mini", "flash", "haiku", "small"))
    if params is None:
        quality = 4 if fast else 5
    else:
        quality = 5 if params >= 70 else 4 if params >= 20 else 3 if params >= 7 else 2
    if ctx.language == "ko":
        quality = min(quality, {"strong": 5, "good": 4}.get(korean, 2))
    if price is None:
        cost = 4 if (params or 100) <= 35 else 2
    else:
        cost = 5 if price <= 0.5 else 4 if price <= 2 else 3 if price <= 5 else 2
    latency = 5 if fast or (params is not None and params <= 10) else 4 if (params or 0) and params <= 40 else 3
    privacy = 5 if open_weights else (2 if ctx.profile.get("data_sensitivity") == "high" else 3)
    language = {"strong": 5, "good": 4, "limited": 2}.get(korean, 3) if ctx.language == "ko" else 4
    if "non-commercial" in licence or "nc" in licence.split():
        lic = 1
    elif "apache" in licence or "mit" in licence:
        lic = 5
    elif "proprietary" in licence:
        lic = 3
    else:
        lic = 4
    return {"quality": quality, "cost": cost, "latency": latency, "privacy": privacy, "language": language, "licence": lic}


def ranked_candidates(ctx: WriteContext) -> list[tuple[Candidate, dict[str, int], float]]:
    """Candidates with scores and weighted totals, best first (ties: cheaper first, then name)."""
    weights = _weights(ctx)
    ranked = []
    for c in parse_candidates(ctx):
        scores = score_candidate(c, ctx)
        total = sum(scores[k] * w for k, w in weights.items()) / 100
        ranked.append((c, scores, total))
    ranked.sort(key=lambda r: (-r[2], -r[1]["cost"], r[0].name))
    return ranked


def compose_rubric(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """The weighted rubric table and the scoring scale."""
    weights = _weights(ctx)
    cats = RUBRIC_CATEGORIES[ctx.language]
    lines = [ctx.p["rubric_header"], "| --- | --- | --- |"]
    for key, weight in weights.items():
        name, criteria = cats[key]
        lines.append(f"| {name} | {criteria} | {weight} |")
    picks = pick_bullets(ctx, spec["id"], 1)
    lines += ["", ctx.p["scoring"] + (_cite(picks[0][1]) if picks else _cite(_first_source(ctx, spec["id"])))]
    return lines


def compose_candidates(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """The candidates table: real catalog models scored with the rubric."""
    cats = RUBRIC_CATEGORIES[ctx.language]
    weights = _weights(ctx)
    header = ctx.p["candidates_header"].format(categories=" | ".join(cats[k][0] for k in weights))
    lines = [header, "|" + " --- |" * (len(weights) + 3)]
    for c, scores, total in ranked_candidates(ctx)[:4]:
        cells = " | ".join(str(scores[k]) for k in weights)
        lines.append(f"| {c.name} | {c.provider} [{c.source}] | {cells} | {total:.2f} |")
    return lines


def compose_recommendation(spec: dict[str, Any], ctx: WriteContext) -> list[str]:
    """The recommended model and runner-up, from the best weighted scores."""
    ranked = ranked_candidates(ctx)
    if len(ranked) < 2:
        return ["—"]
    (best, _, best_score), (runner, _, runner_score) = ranked[0], ranked[1]
    p = ctx.p
    return [
        f"**{p['rec_label']}:** {best.name} [{best.source}]",
        "",
        f"**{p['runner_label']}:** {runner.name} [{runner.source}]",
        "",
        p["rec_reason"].format(model=best.name, score=best_score, runner=runner.name, runner_score=runner_score),
    ]


def compose_section(spec: dict[str, Any], ctx: WriteContext) -> str:
    """One `##` section in Markdown."""
    form = spec["form"]
    if form == "paragraph":
        body = compose_paragraph(spec, ctx)
    elif form == "list":
        body = compose_list(spec, ctx)
    elif form == "numbered":
        body = compose_list(spec, ctx, numbered=True)
    elif form == "checklist":
        body = compose_list(spec, ctx, checklist=True)
    elif form == "blocks":
        body = compose_blocks(spec, ctx)
    elif form == "rubric_table":
        body = compose_rubric(spec, ctx)
    elif form == "candidates_table":
        body = compose_candidates(spec, ctx)
    elif form == "recommendation":
        body = compose_recommendation(spec, ctx)
    else:
        raise ValueError(f"unknown section form {form!r}")
    return "\n".join([f"## {spec['title']}", "", *body]).rstrip() + "\n"


def compose_document(section_specs: list[dict[str, Any]], ctx: WriteContext, title: str | None = None) -> str:
    """A whole document (or just some sections when `title` is None)."""
    parts = [f"# {title}\n"] if title else []
    parts += [compose_section(spec, ctx) for spec in section_specs]
    return "\n".join(parts)
