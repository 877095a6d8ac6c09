"""A third-party tool plugin used by the tests: it only registers through entry points.

`crm_lookup` declares nothing, so the researcher asks it every planned question; `crm_metrics`
answers only the key-metrics questions and returns plain text without a ref, the shortest
result the contract accepts.
"""

import json

from langchain_core.tools import tool

CALLS: list[str] = []
METRIC_CALLS: list[str] = []


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


@tool
def crm_metrics(query: str) -> str:
    """Report the CRM's baseline for success metrics (first-contact resolution, handling time).

    Args:
        query: The metrics question.
    """
    METRIC_CALLS.append(query)
    return "First-contact resolution was 71 percent in the last quarter, the baseline any assistant must beat."


crm_metrics.metadata = {"answers": ["key_metrics"]}
