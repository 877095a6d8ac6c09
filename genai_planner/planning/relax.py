"""When the gates leave too few models: which constraint excludes everyone, and the least damaging relaxation.

A run whose hard constraints leave no model would write documents that recommend nobody
("**Recommended model:** [S1]"). Before that happens the run stops with one line that names
the constraint responsible and proposes the relaxation that costs least, with its trade-off.

Each candidate relaxation drops one constraint of the brief (a required language, one hosting
term, the residency rule, the budget) and recomputes the figures; the proposal is the first, in
the order of `DAMAGE` (least damaging first), that leaves enough models. The same figures run
for a language named in the prose and one under `constraints:`, so both are refused alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from genai_planner.core.languages import name as language_name
from genai_planner.planning.brief import Brief, HostingTerms, ResidencyFact, default
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.figures import Figures
from genai_planner.planning.model_facts import catalog_text
from genai_planner.planning.routes import TERMS, terms_text

DAMAGE = ("budget", "data_stays_in", "no_provider_from", "no_retention", "private_endpoint", "no_training", "language", "residency")
"""Relaxations from least to most damaging: money first, data protections and the users' language last."""


@dataclass
class Relaxation:
    """One constraint dropped, the models that then pass, and what giving it up costs."""

    kind: str
    what: str
    passing: list[str]
    trade_off: str


def _variants(brief: Brief) -> list[tuple[str, str, Callable[[Brief], Brief]]]:
    c = brief.constraints
    out: list[tuple[str, str, Callable[[Brief], Brief]]] = []
    if c.monthly_budget is not None:
        out.append(("budget", "budget", lambda b: b.model_copy(update={"constraints": b.constraints.model_copy(update={"monthly_budget": None})})))
    terms = c.hosting_terms
    for term in ("data_stays_in", "no_provider_from", "no_retention", "private_endpoint", "no_training"):
        if getattr(terms, term):
            empty: Any = [] if isinstance(getattr(terms, term), list) else False
            relaxed = terms.model_copy(update={term: empty})
            out.append((term, term, lambda b, r=relaxed: b.model_copy(update={"constraints": b.constraints.model_copy(update={"hosting_terms": r})})))
    for code in c.languages.value:
        if code == "en":
            continue
        kept = [x for x in c.languages.value if x != code]
        fact = c.languages.model_copy(update={"value": kept})
        out.append(("language", code, lambda b, f=fact: b.model_copy(update={"constraints": b.constraints.model_copy(update={"languages": f})})))
    if c.data_residency.value in ("on_premises", "private_cloud"):
        cloud = ResidencyFact(value="cloud_ok", evidence=default("relaxed"))
        relaxed_residency = c.model_copy(update={"data_residency": cloud})
        out.append(("residency", c.data_residency.value, lambda b: b.model_copy(update={"constraints": relaxed_residency})))
    return out


def _label(brief: Brief, kind: str, what: str, language: str) -> tuple[str, str]:
    """(the constraint in words, the places it names) for the proposal line."""
    if kind == "language":
        return language_name(what, language), ""
    if kind in TERMS:
        value = getattr(brief.constraints.hosting_terms, kind)
        return terms_text(HostingTerms(**{kind: value}), language), ", ".join(value) if isinstance(value, list) else ""
    return str(catalog_text(language)["relax"]["labels"][kind]), ""


def propose_relaxation(brief: Brief, catalog: Sequence[dict[str, Any]], language: str, needed: int) -> Relaxation | None:
    """The least damaging single relaxation that leaves at least `needed` models, or None when none does."""
    words = catalog_text(language)["relax"]
    found: list[Relaxation] = []
    for kind, what, apply in _variants(brief):
        figures = compute_figures(apply(brief), catalog, language)
        if len(figures.scores) >= needed:
            label, place = _label(brief, kind, what, language)
            trade_off = str(words["trade_off"][kind]).format(what=place or label)
            found.append(Relaxation(kind=kind, what=label, passing=[s.model for s in figures.scores], trade_off=trade_off))
    if not found:
        return None
    return min(found, key=lambda r: (DAMAGE.index(r.kind), -len(r.passing)))


def refusal(figures: Figures, brief: Brief, catalog: Sequence[dict[str, Any]], language: str, needed: int) -> str | None:
    """One line on why no plan can be written, with the relaxation to try; None when enough models pass."""
    if len(figures.scores) >= needed:
        return None
    words = catalog_text(language)["relax"]
    passing = ", ".join(s.model for s in figures.scores) or words["none"]
    line = str(words["refuse"]).format(n=len(figures.scores), passing=passing, needed=needed, why=figures.shortfall or "-")
    proposal = propose_relaxation(brief, catalog, language, needed)
    if proposal is None:
        return line + " " + str(words["no_single"])
    models = ", ".join(proposal.passing[:3])
    return line + " " + str(words["propose"]).format(what=proposal.what, n=len(proposal.passing), models=models, trade_off=proposal.trade_off)
