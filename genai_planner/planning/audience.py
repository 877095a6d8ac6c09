"""Who receives an output: the end user directly, or a person who approves each one first.

A self-service or deflection metric ('resolved without an agent') measures an assistant that answers
end users itself and hands the rest to a person; where a person approves every output before it
leaves, nothing is ever resolved without staff, so the metric measures nothing. Who the users are
does not decide this (staff may run a chatbot that answers passengers; customers may write to a desk
whose agents approve every drafted reply): the interaction the prose describes does. Cues live in
`data/cues.yaml` (`audience:`); a person approving every output wins over a direct-answer cue.
"""

from __future__ import annotations

from typing import Literal

from genai_planner.planning.lexicon import lexicon, rx
from genai_planner.planning.prose import Prose

Audience = Literal["end_users", "reviewed"]


def read_audience(p: Prose) -> Audience | None:
    """'reviewed' when a person approves each output, 'end_users' when the assistant answers them directly, else None."""
    cues = lexicon("cues")["audience"]
    lang = "ko" if p.korean else "en"
    if any(rx(pattern).search(p.low) for pattern in cues["reviewed"][lang]):
        return "reviewed"
    if any(rx(pattern).search(p.low) for pattern in cues["end_users"][lang]):
        return "end_users"
    return None
