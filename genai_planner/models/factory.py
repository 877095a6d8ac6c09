"""The one model boundary: every agent gets its chat model here, keyed by role.

Engines ('offline', 'openai', or one a test or plugin registers) build the base model;
wrappers named in the run context ('record', 'replay', a fault injector) wrap it. Agents
never branch on which model they got.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from genai_planner.core.config import RunContext
from genai_planner.core.settings import Settings, load_settings
from genai_planner.models.offline import OfflineChatModel

EngineBuilder = Callable[[str, RunContext, Settings], BaseChatModel]
Wrapper = Callable[[BaseChatModel, str, RunContext], BaseChatModel]

_ENGINES: dict[str, EngineBuilder] = {}
_WRAPPERS: dict[str, Wrapper] = {}


def register_engine(name: str, builder: EngineBuilder) -> None:
    """Make an engine available by name (tests register scripted models this way)."""
    _ENGINES[name] = builder


def unregister_engine(name: str) -> None:
    """Forget an engine registered by a test."""
    _ENGINES.pop(name, None)


def register_wrapper(name: str, wrapper: Wrapper) -> None:
    """Make a model wrapper available by name for `RunContext.wrappers`."""
    _WRAPPERS[name] = wrapper


def known_engines() -> list[str]:
    """Names of every registered engine."""
    return sorted(_ENGINES)


def _offline(role: str, ctx: RunContext, settings: Settings) -> BaseChatModel:
    return OfflineChatModel()


def _openai(role: str, ctx: RunContext, settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    if settings.openai_api_key is None:
        raise ValueError("the 'openai' engine needs OPENAI_API_KEY")
    extra_body = None
    if settings.openai_base_url:
        # Non-OpenAI servers (llama.cpp, some vLLM builds) ignore max_completion_tokens.
        extra_body = {"max_tokens": settings.genai_planner_max_output_tokens}
    return ChatOpenAI(
        model=settings.model_for(role, ctx.model),  # type: ignore[arg-type]
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.genai_planner_timeout_s,
        max_retries=0,  # genai_planner/models/calls.py retries with backoff, once for every engine, visibly in the trace
        max_tokens=settings.genai_planner_max_output_tokens,  # type: ignore[call-arg]
        temperature=0.2,
        extra_body=extra_body,
    )


def _replay(role: str, ctx: RunContext, settings: Settings) -> BaseChatModel:
    from genai_planner.models.recording import ReplayChatModel

    if not ctx.replay_from:
        raise ValueError("the 'replay' engine needs the run directory to replay from")
    return ReplayChatModel(tape=_tape(str(Path(ctx.replay_from) / "recording" / "models.jsonl"), ctx.run_id), role=role, run_id=ctx.run_id)


@lru_cache(maxsize=8)
def _tape(path: str, run_id: str):  # type: ignore[no-untyped-def]
    """One tape per replay run: replies are consumed as they are taken, so two replays must not share one."""
    from genai_planner.models.recording import Tape

    return Tape(Path(path))


def _record(model: BaseChatModel, role: str, ctx: RunContext) -> BaseChatModel:
    from genai_planner.models.recording import RecordingChatModel

    if not ctx.run_dir:
        return model
    return RecordingChatModel(inner=model, path=Path(ctx.run_dir) / "recording" / "models.jsonl", role=role, run_id=ctx.run_id)


register_engine("offline", _offline)
register_engine("openai", _openai)
register_engine("replay", _replay)
register_wrapper("record", _record)


def chat_model_for(role: str, ctx: RunContext, settings: Settings | None = None) -> BaseChatModel:
    """The chat model for an agent role in this run."""
    settings = settings or load_settings()
    try:
        builder = _ENGINES[ctx.engine]
    except KeyError:
        raise ValueError(f"unknown engine {ctx.engine!r} (known: {', '.join(known_engines())})") from None
    model = builder(role, ctx, settings)
    for name in ctx.wrappers:
        wrapper = _WRAPPERS.get(name)
        if wrapper is None:
            raise ValueError(f"unknown model wrapper {name!r}")
        model = wrapper(model, role, ctx)
    return model


def resolve_engine(explicit: str | None, settings: Settings) -> str:
    """Engine precedence: the --engine flag, else 'openai' when a key is set, else 'offline'."""
    if explicit:
        return explicit
    return "openai" if settings.openai_api_key is not None else "offline"
