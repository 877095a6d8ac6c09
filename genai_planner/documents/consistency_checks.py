"""Cross-document checks (specs/consistency.yaml): a document against the decisions of the others.

Document 3 and 5 name the recommended model and no rival; document 4's metrics are document 1's,
both ways; no catalog model named breaks a hard constraint, read with the same negation and
exclusion routine as the per-document constraint check (`negation`).
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckContext, _section_text, check
from genai_planner.documents.selection_checks import violates_constraints


@check("mentions_decision")
def mentions_decision(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The document names a decision recorded by an earlier document (e.g. the recommended model)."""
    value = ctx.decisions.get(params["decision"])
    if not value:
        return True, f"no '{params['decision']}' decision recorded; nothing to match"
    if str(value).lower() not in doc.raw.lower():
        return False, f"does not name the {params['decision'].replace('_', ' ')} '{value}' from document 2"
    return True, f"names '{value}'"


def without_exclusions(text: str) -> str:
    """`text` without the lines that state an exclusion ("GPT-4o is excluded (API-only ...)", "…제외").

    A source's claim that names a model the gates rule out reaches a document with the
    verdict beside it (planning/claims.py); reporting that claim is not planning work on
    the model, so the cross-document model checks do not read those lines.
    """
    from genai_planner.documents.content_lexicon import lexicon

    words = [w.lower() for lang in ("en", "ko") for w in lexicon()["exclusion"][lang]]
    return "\n".join(line for line in text.splitlines() if not any(w in line.lower() for w in words))


@check("no_rival_model")
def no_rival_model(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The document plans work on no catalog model other than the recommended one (and runner-up)."""
    allowed = {str(ctx.decisions.get(params["decision"]) or "").lower(), str(ctx.decisions.get("runner_up") or "").lower()}
    text = without_exclusions(doc.raw).lower()
    for name in sorted(filter(None, allowed), key=len, reverse=True):
        text = text.replace(name, " ")  # "GPT-4o mini" must not count as a mention of "GPT-4o"
    rivals = [m["name"] for m in ctx.catalog if m["name"].lower() not in allowed and m["name"].lower() in text]
    if rivals:
        return False, "names models document 2 did not recommend: " + ", ".join(rivals)
    return True, "no other catalog model named"


@check("covers_metrics")
def covers_metrics(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The document covers each metric name recorded by document 1."""
    metrics: list[str] = ctx.decisions.get(params["decision"]) or []
    if not metrics and ctx.decisions.get("requirements"):  # document 1 was accepted, yet no metric could be read from it
        return False, "document 1 recorded no key metrics to cover: name them in its key-metrics section as the contract gives them"
    text = doc.raw.lower()
    missing = [m for m in metrics if m.lower() not in text]
    if missing:
        return False, "does not cover document 1's key metrics: " + ", ".join(missing)
    if params.get("section") and metrics:  # both ways: every metric the section defines is one of document 1's
        section = _section_text(doc, ctx, params["section"]) or ""
        # A label loses its parentheses ('처리 건(summaries sent) 비율' -> '처리 건 비율'): so do the names it is compared with.
        known = [re.sub(r"\s+", " ", re.sub(r"\([^()]*\)", " ", m.lower())).strip() for m in metrics]
        for item in md.list_items(section):
            label = _item_label(item)
            if label and not any(k in label or label in k for k in known):
                return False, f"'{label}' is not one of document 1's key metrics ({', '.join(metrics)}): use document 1's metrics, or add it there first"
    return True, f"covers all {len(metrics)} key metrics of document 1"


def _item_label(item: str) -> str | None:
    """A list item's label, lower-cased: its leading bold or italic words, else the words before ':' ('- **X** (kind): ...' -> 'x')."""
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", "", item.strip())
    emphasis = re.match(r"\*\*([^*]+)\*\*|\*([^*]+)\*", text)
    if emphasis:
        label = emphasis.group(1) or emphasis.group(2)
    elif ":" in text[:80]:
        label = text.split(":", 1)[0]
    else:
        return None
    label = re.sub(r"\([^()]*\)", " ", label).strip().rstrip(":").strip()
    label = label.split(":")[-1].strip()  # 'Technical: Answer accuracy' -> 'answer accuracy'
    return re.sub(r"\s+", " ", label).lower() or None


@check("constraints")
def constraints_check(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """No catalog model named in the document breaks a hard constraint (the list of excluded models aside)."""
    skip_ids = set(params.get("except_sections", ["hard_gates"]))
    skip = {md.normalise_heading(s.title.get(ctx.language)) for s in ctx.spec.sections if s.id in skip_ids}  # type: ignore[arg-type]
    from genai_planner.documents import model_names  # the negation routine reads the lexicon, which needs this module first
    from genai_planner.documents.negation import clause_around, excluding, negated

    for section in doc.sections:
        if md.normalise_heading(section.title) in skip:
            continue
        for line in section.lines:
            squashed = model_names.squash_text(line)
            for start, end, name in model_names.mentions(line, ctx.catalog):
                model = next(m for m in ctx.catalog if m["name"] == name)
                reason = violates_constraints(model, ctx.constraints)
                # The same reading as the per-document constraint check: a negated or excluding clause only names it.
                if reason and not negated(clause_around(squashed, start, end)) and not excluding(line, section.title):
                    return False, f"contradicts a hard constraint: {reason}: \"{line.strip()}\""
    return True, "respects the hard constraints"
