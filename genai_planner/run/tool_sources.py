"""A run's MCP servers: checked before the run, started with it, closed when it ends.

The runner calls these three so that its own edits stay small: `check_tool_sources` turns a
bad `--mcp` file into one line and exit 2 before anything is written; `open_tool_sources`
starts the servers inside the run's trace (so an unavailable server is a warning in
trace.jsonl and on the console), off the event loop; `close_tool_sources` ends every session
and stdio process, and forgets the tools built on them (a resumed run opens fresh ones).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from genai_planner.agents.context import clear_tool_cache
from genai_planner.core.config import RunContext
from genai_planner.tools.mcp import close_mcp_servers, load_mcp_config, mcp_hub


def check_tool_sources(mcp: str | Path | None) -> str | None:
    """The absolute path of a usable `--mcp` file (None when none is given); `InputError` otherwise."""
    if not mcp:
        return None
    load_mcp_config(mcp)
    return str(Path(mcp).resolve())


async def open_tool_sources(ctx: RunContext) -> None:
    """Start the run's MCP servers (each failure is one warning) before any agent asks for tools."""
    if ctx.mcp:
        await asyncio.to_thread(mcp_hub, ctx.mcp, ctx.run_id)


async def close_tool_sources(ctx: RunContext) -> None:
    """End the run's MCP sessions and server processes."""
    if ctx.mcp:
        await asyncio.to_thread(close_mcp_servers, ctx.run_id)
        clear_tool_cache()
