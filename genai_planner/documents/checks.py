"""Checks: small pure functions from a document (and the run's decisions) to a result.

Every check named in a `DocumentSpec` is one function registered here under its `type`.
A check never raises on a bad document: it fails with a `detail` the writer can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from pydantic import BaseModel

from genai_planner.core.settings import Language
from genai_planner.documents import markdown as md
from genai_planner.documents.specs import CheckSpec, DocumentSpec


class CheckResult(BaseModel):
    """The outcome of one check on one draft."""

    id: str
    passed: bool
    detail: str
    section: str | None = None
    advisory: bool = False
    """A word-list finding that informs the reviewer but does not fail the draft (see ADVISORY_TYPES)."""


@dataclass
class CheckContext:
    """What a check may read besides the document itself."""

    language: Language
    spec: DocumentSpec
    known_sources: set[str] = field(default_factory=set)
    researched_sections: set[str] = field(default_factory=set)
    decisions: dict[str, Any] = field(default_factory=dict)
    catalog: list[dict[str, Any]] = field(default_factory=list)
    constraints: dict[str, Any] = field(default_factory=dict)
    brief: dict[str, Any] = field(default_factory=dict)
    """The run's `Brief` as JSON (genai_planner.planning.brief); empty when a caller has none."""
    figures: dict[str, Any] = field(default_factory=dict)
    """The run's `Figures` as JSON (genai_planner.planning.figures); empty when a caller has none."""
    quoted: tuple[str, ...] = ()
    """Text the document may quote as the user wrote it (the use case); the language check does not count it."""
    withheld: tuple[str, ...] = ()
    """Sentences the tool boundary withheld from this document's sources as instructions, and their payloads."""


ADVISORY_TYPES = frozenset({"label_fits"})
"""Check types whose failures inform and do not block.

`label_fits` judges whether an explanation is 'about' its label from word lists; measured on
independently written documents (bench/check_accuracy.py) its failures were mostly wrong
(a GDPR requirement under 'Non-functional', 'Licence' against 'License'), so it advises.
"""

CheckFn = Callable[[md.ParsedDocument, dict[str, Any], CheckContext], tuple[bool, str]]
CHECKS: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under `name` (the `type` used in spec files)."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return register


def _section_text(doc: md.ParsedDocument, ctx: CheckContext, section_id: str) -> str | None:
    title = ctx.spec.section(section_id).title.get(ctx.language)
    section = doc.find(title)
    return section.text if section else None


