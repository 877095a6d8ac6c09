"""The planner: reads the use case into a brief, then plans the documents and their research.

The brief comes first. A rule-based reading (`planning.extract.extract_brief`) is the
draft; the planner model corrects and completes it as structured output, and
`reconcile_brief` holds the reply to the facts (YAML constraints win, a quote must be in the
use case). Every later step reads the brief. When the model's reply is unusable the draft
stands and the run says so loudly (`plan_source: "fallback"`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from genai_planner.agents.context import run_usage
from genai_planner.agents.prompts import PLANNER_BRIEF_TASK, PLANNER_INSTRUCTIONS, PLANNER_SYSTEM, PLANNER_TASK, UNTRUSTED_NOTE
from genai_planner.agents.schemas import DocumentPlan, Plan, ResearchQuestion
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents.specs import DocumentSpec, dependency_closure, load_document_specs
from genai_planner.memory.decisions import save_decisions
from genai_planner.models.calls import ModelCallError, StructuredOutputError, invoke_structured
from genai_planner.models.factory import chat_model_for
from genai_planner.planning.brief import Brief
from genai_planner.planning.extract import extract_brief, reconcile_brief, written_constraints

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


def fallback_plan(order: list[str], specs: dict[str, DocumentSpec], language: str) -> Plan:
    """A plan straight from the specs, used when the model's plan is unusable."""
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
    return Plan(documents=documents, rationale="Derived from the document specs.")


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
    return Plan(documents=fixed, rationale=plan.rationale)


async def understand_use_case(scenario: dict[str, Any], ctx: RunContext, messages_system: SystemMessage) -> tuple[Brief, str]:
    """The brief: the rule-based draft, corrected by the planner model; ('fallback' when the reply is unusable)."""
    draft = extract_brief(scenario, ctx.language)
    scenario_block = {k: scenario.get(k) for k in ("name", "organisation", "stakeholders")}
    scenario_block["constraints"] = written_constraints(scenario)  # a default the user never wrote (on_premises: false) is no statement
    scenario_block["language"] = ctx.language
    messages = [
        messages_system,
        HumanMessage(
            content=PLANNER_BRIEF_TASK.format(
                use_case=scenario["use_case"],
                scenario=json.dumps(scenario_block, ensure_ascii=False, sort_keys=True),
                draft_brief=draft.model_dump_json(),
            )
        ),
    ]
    try:
        # One re-ask, not two: the rule-based draft is a sound brief already, and a model that fails twice rarely succeeds a third time.
        reply = await invoke_structured(chat_model_for("planner", ctx), Brief, messages, usage=run_usage(ctx), purpose="brief", reasks=1)
    except (StructuredOutputError, ModelCallError) as exc:
        emit("brief_fallback", reason=str(exc)[:300])
        return draft, "fallback"
    return reconcile_brief(reply, scenario, ctx.language), "model"


async def plan_run(state: PlanningState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Understand the use case (the brief), then plan the documents and their research questions."""
    ctx = runtime.context
    scenario = state["scenario"]
    specs = load_document_specs()
    selected = scenario.get("documents") or list(specs)
    order = dependency_closure(selected, specs)
    with node_span("plan_run", agent="planner"):
        system = SystemMessage(content=PLANNER_SYSTEM.format(language=ctx.language, untrusted=UNTRUSTED_NOTE))
        if state.get("brief"):  # corrected at the plan review: the person's brief stands
            brief, brief_source = Brief.model_validate(state["brief"]), "person"
        else:
            brief, brief_source = await understand_use_case(scenario, ctx, system)
        emit(
            "brief_ready",
            source=brief_source,
            sector=brief.sector.value,
            hard_constraints=[{"name": n, "value": v, "evidence": e.model_dump(exclude_none=True)} for n, v, e in brief.hard_constraints()],
            conflicts=brief.conflicts,
            assumed=brief.assumed(),
        )
        fallback = fallback_plan(order, specs, ctx.language)
        messages = [
            system,
            HumanMessage(
                content=PLANNER_TASK.format(
                    brief=brief.view_json(),
                    use_case=scenario["use_case"],
                    documents=_documents_block(order, specs, ctx.language),
                    instructions=PLANNER_INSTRUCTIONS.format(instructions=state["plan_instructions"]) if state.get("plan_instructions") else "",
                )
            ),
        ]
        try:
            plan = await invoke_structured(chat_model_for("planner", ctx), Plan, messages, usage=run_usage(ctx), purpose="plan")
            plan = normalise_plan(plan, order, specs, fallback)
            source = "model" if brief_source != "fallback" else "fallback"
        except (StructuredOutputError, ModelCallError) as exc:
            emit("plan_fallback", reason=str(exc)[:300])
            plan, source = fallback, "fallback"
        emit("plan_ready", source=source, documents=order, sector=brief.sector.value, questions=sum(len(d.research_questions) for d in plan.documents))
        if runtime.store is not None:
            await save_decisions(runtime.store, ctx.run_id, {"brief": brief.model_dump()})
    plan_dict = plan.model_dump()
    plan_dict["order"] = order
    plan_dict["depends_on"] = {d: [x for x in specs[d].depends_on if x in order] for d in order}
    plan_dict["source"] = source
    return {
        "plan": plan_dict,
        "brief": brief.model_dump(),
        "status": "running",
        "documents": {d: {"doc_id": d, "status": "pending", "iterations": []} for d in order},
    }
