"""A chat model that wraps another one: tools are bound the way the inner model formats them."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel


class WrappingChatModel(BaseChatModel):
    """Base for wrappers (fault injection, recording): delegates tool binding and naming to `inner`."""

    inner: BaseChatModel

    @property
    def _llm_type(self) -> str:
        return f"{type(self).__name__.lower()}-{self.inner._llm_type}"

    @property
    def model_name(self) -> str:
        """The inner model's name, so traces and prices see the real model."""
        return str(getattr(self.inner, "model_name", None) or getattr(self.inner, "model", None) or "model")

    def bind_tools(self, tools: list[Any], **kwargs: Any):  # type: ignore[override]
        """Bind tools the way the inner model formats them (OpenAI format for ChatOpenAI)."""
        return self.bind(**self.inner.bind_tools(tools, **kwargs).kwargs)  # type: ignore[attr-defined]
