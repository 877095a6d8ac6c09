"""The planner: turns the use case into a plan (profile, documents in order, research questions)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from genai_planner.agents.context import run_usage
from genai_planner.agents.prompts import PLANNER_INSTRUCTIONS, PLANNER_SYSTEM, PLANNER_TASK, UNTRUSTED_NOTE
from genai_planner.agents.schemas import DocumentPlan, Plan, ResearchQuestion, UseCaseProfile
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents.specs import DocumentSpec, dependency_closure, load_document_specs
from genai_planner.memory.decisions import save_decisions
from genai_planner.models.calls import ModelCallError, StructuredOutputError, invoke_structured
from genai_planner.models.factory import chat_model_for

if TYPE_CHECKING:
    from genai_planner.graph.state import PlanningState

MAX_QUESTIONS_PER_DOCUMENT = 12


def _documents_block(order: list[str], specs: dict[str, DocumentSpec], language: str) -> str:
    return json.dumps(
        [
            {
                "doc_id": d,
                "title": specs[d].title.get(language),  # type: ignore[arg-type]
                "depends_on": [x for x in specs[d].depends_on if x in order],
                "subtasks": [s.id for s in specs[d].subtasks],
                "sections": [
                    {"id": s.id, "research": s.research.get(language), "tool": s.tool}  # type: ignore[arg-type]
                    for s in specs[d].sections
                ],
            }
            for d in order
        ],
        ensure_ascii=False,
        indent=1,
    )


def fallback_plan(order: list[str], specs: dict[str, DocumentSpec], scenario: dict[str, Any], language: str) -> Plan:
    """A plan straight from the specs, used when the model's plan is unusable."""
    profile = UseCaseProfile(
        organisation=scenario.get("organisation") or scenario["name"],
        domain="general",
        users=list(scenario.get("stakeholders") or []) or ["employees"],
        data_sensitivity="high" if (scenario.get("constraints") or {}).get("on_premises") else "medium",
        summary=scenario["use_case"][:300],
    )
    documents = [
        DocumentPlan(
            doc_id=d,
            subtasks=[s.id for s in specs[d].subtasks],
            research_questions=[
                ResearchQuestion(section=s.id, question=s.research.get(language), tool=s.tool or "knowledge_search")  # type: ignore[arg-type]
                for s in specs[d].sections
            ],
        )
        for d in order
    ]
    return Plan(profile=profile, documents=documents, rationale="Derived from the document specs.")


def normalise_plan(plan: Plan, order: list[str], specs: dict[str, DocumentSpec], fallback: Plan) -> Plan:
    """Keep the model's questions where they make sense; the specs decide documents and order."""
    by_id = {d.doc_id: d for d in plan.documents}
    fixed = []
    for doc_id in order:
        base = next(d for d in fallback.documents if d.doc_id == doc_id)
        proposed = by_id.get(doc_id)
        known_sections = {s.id for s in specs[doc_id].sections} | {"domain"}
        questions = [q for q in (proposed.research_questions if proposed else []) if q.section in known_sections and q.question.strip()]
        covered = {q.section for q in questions}
        questions += [q for q in base.research_questions if q.section not in covered]
        fixed.append(DocumentPlan(doc_id=doc_id, subtasks=base.subtasks, research_questions=questions[:MAX_QUESTIONS_PER_DOCUMENT]))
    return Plan(profile=plan.profile, documents=fixed, rationale=plan.rationale)


async def plan_run(state: PlanningState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Plan the run: which documents, in which order, with which research questions."""
    ctx = runtime.context
    scenario = state["scenario"]
    specs = load_document_specs()
    selected = scenario.get("documents") or list(specs)
    order = dependency_closure(selected, specs)
    with node_span("plan_run", agent="planner"):
        fallback = fallback_plan(order, specs, scenario, ctx.language)
        scenario_block = {k: scenario.get(k) for k in ("name", "organisation", "stakeholders", "constraints")}
        scenario_block["language"] = ctx.language
        messages = [
            SystemMessage(content=PLANNER_SYSTEM.format(language=ctx.language, untrusted=UNTRUSTED_NOTE)),
            HumanMessage(
                content=PLANNER_TASK.format(
                    use_case=scenario["use_case"],
                    scenario=json.dumps(scenario_block, ensure_ascii=False),
                    documents=_documents_block(order, specs, ctx.language),
                    instructions=PLANNER_INSTRUCTIONS.format(instructions=state["plan_instructions"]) if state.get("plan_instructions") else "",
                )
            ),
        ]
        try:
            model = chat_model_for("planner", ctx)
            plan = await invoke_structured(model, Plan, messages, usage=run_usage(ctx), purpose="plan")
            plan = normalise_plan(plan, order, specs, fallback)
            source = "model"
        except (StructuredOutputError, ModelCallError) as exc:
            emit("plan_fallback", reason=str(exc)[:300])
            plan, source = fallback, "fallback"
        emit(
            "plan_ready",
            source=source,
            documents=order,
            domain=plan.profile.domain,
            questions=sum(len(d.research_questions) for d in plan.documents),
        )
        if runtime.store is not None:
            await save_decisions(runtime.store, ctx.run_id, {"profile": plan.profile.model_dump()})
    plan_dict = plan.model_dump()
    plan_dict["order"] = order
    plan_dict["depends_on"] = {d: [x for x in specs[d].depends_on if x in order] for d in order}
    return {
        "plan": plan_dict,
        "status": "running",
        "documents": {d: {"doc_id": d, "status": "pending", "iterations": []} for d in order},
    }
