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


def check_constraints_satisfiable(scenario: Scenario, documents: list[str] | None) -> None:
    """Raise `InputError` up front when the scenario's hard constraints leave too few catalog models.

    Document 2 compares candidates (its `candidates` check needs `min_rows` of them) and
    recommends one; when on-premises hosting and the required languages leave fewer models
    than that, every revision would fail the same way, so the run does not start.
    """
    from genai_planner.documents.checks import violates_constraints
    from genai_planner.documents.specs import dependency_closure, load_document_specs
    from genai_planner.planning import relax
    from genai_planner.planning.compute import compute_figures
    from genai_planner.planning.extract import extract_brief
    from genai_planner.planning.model_facts import apply_rate_overrides
    from genai_planner.tools.catalog import active_user_catalog, load_catalog

    user = active_user_catalog()  # validates --catalog / GENAI_PLANNER_CATALOG before anything runs
    apply_rate_overrides(user.fx if user is not None else None)
    specs = load_document_specs()
    needed, needing = 0, ""
    for doc_id in dependency_closure(documents or list(specs), specs):
        for check in specs[doc_id].checks:
            wanted = int(check.params.get("min_rows", 3)) if check.type == "candidates" else 1 if check.type == "recommendation" else 0
            if wanted > needed:
                needed, needing = wanted, doc_id
    if not needed:
        return
    # The languages the brief will hold (the YAML's, or those the prose names): one gate for both.
    catalog = load_catalog()
    brief = extract_brief(scenario, scenario.language)
    constraints = scenario.constraints.model_dump()
    constraints["languages"] = [code for code in brief.constraints.languages.value if code != "en" or "en" in (constraints.get("languages") or [])]
    fitting = [m["name"] for m in catalog if violates_constraints(m, constraints) is None]
    if len(fitting) < needed:
        asked = [f"languages {', '.join(constraints['languages'])}"] if constraints.get("languages") else []
        if constraints.get("on_premises"):
            asked.insert(0, "on-premises hosting")
        left = f"only {len(fitting)} ({', '.join(fitting)})" if fitting else "none"
        figures = compute_figures(brief, catalog, scenario.language)
        proposal = relax.propose_relaxation(brief, catalog, scenario.language, needed)
        hint = f"; least damaging relaxation: drop {proposal.what} ({proposal.trade_off})" if proposal else ""
        raise InputError(
            f"no plan can meet the hard constraints ({' and '.join(asked)}): {left} of the catalog's models qualify, "
            f"and document {needing} needs at least {needed}; relax constraints.languages or constraints.on_premises{hint}"
        )
    # Every gate (licence, context, budget, hosting terms): a run must never recommend nobody.
    figures = compute_figures(brief, catalog, scenario.language)
    line = relax.refusal(figures, brief, catalog, scenario.language, 1)
    if line:
        raise InputError(line)
