"""A tiny MCP server (FastMCP) with one tool the researcher can ask: store operations facts.

Run it over stdio (what an `mcpServers` entry with `command` does) or over streamable HTTP:

    python examples/mcp/store_facts_server.py                     # stdio
    python examples/mcp/store_facts_server.py --http 8765         # http://127.0.0.1:8765/mcp

`--crash` exits before speaking MCP (the tests use it for a server that fails to start).
"""

from __future__ import annotations

import argparse
import json
import sys

from mcp.server.fastmcp import FastMCP

FACTS = [
    {
        "title": "Store operations survey, spring",
        "ref": "ops://surveys/spring-lookups",
        "text": "Staff at the pilot stores spent 19 minutes per shift waiting on the warranty lookup screen, "
        "measured by the store operations survey.",
    }
]


def build_server(port: int = 8765) -> FastMCP:
    """The server and its one tool."""
    server = FastMCP("store-facts", host="127.0.0.1", port=port, log_level="WARNING")

    @server.tool()
    def store_facts(query: str) -> str:
        """Look up measured facts about the stores' daily operations (lookups, waiting times, staffing).

        Args:
            query: The research question to answer.
        """
        return json.dumps({"results": FACTS, "note": f"matched for: {query[:80]}"})

    return server


def main() -> None:
    """Serve over stdio, or streamable HTTP with --http PORT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP on 127.0.0.1:PORT instead of stdio")
    parser.add_argument("--crash", action="store_true", help="exit at once with an error (a server that does not start)")
    args = parser.parse_args()
    if args.crash:
        print("store-facts: cannot open the operations database", file=sys.stderr)
        sys.exit(3)
    if args.http:
        build_server(args.http).run(transport="streamable-http")
    else:
        build_server().run()


if __name__ == "__main__":
    main()
