"""The only place that wires nodes and edges.

    START → plan_run → review_plan → compute_figures → schedule_documents ─Send→ research_document ─Send→ draft_document
                               ▲                                          │ Send
                               │                                          ▼
                               └──────── accepted / failed ─────── review_document ─┐
                                                                         ▲  revise  │
                                                                         └──────────┘
    review_document (accepted, --review documents) ─Send→ approve_document → schedule / draft
    schedule_documents (all done) → review_consistency ─(send back)→ draft_document
                                                       └→ finalize_run → END

Callers compile it with their own checkpointer and store (`build_graph().compile(...)`).
Every node runs inside `graph/nodes.py` `run_node`: the context resolved (run id from the
thread, engine from settings) and what the node spent added to the state's `usage`.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from genai_planner.agents.planner import plan_run
from genai_planner.agents.researcher import research_document
from genai_planner.agents.reviewer import review_document
from genai_planner.agents.writer import draft_document
from genai_planner.core.config import RunContext
from genai_planner.graph.figures import compute_run_figures
from genai_planner.graph.human import approve_document, review_plan
from genai_planner.graph.nodes import Node, run_node
from genai_planner.graph.scheduling import finalize_run, review_consistency, schedule_documents
from genai_planner.graph.state import InputState, OutputState, PlanningState

RECURSION_LIMIT = 200
"""Super-steps a run may take: 5 documents × (research + 4 drafts + 4 reviews) plus slack."""


FINISH_NODE = "record_run"


def build_graph(finish: Node | None = None) -> StateGraph:
    """The planning graph, uncompiled.

    `finish` (a node function) runs after `finalize_run` as `record_run`, the graph's last
    step: LangGraph Server's entry (`run/served.py`) passes the one that writes the run
    folder, which the graph layer cannot import. The CLI's runner writes it itself.
    """
    builder = StateGraph(PlanningState, context_schema=RunContext, input_schema=InputState, output_schema=OutputState)
    builder.add_node("plan_run", run_node(plan_run))
    builder.add_node("review_plan", run_node(review_plan), destinations=("compute_figures", "plan_run"))
    builder.add_node("compute_figures", run_node(compute_run_figures))
    builder.add_node("schedule_documents", run_node(schedule_documents), destinations=("research_document", "review_consistency"))
    builder.add_node("research_document", run_node(research_document), destinations=("draft_document",))
    builder.add_node("draft_document", run_node(draft_document), destinations=("review_document", "schedule_documents"))
    builder.add_node("review_document", run_node(review_document), destinations=("draft_document", "schedule_documents", "approve_document"))
    builder.add_node("approve_document", run_node(approve_document), destinations=("draft_document", "schedule_documents"))
    builder.add_node("review_consistency", run_node(review_consistency), destinations=("draft_document", "finalize_run"))
    builder.add_node("finalize_run", run_node(finalize_run))
    builder.add_edge(START, "plan_run")
    builder.add_edge("plan_run", "review_plan")
    builder.add_edge("compute_figures", "schedule_documents")
    if finish is None:
        builder.add_edge("finalize_run", END)
    else:
        builder.add_node(FINISH_NODE, run_node(finish))
        builder.add_edge("finalize_run", FINISH_NODE)
        builder.add_edge(FINISH_NODE, END)
    return builder
