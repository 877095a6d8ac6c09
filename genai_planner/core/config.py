"""Per-run context handed to every node through `Runtime[RunContext]` (LangGraph 1.x).

It holds only plain values so that LangGraph Server can pass it as JSON; models and tools
are built from it by the factories, never stored in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunContext:
    """What one planning run may vary. Defaults are the offline engine's."""

    run_id: str = "server"
    """Identifier of the run; the checkpoint thread and the memory namespace use it."""
    language: str = "en"
    """Language of every document: 'en' or 'ko'."""
    engine: str = "offline"
    """Chat-model engine: 'offline', 'openai', or one registered with the model factory."""
    model: str | None = None
    """Model name for every agent (real engines); per-agent settings may override it."""
    max_revisions: int = 3
    """Revisions a document may get after its first draft."""
    max_tool_calls: int = 8
    """Tool calls per research step."""
    max_research_rounds: int = 3
    """Model turns the researcher may take per document."""
    max_consistency_rounds: int = 2
    """Times the consistency review may send documents back."""
    use_memory: bool = True
    """Read and write cross-run lessons."""
    docs_dir: str | None = None
    """Folder of the user's own documents for the user_documents tool."""
    run_dir: str | None = None
    """Run directory (recordings live there); None on LangGraph Server."""
    max_tokens: int | None = None
    """Token budget for the whole run."""
    max_cost: float | None = None
    """Cost budget (USD) for the whole run."""
    user_id: str = "local"
    """Owner of the lessons namespace."""
    wrappers: tuple[str, ...] = field(default_factory=tuple)
    """Model wrappers to apply, e.g. ('record',) or a test's fault injector."""
    review: tuple[str, ...] = field(default_factory=tuple)
    """Where a person is asked: 'plan' (after the planner) and/or 'documents' (after each passes)."""
    replay_from: str | None = None
    """Run directory whose recording the 'replay' engine answers from."""
