"""A template verb and the value's own noun never double: 'can draft {outputs}' with 'first drafts'
reads 'can write first drafts', whatever the engine."""

from __future__ import annotations

import pytest

from genai_planner.documents.grammar import finish


@pytest.mark.parametrize(
    "filled, expected",
    [
        ("The assistant can draft first drafts of the letters.", "The assistant can write first drafts of the letters."),
        ("Draft rough drafts for the editors to check.", "Write rough drafts for the editors to check."),
        ("It can draft a draft for each caller.", "It can draft a draft for each caller."),
        ("Officers draft replies from the notes.", "Officers draft replies from the notes."),
    ],
)
def test_draft_and_drafts_do_not_double(filled: str, expected: str) -> None:
    assert finish(filled, "en") == expected
