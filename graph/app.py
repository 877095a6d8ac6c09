"""Entry point for LangGraph Server (`langgraph.json`): compiled without a checkpointer,
because the server provides persistence and the store.

Data files are read here, at import, so that no node does blocking file I/O on the
server's event loop (LangGraph Server rejects blocking calls in async nodes); so are the
settings (`.env`), which each node reads to resolve an engine the run's context leaves open.

A run's context may leave `run_id` and `engine` open: the run id is then the thread id (two
threads never share a decisions namespace) and the engine is resolved from settings like
the CLI's (`openai` when OPENAI_API_KEY is set, else `offline`); see `graph/nodes.py`.
"""

from __future__ import annotations

from genai_planner.core.settings import load_settings
from genai_planner.documents.specs import load_consistency_spec, load_document_specs
from genai_planner.graph.builder import build_graph
from genai_planner.tools.catalog import load_catalog

load_document_specs()
load_consistency_spec()
load_catalog()
load_settings()

graph = build_graph().compile()
