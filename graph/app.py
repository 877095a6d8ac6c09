"""Entry point for LangGraph Server (`langgraph.json`): compiled without a checkpointer,
because the server provides persistence and the store.

Data files are read here, at import, so that no node does blocking file I/O on the
server's event loop (LangGraph Server rejects blocking calls in async nodes).
"""

from __future__ import annotations

from genai_planner.documents.specs import load_consistency_spec, load_document_specs
from genai_planner.graph.builder import build_graph
from genai_planner.tools.catalog import load_catalog

load_document_specs()
load_consistency_spec()
load_catalog()

graph = build_graph().compile()
