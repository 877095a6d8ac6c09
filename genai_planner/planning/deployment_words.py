"""Where and how the recommended model runs, in words the deployment documents can name.

The generic residency sentence ("cloud APIs are acceptable for this data") says nothing about
the place a client's terms fixed ("must be processed in the UAE") and can even contradict the
route the figures chose; a senior reader expects document 5 to say where the service runs
(the organisation's own data centre in Germany, rented GPUs in the UAE, Azure OpenAI in the
EU) and the rule that put it there. The one-off build budget, when the brief states one, is
told apart from the running budget with what it pays for. Every value here is computed from
the brief and the figures, the same for every engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from genai_planner.core.yamlio import load_yaml
from genai_planner.planning import routes
from genai_planner.planning.brief import Brief
from genai_planner.planning.compute import money
from genai_planner.planning.figures import Figures

WORDS: dict[str, dict[str, str]] = load_yaml(Path(__file__).parent / "data" / "deployment_words.yaml")

PLACEHOLDERS = {
    "place": "where processing must stay, in words ('Germany', 'the United Arab Emirates'); empty when the brief names no place",
    "route_name": "the hosting route of the recommended model ('Azure OpenAI (private endpoint)', 'Self-hosted open weights')",
    "serving_where": "where the recommended model runs: own GPUs, rented GPUs or a provider route, with the place the terms fix",
    "build_budget": "the one-off build budget ('AED 450,000'); empty when none is stated",
    "peak_clause": "the peak in a clause after the load ('at peak, 3x the usual load'; 'at an assumed peak (none is stated)')",
    "no_fallback_why": "why no second model takes over on a failure: none passes the gates, or the runner-up needs more GPUs than the plan has",
    "regulation_review": "the legal review a readiness gap names: against the named regulations, or finding out which apply",
}
"""The placeholders this module adds to `facts.PLACEHOLDERS`."""

FLAGS = ("has_place", "has_build_budget", "live_fallback")
"""The `when:` conditions this module adds to `facts.FLAGS`."""


def possessive(name: str, language: str) -> str:
    """"Thanh Long Plastics'" / "Cobalt's"; Korean writes the name bare ('{org} 내부 서버')."""
    if language == "ko":
        return name
    return name + ("'" if name.endswith("s") else "'s")


def place_words(codes: list[str], language: str) -> str:
    """Region codes in words, joined ('Germany', 'the EU and Switzerland')."""
    words = [routes.place_name(code, language) for code in codes]
    if language == "ko" or len(words) < 2:
        return ", ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _and(items: list[str], language: str) -> str:
    """'a, b and c' in English; 'a, b, c' in Korean."""
    if language == "ko" or len(items) == 1:
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def deployment_values(
    brief: Brief, figures: Figures, model: str, runner_up: str, self_hosted: bool, hardware: str, language: str
) -> tuple[dict[str, str], dict[str, bool]]:
    """The residency sentence with the place in it, the serving place and route, and the build budget."""
    words = WORDS[language]
    c = brief.constraints
    org = brief.organisation.value
    org_s = possessive(org, language)
    place = place_words(list(c.hosting_terms.data_stays_in), language)
    residency = c.data_residency.value
    cost = figures.cost_of(model) if model else None
    route = figures.route_of(model) if model else None
    key = residency if residency in words["residency"] else "unspecified"
    residency_text = words["residency"][key].format(org=org, org_s=org_s)
    if place:
        residency_text = words["residency_in"][key].format(org=org, org_s=org_s, place=place)
    if self_hosted and cost is not None and cost.hosting == "owned":
        where = words["serving_owned"].format(hardware=hardware, org=org, org_s=org_s)
    elif self_hosted and residency == "on_premises":
        where = words["serving_on_premises"].format(hardware=hardware, org=org, org_s=org_s)  # GPUs to buy, never a cloud rental
    elif self_hosted and residency == "private_cloud":
        where = words["serving_private_cloud"].format(org=org, org_s=org_s)
    elif self_hosted:
        where = words["serving_rented"].format(hardware=hardware)
    else:
        where = words["serving_route"].format(route=route.route if route else words["provider_api"])
    if place:
        where += words["in_place"].format(place=place)
    # The runner-up is a live fallback only where the plan can hold it (its API, spare or shared GPUs): one that
    # needs more GPUs than the plan has cannot stand by, and the deployment plan must not promise it.
    fallback = next((x for x in figures.colocated if x.role == "fallback"), None)
    stranded = self_hosted and fallback is not None and fallback.mode == "rented"
    build = c.build_budget
    names = [r.name for r in c.regulations]
    peak = next((v for v in brief.volumes if v.peak and v.unit in {"x", "×"}), None)
    if route is not None and route.route.endswith(" API") and language == "en":
        where = where.replace(f"through {route.route}", f"through the {route.route}")  # 'through the DeepSeek API'
    values = {
        "residency": residency_text,
        "residency_short": words["residency_short_in" if place else "residency_short"][key].format(org=org, org_s=org_s, place=place),
        "place": place,
        "route_name": route.route if route else "",
        "serving_where": where,
        "build_budget": money(build.value.amount, build.value.currency) if build else "",
        "peak_clause": words["peak_clause"].format(multiplier=f"{peak.quantity:g}") if peak else words["no_peak_clause"],
        "no_fallback_why": words["fallback_too_big"].format(runner_up=runner_up) if runner_up else words["no_second_model"],
        "regulation_review": words["regulation_review"].format(regulations=_and(names, language)) if names else words["no_regulation_review"],
    }
    flags = {"has_place": bool(place), "has_build_budget": build is not None, "live_fallback": bool(runner_up) and not stranded}
    return values, flags


def extra_facts(brief: Brief, figures: Figures, values: dict[str, Any], self_hosted: bool, language: str) -> tuple[dict[str, str], dict[str, bool]]:
    """`deployment_values` from what `document_facts` has already worked out."""
    hardware = values.get("hardware_or_gpus") or ""
    return deployment_values(brief, figures, str(values.get("model") or ""), str(values.get("runner_up") or ""), self_hosted, hardware, language)
