"""Tools the agents call: built-ins and plugins, all through the `genai_planner.tools` entry-point group.

A plugin needs only `ToolContext` (what a factory is given) and, optionally, `ToolHit`
(one structured result); see the README's "Custom tools" and `tools.base` for the contract.
"""

from genai_planner.tools.base import DEFAULT_KIND, ToolContext, ToolHit, tool_result

__all__ = ["DEFAULT_KIND", "ToolContext", "ToolHit", "tool_result"]
