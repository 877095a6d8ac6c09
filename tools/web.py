"""`web_search`: Tavily when `TAVILY_API_KEY` is set; otherwise it says so and the run goes on."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from genai_planner.tools.base import ToolContext, ToolHit, tool_result


def build_web_search(ctx: ToolContext) -> BaseTool:
    """Build the `web_search` tool; without a key it answers with a note, never an exception."""

    @tool
    def web_search(query: str, max_results: int = 3) -> str:
        """Search the web (Tavily) for recent facts: vendor pricing, regulations, case studies.

        Args:
            query: The search query.
            max_results: How many results to return (1-5).
        """
        if not ctx.tavily_api_key:
            return tool_result([], note="web search is unavailable: TAVILY_API_KEY is not set; use the other tools")
        from tavily import TavilyClient

        client = TavilyClient(api_key=ctx.tavily_api_key, api_base_url=ctx.tavily_base_url)
        try:
            response = client.search(query, max_results=max(1, min(int(max_results), 5)), timeout=20)
        except Exception as exc:  # network down, quota, bad key: the run carries on
            return tool_result([], note=f"web search failed ({type(exc).__name__}); use the other tools")
        hits = [
            ToolHit(title=r.get("title") or r.get("url", ""), ref=r.get("url", ""), text=r.get("content", ""), kind="web")
            for r in response.get("results", [])
            if r.get("url")
        ]
        return tool_result(hits, note="" if hits else "no web results")

    web_search.metadata = {"answers": ["domain"]}  # one search per document: the sector question (searches cost money)
    return web_search
