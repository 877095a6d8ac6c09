"""Fault injection at the model and tool boundaries (used by tests and chaos runs).

`FaultInjector(rate, seed)` decides, call by call and reproducibly, whether to inject a
fault: a timeout, an HTTP 429 or 500, a malformed reply (models), or an exception (tools).
It wraps a chat model as a model wrapper and hooks the tool runner.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from genai_planner.models.wrapping import WrappingChatModel

MODEL_FAULTS = ("timeout", "http_429", "http_500", "malformed")


class InjectedFault(Exception):
    """A fault the injector raised on purpose."""


class FaultInjector:
    """Seeded, thread-safe fault decisions with counts of what was injected."""

    def __init__(self, rate: float = 0.2, seed: int = 0):
        self.rate = rate
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()

    def pick(self, kinds: tuple[str, ...]) -> str | None:
        """A fault kind to inject now, or None."""
        with self._lock:
            if self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(kinds)
            self.injected[kind] += 1
            return kind

    def tool_hook(self, tool: str, args: dict[str, Any]) -> None:
        """Tool-runner hook: raise on some calls."""
        if self.pick(("tool_error",)):
            raise InjectedFault(f"injected failure in tool {tool}")

    def wrap(self, model: BaseChatModel) -> BaseChatModel:
        """The model with faults injected in front of it."""
        return FaultyChatModel(inner=model, injector=self)


def _raise(kind: str) -> None:
    if kind == "timeout":
        raise TimeoutError("injected: request timed out")
    if kind == "http_429":
        raise InjectedFault("injected: HTTP 429 Too Many Requests")
    raise InjectedFault("injected: HTTP 500 Internal Server Error")


class FaultyChatModel(WrappingChatModel):
    """A chat model that sometimes fails or answers with garbage before asking the real one."""

    injector: Any

    def _fault(self) -> ChatResult | None:
        kind = self.injector.pick(MODEL_FAULTS)
        if kind is None:
            return None
        if kind == "malformed":
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content='{"accept": tru, "crit'))])
        _raise(kind)
        return None

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        return self._fault() or self.inner._generate(messages, stop, **kwargs)

    async def _agenerate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        return self._fault() or await self.inner._agenerate(messages, stop, **kwargs)
