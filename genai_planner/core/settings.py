"""Process settings.

Two layers, one precedence: an explicit run argument (a CLI flag) beats the environment
(or `.env`), which beats the default. `Settings` holds process-wide knobs (keys,
endpoints, paths); what one planning run may vary is `RunConfig` (`core.config`), declared
once. Secrets are `SecretStr` so they never render in logs, traces or manifests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from genai_planner.core.config import DOCUMENT_IDS, RunConfig

Language = Literal["en", "ko"]
AgentRole = Literal["planner", "researcher", "writer", "reviewer"]
__all__ = ["DOCUMENT_IDS", "AgentRole", "Language", "RunOptions", "Settings", "load_settings"]


class Settings(BaseSettings):
    """Process-wide settings read from the environment or a `.env` file."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    openai_api_key: SecretStr | None = Field(default=None, description="Key for the OpenAI-compatible endpoint.")
    openai_base_url: str | None = Field(default=None, description="Base URL of an OpenAI-compatible endpoint.")
    genai_planner_model: str = Field(default="gpt-4o-mini", description="Default model name for every agent.")
    genai_planner_planner_model: str | None = None
    genai_planner_researcher_model: str | None = None
    genai_planner_writer_model: str | None = None
    genai_planner_reviewer_model: str | None = None
    genai_planner_timeout_s: float = Field(default=120.0, gt=0, le=3600)
    genai_planner_max_retries: int = Field(default=3, ge=0, le=10)
    genai_planner_max_output_tokens: int = Field(default=2048, ge=64, le=65536)
    tavily_api_key: SecretStr | None = None
    tavily_base_url: str | None = Field(default=None, description="Tavily API base URL (tests point it at loopback).")
    genai_planner_database_url: SecretStr | None = Field(
        default=None, description="postgresql://... to keep checkpoints and memory in Postgres instead of SQLite."
    )
    genai_planner_home: Path = Field(default=Path("runs"), description="Where run directories and the databases live.")

    def model_for(self, role: AgentRole, override: str | None = None) -> str:
        """Return the model name for an agent role: flag > per-role env > global env > default."""
        if override:
            return override
        per_role = getattr(self, f"genai_planner_{role}_model")
        return per_role or self.genai_planner_model

    def secret_values(self) -> list[str]:
        """Every secret value set in this process, for redaction."""
        values = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                values.append(value.get_secret_value())
        return values


RunOptions = RunConfig
"""The library's name for the run configuration (`run_planning(scenario, RunOptions(...))`); one class, declared in `core.config`."""


_CACHE: dict[tuple[tuple[str, str], ...], Settings] = {}
_ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_")


def load_settings() -> Settings:
    """Read settings from the environment (and `.env`), once per distinct environment."""
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)))
    if key not in _CACHE:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = Settings()
    return _CACHE[key]