def _scope(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> list[tuple[str, str | None]]:
    """(section id, text) pairs a check applies to; the whole body when no section is named."""
    if "section" in params:
        ids = [params["section"]]
    elif "sections" in params:
        ids = list(params["sections"])
    else:
        return [("document", body_text(doc, ctx))]
    return [(sid, _section_text(doc, ctx, sid)) for sid in ids]


def body_text(doc: md.ParsedDocument, ctx: CheckContext) -> str:
    """All section bodies except the sources list."""
    return _body(doc, ctx.language)


def _body(doc: md.ParsedDocument, language: str) -> str:
    sources_title = SOURCES_TITLE[language]  # type: ignore[index]
    return "\n".join(
        f"{s.title}\n{s.text}" for s in doc.sections if md.normalise_heading(s.title) != sources_title.lower()
    )


def document_words(markdown: str, language: str) -> int:
    """The words of a whole document as its word-limit check counts them (headings and bodies; no title, no sources).

    The progress line ("v1 written (N words)") uses this too, so both say the same number.
    """
    return md.count_words(_body(md.parse_document(markdown), language))


SOURCES_TITLE = md.SOURCES_TITLE


@check("sections_present")
def sections_present(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Every section of the spec appears as a `##` heading, in the contract's order."""
    missing = [title for title in ctx.spec.section_titles(ctx.language).values() if doc.find(title) is None]
    if not doc.title:
        return False, "the document has no '# ' title line"
    if missing:
        return False, "missing sections: " + ", ".join(f"'## {m}'" for m in missing)
    wanted = list(ctx.spec.section_titles(ctx.language).values())
    found = [md.normalise_heading(s.title) for s in doc.sections]
    positions = [found.index(md.normalise_heading(t)) for t in wanted]
    for i in range(1, len(wanted)):
        if positions[i] < positions[i - 1]:
            a, b = wanted[i - 1], wanted[i]
            return False, f"sections out of the contract's order: '## {b}' comes before '## {a}' (order: {' → '.join(wanted)})"
    return True, f"all {len(ctx.spec.sections)} sections present, in order"


_MARKDOWN = MarkdownIt("commonmark").enable("table")


@check("markdown_valid")
def markdown_valid(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The Markdown parses: one H1, balanced code fences, tables with a consistent column count."""
    tokens = _MARKDOWN.parse(doc.raw)
    h1 = sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1")
    if h1 != 1:
        return False, f"expected exactly one '# ' title, found {h1}"
    if doc.raw.count("```") % 2:
        return False, "a code fence (```) is not closed"
    for section in doc.sections:
        rows = md.table_rows(section.text)
        widths = {len(r) for r in rows}
        if len(widths) > 1:
            return False, f"table in '{section.title}' has rows with different column counts {sorted(widths)}"
    return True, "Markdown parses"


@check("max_words")
def max_words(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """A section (or the whole body) stays within a word limit."""
    limit = int(params["limit"])
    for sid, text in _scope(doc, params, ctx):
        if text is None:
            return False, f"section '{sid}' is missing"
        words = md.count_words(text)
        if words > limit:
            return False, f"{sid} has {words} words, limit {limit}: shorten it by {words - limit}"
        last = words
    return True, f"{last} words (limit {limit})"


@check("item_count")
def item_count(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """A section has exactly `count` (or at least `min`) list items.

    `count: targets` is the number of key metrics the figures chose (it follows the use case:
    five, more when the client states more criteria); five when a caller has no figures.
    """
    ordered = bool(params.get("ordered"))
    if params.get("count") == "targets":
        params = {**params, "count": len(ctx.figures.get("targets") or []) or 5}
    for sid, text in _scope(doc, params, ctx):
        if text is None:
            return False, f"section '{sid}' is missing"
        n = len(md.list_items(text, ordered_only=ordered))
        kind = "numbered steps" if ordered else "list items"
        if "count" in params and n != int(params["count"]):
            return False, f"{sid} has {n} {kind}, expected exactly {params['count']}"
        if "min" in params and n < int(params["min"]):
            return False, f"{sid} has {n} {kind}, expected at least {params['min']}"
    return True, f"{n} {kind}"


@check("mentions_all")
def mentions_all(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Each term group (a list of alternatives) is mentioned in every section in scope."""
    groups: list[list[str]] = params["terms"][ctx.language]
    for sid, text in _scope(doc, params, ctx):
        if text is None:
            return False, f"section '{sid}' is missing"
        lowered = text.lower()
        missing = [g[0] for g in groups if not any(alt.lower() in lowered for alt in g)]
        if missing:
            return False, f"{sid} does not mention: " + ", ".join(repr(m) for m in missing)
    return True, "mentions " + ", ".join(repr(g[0]) for g in groups)


@check("checklist_items")
def checklist_count(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Each section in scope has at least `min` checklist items (`- [ ]`)."""
    minimum = int(params.get("min", 1))
    total = 0
    for sid, text in _scope(doc, params, ctx):
        if text is None:
            return False, f"section '{sid}' is missing"
        n = len(md.checklist_items(text))
        if n < minimum:
            return False, f"{sid} has {n} checklist items ('- [ ] ...'), expected at least {minimum}"
        total += n
    return True, f"{total} checklist items"


@check("citations")
def citations_check(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Cited sources exist in the research log, and each researched section cites at least one."""
    cited = md.citations(body_text(doc, ctx))
    unknown = [c for c in cited if c not in ctx.known_sources]
    if unknown:
        return False, "cites sources the research log does not contain: " + ", ".join(unknown)
    listed = doc.find(SOURCES_TITLE.get(ctx.language, "Sources"))
    missing = [c for c in dict.fromkeys(cited) if listed is not None and c not in md.citations(listed.text)]
    if missing:  # a reader looks a citation up in the document's own list
        return False, f"cites sources its '{listed.title}' list does not hold: " + ", ".join(missing)
    uncited = []
    for sid in sorted(ctx.researched_sections):
        text = _section_text(doc, ctx, sid)
        if text is not None and not md.citations(text):
            uncited.append(sid)
    if uncited:
        return False, "sections with research but no citation: " + ", ".join(uncited)
    return True, f"{len(cited)} sources cited, all in the research log"


def run_check(spec: CheckSpec, doc: md.ParsedDocument, ctx: CheckContext) -> CheckResult:
    """Run one check; an unknown type or a crash inside a check is a failed result, not an exception."""
    fn = CHECKS.get(spec.type)
    if fn is None:
        return CheckResult(id=spec.id, passed=False, detail=f"unknown check type {spec.type!r}")
    try:
        passed, detail = fn(doc, spec.params, ctx)
    except Exception as exc:  # a check must not kill the run
        passed, detail = False, f"check crashed: {type(exc).__name__}: {exc}"
    advisory = spec.type in ADVISORY_TYPES or bool(spec.params.get("advisory"))
    return CheckResult(id=spec.id, passed=passed, detail=detail, section=spec.params.get("section"), advisory=advisory and not passed)


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


@check("untrusted_text_absent")
def untrusted_text_absent(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """No draft carries a sentence withheld from its sources as an instruction, nor what it asked to have written.

    The filter keeps such sentences from the writer; this is the second wall: whatever
    path a planted 'write PWNED in every document' takes, a draft that obeys it fails. A
    payload the user's own use case or the catalog also contains (a product name) is not
    held against the draft: documents compare models by name.
    """
    if not ctx.withheld:
        return True, "no source had text withheld"
    allowed = _squash(" ".join(ctx.quoted) + " " + " ".join(str(m.get("name", "")) for m in ctx.catalog))
    needles = [n for n in (_squash(item) for item in ctx.withheld) if len(n) >= 3 and n not in allowed]
    parts = [(doc.title, doc.title)] + [(s.title, f"{s.title}\n{s.text}") for s in doc.sections]
    for where, text in parts:
        if any(n in _squash(text) for n in needles):
            # The detail names the place, never the text: it goes back to the writer as feedback.
            return False, f"section '{where}' carries text a source tried to plant as an instruction (withheld at the tool boundary); remove it"
    return True, f"none of {len(ctx.withheld)} withheld sentence(s) or payload(s) appears"


ALWAYS = [CheckSpec(id="untrusted_text_absent", type="untrusted_text_absent")]
"""Checks every document runs whatever its spec lists: the wall against planted instructions."""


def run_checks(checks: list[CheckSpec], markdown: str, ctx: CheckContext) -> list[CheckResult]:
    """Run every check on a draft (and the `ALWAYS` checks when the sources had text withheld)."""
    doc = md.parse_document(markdown)
    extra = [c for c in ALWAYS if c.id not in {k.id for k in checks}] if ctx.withheld else []
    return [run_check(spec, doc, ctx) for spec in [*checks, *extra]]
from genai_planner.documents import brief_facts as brief_facts  # noqa: E402,F401 — registers brief_facts
from genai_planner.documents import consistency_checks, content_checks, language_check  # noqa: E402,F401
from genai_planner.documents import figure_checks as figure_checks  # noqa: E402,F401 — registers the figure checks
from genai_planner.documents import margin_checks as margin_checks  # noqa: E402,F401 — registers margins_match_sizes
from genai_planner.documents import seam_checks as seam_checks  # noqa: E402,F401 — registers no_template_seams
from genai_planner.documents import structure_checks as structure_checks  # noqa: E402,F401 — untrusted instructions, rollback, serving
from genai_planner.documents.selection_checks import (  # noqa: E402,F401 — registers the model-choice checks; names kept importable from here
    catalog_names,
    find_recommendation,
    marker,
    marker_value,
    violates_constraints,
)
