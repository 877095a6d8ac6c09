"""The user's own catalog: models, routes, prices and exchange rates laid over the shipped ones.

The shipped catalog is a snapshot with a date; an organisation knows the model it already runs,
its negotiated prices and today's rates. `--catalog FILE` (or GENAI_PLANNER_CATALOG) names a
YAML file whose `models:` entries add a model (new id) or override fields of a shipped one
(same id), whose `routes:` entries override or add route facts (`planning/data/routes.yaml`
layout), and whose `fx:` entries override rates per USD. Every entry is validated; each bad one
gives one line naming the file, the entry and the field, and the run does not start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from genai_planner.core.errors import InputError
from genai_planner.core.languages import is_iso_639_1, normalise
from genai_planner.core.yamlio import parse_yaml

HOSTING = ("api", "azure", "aws-bedrock", "gcp-vertex", "self-hosted", "on-premises")


class Architecture(BaseModel):
    """Layers and KV heads x head dim (or kv_dim_per_layer), for the self-hosting memory estimate."""

    model_config = ConfigDict(extra="allow")

    layers: int = Field(gt=0)
    kv_heads: int | None = Field(default=None, gt=0)
    head_dim: int | None = Field(default=None, gt=0)
    kv_dim_per_layer: int | None = Field(default=None, gt=0)


class ModelEntry(BaseModel):
    """One model of a user catalog; a new id needs every field without a default."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=120)
    provider: str = Field(min_length=1, max_length=120)
    open_weights: bool
    parameters_b: float | None = Field(default=None, gt=0)
    context_window: int = Field(gt=0)
    licence: str = Field(min_length=1)
    commercial_use: bool
    licence_type: Literal["permissive", "community", "proprietary", "research", "non_commercial"] = "proprietary"
    languages: list[str] = Field(min_length=1)
    languages_claimed: list[str] = Field(default_factory=list)
    hosting: list[Literal["api", "azure", "aws-bedrock", "gcp-vertex", "self-hosted", "on-premises"]] = Field(min_length=1)
    price_input_per_mtok: float | None = Field(default=None, ge=0)
    price_output_per_mtok: float | None = Field(default=None, ge=0)
    architecture: Architecture | None = None
    sources: list[str] = Field(min_length=1, description="Where the facts come from: model card, price page.")
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(-\d{2})?$")

    @field_validator("languages", "languages_claimed")
    @classmethod
    def _iso(cls, value: list[str]) -> list[str]:
        for code in value:
            if not isinstance(code, str) or not is_iso_639_1(code):
                raise ValueError(f"unknown language code {code!r} (ISO 639-1: en, no, sv ...)")
        return [normalise(code) for code in value]


class UserCatalog(BaseModel):
    """What a catalog file holds once validated."""

    path: str
    as_of: str | None
    models: list[dict[str, Any]]
    routes: dict[str, Any]
    fx: dict[str, float]


def _line(path: Path, where: str, exc: ValidationError) -> list[str]:
    """One line for one bad entry, naming each bad field."""
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].replace('Value error, ', '')}" for e in exc.errors()]
    return [f"{path}: {where}: " + "; ".join(problems)]


