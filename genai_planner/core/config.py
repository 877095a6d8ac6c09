"""The run configuration, declared once: the graph's context schema, the CLI's options and their environment defaults.

`RunConfig` is what one planning run may vary. LangGraph hands it to every node as
`Runtime[RunConfig]` (LangGraph Server builds it from the JSON `context` of a run), the
runner fills in what it decides itself (run id, run directory, the resolved engine and
language), and the CLI takes each flag's help text and shown default from the field here
(`genai_planner.cli.run_option`), so a parameter is added in one place.

Precedence, one rule for every field: a value given explicitly (a CLI flag, a keyword, the
server's `context`) beats `GENAI_PLANNER_<FIELD>` in the environment (the CLI also reads
`.env`), which beats the default here. Fields marked `env: False` never come from the
environment: ids the runner sets, test hooks, and `model`, whose environment form is the
per-role `GENAI_PLANNER_*_MODEL` of `Settings`.

It holds only plain values so that LangGraph Server can pass it as JSON; models and tools
are built from it by the factories, never stored in it. `.env` is not read by default: on
the server the context is built inside the event loop, where a file read is a blocking call.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, DotEnvSettingsSource, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

DOCUMENT_IDS = ("1", "2", "3", "4", "5")
ENV_PREFIX = "GENAI_PLANNER_"


def _plain_path(value: Any) -> Any:
    """Paths travel as strings (JSON-safe for the server); accept a `Path` from callers."""
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _comma_list(value: Any) -> Any:
    """'1,2' (a flag or an environment variable) or a list both become a tuple of stripped items."""
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return value


PlainPath = Annotated[str | None, BeforeValidator(_plain_path)]
CommaList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_comma_list)]


def _no_env(**extra: Any) -> dict[str, Any]:
    return {"env": False, **extra}


class RunConfig(BaseSettings):
    """What one planning run may vary. Defaults are the offline engine's (and LangGraph Server's)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=None, frozen=True, extra="ignore")

    run_id: str = Field(
        default="server", json_schema_extra=_no_env(), description="Identifier of the run; the checkpoint thread and the memory namespace use it."
    )
    language: Literal["en", "ko"] = Field(
        default="en",
        json_schema_extra={"cli_default": "the scenario's language"},
        description="Language of every document: en or ko.",  # a run uses its scenario's unless this is given
    )
    documents: Annotated[tuple[str, ...] | None, NoDecode, BeforeValidator(_comma_list)] = Field(
        default=None, json_schema_extra={"cli_default": "the scenario's documents"}, description="Comma-separated subset of document ids, e.g. 1,2."
    )
    engine: str = Field(
        default="offline",
        json_schema_extra={"cli_default": "openai when OPENAI_API_KEY is set, else offline"},
        description="Chat-model engine: offline, openai, or one registered with the model factory.",
    )
    model: str | None = Field(
        default=None,
        json_schema_extra=_no_env(cli_default="$GENAI_PLANNER_MODEL or per-role settings"),
        description="Model name for every agent (real engines).",
    )
    max_revisions: int = Field(default=3, ge=0, le=10, description="Revisions a document may get after its first draft.")
    max_tool_calls: int = Field(default=8, ge=1, le=50, description="Tool calls per research step.")
    max_research_rounds: int = Field(default=3, ge=1, le=10, description="Model turns the researcher may take per document.")
    max_consistency_rounds: int = Field(default=2, ge=0, le=5, description="Times the consistency review may send documents back.")
    use_memory: bool = Field(default=True, description="Read and write cross-run lessons.")
    docs_dir: PlainPath = Field(default=None, description="Folder of your own documents to research (the user_documents tool).")
    mcp: PlainPath = Field(
        default=None, description="MCP servers whose tools the researcher may call: an mcpServers JSON file (stdio command or streamable-HTTP url)."
    )
    output_dir: Path = Field(
        default=Path("runs"), json_schema_extra=_no_env(), description="Where run directories live (the CLI's default is $GENAI_PLANNER_HOME)."
    )
    run_dir: PlainPath = Field(default=None, json_schema_extra=_no_env(), description="Run directory (recordings live there); None on LangGraph Server.")
    max_tokens: int | None = Field(default=None, ge=1, description="Token budget for the whole run.")
    max_cost: float | None = Field(default=None, gt=0, allow_inf_nan=False, description="Cost budget (USD) for the whole run.")
    user_id: str = Field(default="local", description="Owner of the lessons namespace.")
    wrappers: CommaList = Field(
        default=(), json_schema_extra=_no_env(), description="Model wrappers registered with the factory, e.g. ('record',) or a test's fault injector."
    )
    review: Annotated[tuple[Literal["plan", "documents"], ...], NoDecode, BeforeValidator(_comma_list)] = Field(
        default=(), description="Pause for a person at 'plan' (after the planner) and/or 'documents' (when each passes)."
    )
    replay_from: PlainPath = Field(default=None, json_schema_extra=_no_env(), description="Run directory whose recording the 'replay' engine answers from.")

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: Any) -> Any:
        if value not in ("en", "ko"):
            raise ValueError(f"unknown language {value!r} (expected en or ko)")
        return value

    @field_validator("documents")
    @classmethod
    def _known_documents(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        unknown = [d for d in value if d not in DOCUMENT_IDS]
        if unknown:
            raise ValueError(f"unknown document id {unknown[0]!r} (expected one of 1-5)")
        if not value:
            raise ValueError("the document list is empty")
        return tuple(sorted(set(value)))

    def given(self, name: str) -> bool:
        """Whether a field was set explicitly or by the environment (not left at its default)."""
        return name in self.model_fields_set

    @classmethod
    def from_cli(cls, **flags: Any) -> RunConfig:
        """The configuration from the flags a person gave (None: not given), the environment and `.env`."""
        return cls(_env_file=".env", **{k: v for k, v in flags.items() if v is not None})  # type: ignore[call-arg]

    @classmethod
    def env_name(cls, name: str) -> str | None:
        """The environment variable a field reads, or None for fields the environment never sets."""
        return None if _env_disabled(cls.model_fields[name]) else f"{ENV_PREFIX}{name.upper()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _RunEnv(settings_cls), _RunDotEnv(settings_cls, env_file=getattr(dotenv_settings, "env_file", None))


def _env_disabled(field: FieldInfo) -> bool:
    extra = field.json_schema_extra
    return isinstance(extra, dict) and extra.get("env") is False


class _RunEnv(EnvSettingsSource):
    """The environment, for the fields it may set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        if _env_disabled(field):
            return None, field_name, False
        return super().get_field_value(field, field_name)


class _RunDotEnv(DotEnvSettingsSource):
    """`.env`, for the fields the environment may set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        if _env_disabled(field):
            return None, field_name, False
        return super().get_field_value(field, field_name)


RunContext = RunConfig
"""The name graph nodes use for it (`Runtime[RunContext]`)."""
