"""Checks on what a document is built from, whatever its wording.

- `untrusted_instructions`: no sentence of a draft reads as an instruction aimed at a model
  ("Ignore previous instructions ..."). The same detector that screens research results
  (`tools.safety.injection_rule`) reads every draft, so text pasted from a poisoned source, or a
  model that repeated one, never ships.
- `rollback_present`: a deployment plan says how to go back to the previous version.
- `serves_recommended`: the plan serves the model document 2 recommended. The runner-up may
  appear only as a fallback, the evaluation's judge only judging; any other catalog model, or
  the recommended one named only as a fallback, fails.

Model names are read through `model_names.aliases`; clauses are cut and negations read by
`negation` (shared with the constraint checks).
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents import model_names
from genai_planner.documents.checks import SOURCES_TITLE, CheckContext, check
from genai_planner.documents.content_lexicon import _words
from genai_planner.documents.negation import clause_around, negated
from genai_planner.tools.safety import injection_rule, sentences


def _body_lines(doc: md.ParsedDocument, ctx: CheckContext) -> list[str]:
    sources = SOURCES_TITLE.get(ctx.language, "Sources").lower()
    return [ln for s in doc.sections if md.normalise_heading(s.title) != sources for ln in s.lines if ln.strip()]


DELIVERABLE_RULES = {"output", "recommend"}
"""Detector rules that read commands to change the deliverables ('add X to every document', 'make the
recommendation Y'). In research results they are planted instructions; in a plan they are its own
steps ('Add output guardrails ...'), so a draft is not judged by them. What a source tried to plant
is caught in drafts by `untrusted_text_absent`, which compares them with the withheld text itself."""


@check("untrusted_instructions")
def untrusted_instructions(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """No sentence of the draft is an instruction aimed at a model (the research filter's detector)."""
    found = []
    for line in [doc.title, *_body_lines(doc, ctx)]:
        plain = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", "", line)
        for sentence in sentences(plain):
            rule = injection_rule(sentence)
            if rule and rule not in DELIVERABLE_RULES:
                found.append(f"\"{sentence.strip()}\" ({rule})")
    if found:
        return False, "instructions aimed at a model, pasted from an untrusted source: remove them: " + "; ".join(found[:3])
    return True, "no instruction aimed at a model"


@check("rollback_present")
def rollback_present(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The plan says how traffic goes back to the previous version (a rollback that is not denied)."""
    words = _words("rollback_words", "en") + _words("rollback_words", "ko")
    for line in _body_lines(doc, ctx):
        for word in words:
            for m in re.finditer(re.escape(word), line, flags=re.IGNORECASE):
                label, colon, rest = line.partition(":")
                # A label says what the line is about ('**Rollback:** not planned'): the clause after it is the claim.
                clause = clause_around(rest, 0, 0) if colon and m.end() <= len(label) else clause_around(line, m.start(), m.end())
                if not negated(clause):
                    return True, f"rollback: \"{line.strip()}\""
    return False, "no rollback: say how traffic returns to the previous version, who decides and how fast"


def _fallback(clause: str) -> bool:
    words = _words("fallback_words", "en") + _words("fallback_words", "ko")
    return any(regex_cache.compile(r"(?<![A-Za-z])" + re.escape(w), re.IGNORECASE).search(clause) for w in words)


def _judging(clause: str) -> bool:
    words = _words("judge_words", "en") + _words("judge_words", "ko")
    return any(regex_cache.compile(r"(?<![A-Za-z])" + re.escape(w), re.IGNORECASE).search(clause) for w in words)


@check("serves_recommended")
def serves_recommended(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The document serves the recommended model; the runner-up only as a fallback; no other catalog model."""
    recommended = ctx.decisions.get(params.get("decision", "recommended_model")) or ctx.figures.get("recommended")
    if not recommended:
        return True, "no recommended model recorded; nothing to match"
    runner = ctx.decisions.get("runner_up") or ctx.figures.get("runner_up")
    catalog = ctx.catalog or [{"name": recommended}]
    rec_model = model_names.resolve(str(recommended), catalog) or {"name": recommended}
    runner_model = model_names.resolve(str(runner), catalog) if runner else None
    # The evaluation's judge scores test runs; a clause that names it judging serves no user.
    judge = model_names.resolve(str((ctx.figures.get("evaluation") or {}).get("judge") or ""), catalog) if ctx.figures.get("evaluation") else None
    # A fallback other than the runner-up (the runner-up could not stand by beside the primary): named only as the fallback.
    standby = next((c.get("model") for c in ctx.figures.get("colocated") or [] if c.get("role") == "fallback" and c.get("mode") != "none"), None)
    standby_model = model_names.resolve(str(standby), catalog) if standby else None
    served = 0
    for line in _body_lines(doc, ctx):
        squashed = model_names.squash_text(line)
        for start, end, name in model_names.mentions(line, catalog):
            clause = clause_around(squashed, start, end)
            if name == rec_model["name"]:
                served += 0 if _fallback(clause) else 1
            elif runner_model and name == runner_model["name"]:
                if not _fallback(line) and not negated(clause):  # 'Fallback routing: send requests to <runner-up> when ...'
                    return False, f"serves the runner-up {name} instead of the recommended {rec_model['name']}: \"{line.strip()}\""
            elif judge and name == judge["name"] and _judging(clause):
                continue
            elif standby_model and name == standby_model["name"] and _fallback(line):
                continue
            elif not negated(clause):
                return False, f"plans to serve {name}, which document 2 did not recommend ({rec_model['name']}): \"{line.strip()}\""
    if not served:
        return False, f"never serves the recommended model {rec_model['name']} (named only as a fallback, or not at all)"
    return True, f"serves {rec_model['name']}"
