"""The planning figures node: computed once the brief stands (after the plan review).

Deterministic and engine-independent: the same brief and catalog give the same gates,
weights, scores, costs, capacity and targets whichever engine writes the documents.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.graph.state import PlanningState
from genai_planner.memory.decisions import save_decisions
from genai_planner.planning.brief import Brief
from genai_planner.planning.compute import compute_figures
from genai_planner.tools.catalog import load_catalog


async def compute_run_figures(state: PlanningState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Compute the figures from the brief and the catalog; store them for every later step."""
    ctx = runtime.context
    with node_span("compute_figures", agent="planner") as info:
        figures = compute_figures(Brief.model_validate(state["brief"]), load_catalog(), ctx.language)
        emit(
            "figures_ready",
            recommended=figures.recommended,
            runner_up=figures.runner_up,
            passed=len(figures.scores),
            excluded=len(figures.excluded()),
            key_factors=figures.key_factors,
            shortfall=figures.shortfall,
        )
        info.update(recommended=figures.recommended, passed=len(figures.scores))
        if runtime.store is not None:
            await save_decisions(runtime.store, ctx.run_id, {"figures": figures.model_dump()})
    return {"figures": figures.model_dump()}
