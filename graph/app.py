"""Entry point for LangGraph Server (`langgraph.json`): compiled without a checkpointer,
because the server provides persistence and the store."""

from __future__ import annotations

from graph.builder import build_graph

graph = build_graph().compile()