def load_user_catalog(path: Path, shipped: tuple[dict[str, Any], ...]) -> UserCatalog:
    """Read and validate a user catalog file against the shipped models; InputError with one line per bad entry."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read catalog file {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - any YAML error is one line
        raise InputError(f"invalid YAML in catalog file {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a catalog file is a mapping with models:, routes: or fx:")
    unknown = sorted(set(data) - {"as_of", "source", "note", "models", "routes", "fx"})
    errors = [f"{path}: unknown top-level key {k!r} (models, routes, fx, as_of, source)" for k in unknown]
    as_of = str(data["as_of"]) if data.get("as_of") else None
    by_id = {m["id"]: m for m in shipped}
    models: list[dict[str, Any]] = []
    for i, entry in enumerate(data.get("models") or []):
        label = f"models[{i}]" + (f" ({entry.get('id')})" if isinstance(entry, dict) and entry.get("id") else "")
        if not isinstance(entry, dict) or not entry.get("id"):
            errors.append(f"{path}: {label}: each model needs an id")
            continue
        base = by_id.get(str(entry["id"]), {})
        merged = {**base, **entry}
        try:
            ModelEntry.model_validate(merged)
        except ValidationError as exc:
            errors += _line(path, label, exc)
            continue
        if merged.get("languages"):
            merged["languages"] = [normalise(c) for c in merged["languages"]]
        merged["as_of"] = str(entry.get("as_of") or as_of or base.get("as_of") or "")
        merged["catalog_source"] = str(path.name)
        models.append(merged)
    routes = data.get("routes") or {}
    if not isinstance(routes, dict) or set(routes) - {"vendor_api", "clouds", "provider_countries"}:
        errors.append(f"{path}: routes: expected vendor_api:, clouds: or provider_countries: (the layout of planning/data/routes.yaml)")
        routes = {}
    fx: dict[str, float] = {}
    for code, rate in (data.get("fx") or {}).items():
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha()) or isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
            errors.append(f"{path}: fx.{code}: a rate is a positive number of currency units per USD under a three-letter ISO 4217 code")
            continue
        fx[code.upper()] = float(rate)
    if errors:
        raise InputError("the catalog file has errors:\n" + "\n".join(errors))
    return UserCatalog(path=str(path), as_of=as_of, models=models, routes=routes, fx=fx)


def merge_models(shipped: tuple[dict[str, Any], ...], user: UserCatalog) -> tuple[dict[str, Any], ...]:
    """The shipped models with the user's laid over them: same id replaced, new ids appended."""
    overrides = {m["id"]: m for m in user.models}
    merged = [overrides.pop(m["id"], m) for m in shipped]
    return tuple(merged + list(overrides.values()))


EXAMPLE = """\
# A user catalog for genai-planner: copy this file, edit it, and run with
#   genai-planner run my_use_case.yaml --catalog my_catalog.yaml
# (or set GENAI_PLANNER_CATALOG=my_catalog.yaml). `genai-planner catalog --catalog my_catalog.yaml`
# lists what a run would then use.
#
# models: a new id adds a model; a shipped id (see `genai-planner catalog`) overrides only the
#         fields you give, e.g. your negotiated price:  - {id: gpt-4o, price_input_per_mtok: 2.0}
# routes: route facts in the layout of genai_planner/planning/data/routes.yaml (vendor_api:, clouds:)
# fx:     currency units per USD that replace the shipped rates, e.g. {NOK: 10.4}
as_of: "2026-01"                      # the date your figures were checked (shown in document 2)
source: "our procurement notes"
models:
  - id: example-nordic-8b             # letters, digits, . _ -
    name: Example Nordic 8B           # the name documents use
    provider: Your Organisation
    open_weights: true                # weights you can run yourself
    parameters_b: 8                   # billions of parameters (sizes the GPUs)
    context_window: 32768             # tokens
    licence: "Apache-2.0"
    commercial_use: true              # the licence permits commercial use
    licence_type: permissive          # permissive | community | proprietary | research | non_commercial
    languages: [en, "no", sv, da]     # officially supported, ISO 639-1 ("no" in quotes: Norwegian)
    languages_claimed: [fi]           # named by the card beyond the official list
    hosting: [self-hosted, on-premises]   # api | azure | aws-bedrock | gcp-vertex | self-hosted | on-premises
    price_input_per_mtok: null        # USD per million tokens through an API; null when self-hosted only
    price_output_per_mtok: null
    architecture: {layers: 32, kv_heads: 8, head_dim: 128}   # from config.json: sizes the KV cache
    sources: ["https://example.org/your-model-card"]
# fx:
#   NOK: 10.1
"""
