"""Checks a scenario must pass before a run spends anything: a known currency, constraints that can hold together.

Both read the same product data the figures use (planning/data/fx.yaml, the catalog and the
rules of planning.compute), so what is refused here is exactly what every revision of
document 2 would otherwise fail on: four drafts per document and exit 1, paid for, when
one line up front says what is wrong and what would resolve it.
"""

from __future__ import annotations

from genai_planner.core.errors import InputError
from genai_planner.core.scenario import Scenario
from genai_planner.planning.compute import load_data, money, usd


def known_currencies() -> list[str]:
    """The ISO 4217 codes the budget gate can convert (planning/data/fx.yaml)."""
    return sorted(load_data("fx")["per_usd"])


def check_currency(scenario: Scenario) -> None:
    """Raise `InputError` when the YAML budget's currency has no exchange rate (the budget gate would silently drop)."""
    budget = scenario.constraints.monthly_budget
    if budget is None:
        return
    known = known_currencies()
    if budget.currency.upper() not in known:
        raise InputError(
            f"field 'constraints.monthly_budget.currency' {budget.currency!r} is not a known currency (known: {', '.join(known)})"
        )


def check_contradictions(scenario: Scenario, language: str) -> None:
    """Raise `InputError` when the budget (from the YAML or the prose) excludes every model the other hard constraints leave.

    The brief is read by the rules alone (no model call) and the figures computed as the
    run would: when no catalog model passes every gate and some model fails only on the
    budget, the budget contradicts the rest (on-premises hosting with USD 5 a month). The
    line names the budget, the cheapest model that meets everything else and its cost.
    """
    from genai_planner.planning.compute import compute_figures
    from genai_planner.planning.extract import extract_brief
    from genai_planner.tools.catalog import load_catalog

    brief = extract_brief(scenario, language)
    budget = brief.constraints.monthly_budget
    if budget is None:
        return
    figures = compute_figures(brief, load_catalog(), language)
    if figures.recommended is not None:
        return
    reasons = {g.model: g.reasons for g in figures.gates}
    budget_only = sorted(
        (c for c in figures.costs if c.within_budget is False and len(reasons.get(c.model, [])) == 1),
        key=lambda c: c.monthly_usd,
    )
    if not budget_only:
        return
    cheapest = budget_only[0]
    residency = brief.constraints.data_residency.value
    where = {"on_premises": "on-premises hosting", "private_cloud": "private-cloud hosting"}.get(residency or "", "the other hard constraints")
    source = "the scenario YAML" if budget.evidence.source == "scenario" else "the use case text"
    amount = money(budget.value.amount, budget.value.currency.upper())
    raise InputError(
        f"the hard constraints contradict each other: {where} and a monthly budget of {amount} (from {source}) leave no model; "
        f"the cheapest that meets everything else, {cheapest.model}, costs about {usd(cheapest.monthly_usd)} a month "
        f"({cheapest.hosting.replace('_', '-')}); raise the budget to at least that"
        + (" or allow cloud hosting" if residency in {"on_premises", "private_cloud"} else "")
    )
