"""A third-party tool plugin used by the tests: it only registers through an entry point."""

import json

from langchain_core.tools import tool

CALLS: list[str] = []


@tool
def crm_lookup(query: str) -> str:
    """Look up complaint and ticket statistics in the organisation's CRM.

    Args:
        query: What to look up.
    """
    CALLS.append(query)
    hits = [
        {
            "title": "CRM weekly report",
            "ref": "crm://reports/weekly",
            "kind": "crm",
            "text": "Weekly statistics.\n- Complaint volume fell twelve percent in the pilot stores after staff began using guided answers.",
        }
    ]
    return json.dumps({"results": hits})
