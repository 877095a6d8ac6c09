"""Scripted chat models for tests: the offline engine with chosen replies changed.

They plug in through the model factory like any engine, so the graph, prompts, checks
and traces are the real ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult

from genai_planner.models.factory import register_engine
from genai_planner.models.offline import OfflineChatModel

Editor = Callable[[str, str, int], str]
"""(prompt, reply text, call number) -> new reply text."""


class ScriptedChatModel(OfflineChatModel):
    """The offline engine whose text replies pass through `editor`."""

    editor: Any = None
    counter: Any = None

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        result = super()._generate(messages, stop, run_manager, **kwargs)
        message = result.generations[0].message
        if isinstance(message, AIMessage) and isinstance(message.content, str) and message.content and not message.tool_calls:
            prompt = "\n\n".join(str(m.content) for m in messages)
            self.counter["n"] += 1
            message.content = self.editor(prompt, message.content, self.counter["n"])
        return result


def register_scripted(name: str, editor: Editor) -> None:
    """Register an engine whose writer replies are edited by `editor`."""
    counter = {"n": 0}
    register_engine(name, lambda role, ctx, settings: ScriptedChatModel(editor=editor, counter=counter))


def is_doc(prompt: str, doc_id: str) -> bool:
    """Whether a writer prompt is for a whole document `doc_id` (compile or revision)."""
    return (f"Compile document {doc_id}:" in prompt) or (f"Revise document {doc_id} (" in prompt)
