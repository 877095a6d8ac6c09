"""Scenarios: a use case described as data, validated with one-line errors."""

from __future__ import annotations

import errno
import math
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from genai_planner.core.errors import InputError
from genai_planner.core.languages import is_iso_639_1, iso_639_1, normalise
from genai_planner.core.settings import DOCUMENT_IDS, Language
from genai_planner.core.yamlio import StringSafeLoader

MAX_USE_CASE_CHARS = 20_000
MAX_AMOUNT = 1e15
"""The largest budget amount taken (any currency): beyond it a number is a typo or an attack, not a budget."""
MAX_SCENARIO_BYTES = 1_000_000


class HardwareSpec(BaseModel):
    """Accelerators the organisation already owns, e.g. `{accelerator: A100, count: 2, memory_gb: 80}`."""

    model_config = ConfigDict(extra="forbid")

    accelerator: str = Field(min_length=1, max_length=80, description="The GPU or accelerator model, e.g. 'A100', 'NVIDIA L4'.")
    count: int = Field(default=1, ge=1, le=100_000)
    memory_gb: float | None = Field(
        default=None, gt=0, le=100_000, allow_inf_nan=False, description="Memory per device in GB (known models are filled in when absent)."
    )


class BudgetSpec(BaseModel):
    """A monthly budget in any currency, e.g. `{amount: 5000000, currency: KRW}`."""

    model_config = ConfigDict(extra="forbid")

    amount: float = Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)
    currency: str = Field(default="USD", pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code: USD, EUR, KRW, GBP, JPY ...")

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class HostingSpec(BaseModel):
    """Terms a hosting route must meet, e.g. `{no_training: true, private_endpoint: true, data_stays_in: [NO]}`."""

    model_config = ConfigDict(extra="forbid")

    no_training: bool = Field(default=False, description="The provider must not train on our data.")
    no_retention: bool = Field(default=False, description="The provider must keep no prompts or outputs.")
    private_endpoint: bool = Field(default=False, description="Cloud models only through our private endpoint.")
    data_stays_in: list[str] = Field(default_factory=list, description="ISO 3166 country codes (NO, SE, KR) or EU.")
    no_provider_from: list[str] = Field(default_factory=list, description="ISO 3166 country codes no provider may come from (CN).")
    via: list[str] = Field(default_factory=list, description="The only cloud routes allowed: azure, aws-bedrock, gcp-vertex (self-hosting stays allowed).")

    @field_validator("via")
    @classmethod
    def _routes(cls, value: list[str]) -> list[str]:
        allowed = ("azure", "aws-bedrock", "gcp-vertex")
        out = [str(v).strip().lower() for v in value]
        for route in out:
            if route not in allowed:
                raise ValueError(f"route {route!r} is not one of {', '.join(allowed)}")
        return out

    @field_validator("data_stays_in", "no_provider_from")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        out = []
        for code in value:
            code = str(code).strip().upper()
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise ValueError(f"region {code!r} is not a two-letter ISO 3166 country code or EU")
            out.append(code)
        return out


class Constraints(BaseModel):
    """Hard constraints that every document must respect. All optional; they win over the prose."""

    model_config = ConfigDict(extra="forbid")

    on_premises: bool = Field(default=False, description="Data and model must stay on the organisation's premises.")
    languages: list[str] = Field(default_factory=list, description="Languages to support: ISO 639-1 codes (ar, pt) or names (Arabic, Português).")
    monthly_budget_usd: float | None = Field(default=None, gt=0, le=MAX_AMOUNT, allow_inf_nan=False, description="Budget for inference per month.")

    @field_validator("languages")
    @classmethod
    def _iso_codes(cls, value: list[str]) -> list[str]:
        codes = []
        for code in value:
            code = str(code).strip()
            if not is_iso_639_1(code):
                # A user writes the language's name ('Arabic', 'Portuguese', 'isiZulu') as often as its code.
                named = iso_639_1(code)
                if named is None:
                    raise ValueError(f"unknown language {code!r} (use a language name such as Arabic or an ISO 639-1 code such as ar, en, ko, no)")
                code = named
            codes.append(normalise(code))
        return codes
    data_residency: Literal["on_premises", "private_cloud", "cloud_ok"] | None = Field(default=None, description="Where data may be processed.")
    hardware: list[HardwareSpec] | None = Field(default=None, description="Accelerators the organisation owns.")
    regulations: list[str] | None = Field(default=None, description="Laws and regimes that apply, e.g. HIPAA, GDPR, 개인정보보호법.")
    monthly_budget: BudgetSpec | None = Field(default=None, description="Monthly budget with its currency (instead of monthly_budget_usd).")
    latency: Literal["interactive", "batch"] | None = Field(default=None, description="Whether people wait for each answer.")
    hosting: HostingSpec | None = Field(default=None, description="Terms every hosting route must meet (training, retention, private endpoint, regions).")

    @model_validator(mode="after")
    def _consistent(self) -> Constraints:
        if self.on_premises and self.data_residency not in (None, "on_premises"):
            raise ValueError(f"on_premises: true contradicts data_residency: {self.data_residency}")
        if self.monthly_budget and self.monthly_budget_usd is not None:
            if self.monthly_budget.currency != "USD" or abs(self.monthly_budget.amount - self.monthly_budget_usd) > 0.005:
                raise ValueError("give one budget: monthly_budget and monthly_budget_usd disagree")
        return self


PROSE_CONSTRAINTS: dict[str, tuple[str, str]] = {
    "budget": ("Budget", "예산"),
    "users": ("Users", "사용자 수"),
    "success_criteria": ("Success criteria", "성공 기준"),
    "data_residency": ("Data residency", "데이터 보관 위치"),
    "latency": ("Latency", "응답 시간"),
    "hardware": ("Hardware we own", "보유 장비"),
}
"""Free-text constraints that join the prose (label in English and Korean)."""
TYPED_WHEN = {
    "data_residency": lambda v: v in ("on_premises", "private_cloud", "cloud_ok"),
    "latency": lambda v: v in ("interactive", "batch"),
    "hardware": lambda v: not isinstance(v, str) and not (isinstance(v, list) and v and all(isinstance(i, str) for i in v)),
}
"""Fields that are typed when they hold one of their typed values (then they stay typed constraints)."""


class Scenario(BaseModel):
    """A use case. Only `name` and `use_case` are required."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    use_case: str = Field(min_length=1, max_length=MAX_USE_CASE_CHARS)
    organisation: str | None = Field(default=None, max_length=200)
    language: Language = "en"
    constraints: Constraints = Field(default_factory=Constraints)
    stakeholders: list[str] = Field(default_factory=list)
    documents: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _prose_constraints(cls, data: object) -> object:
        """Constraints a user writes as free text (`budget: AED 38,000 a month`, `users: 64`, a `success_criteria` list,
        `data_residency: data must stay in Brazil`, `hardware: 2 x NVIDIA L40S, owned`) become stated sentences of the use case, which the brief reads
        like the rest of the prose, instead of refusing a natural file up front.
        """
        if not isinstance(data, dict) or not isinstance(data.get("constraints"), dict) or not isinstance(data.get("use_case"), str):
            return data
        constraints = dict(data["constraints"])
        ko = data.get("language") == "ko"
        lines = []
        for key, (en_label, ko_label) in PROSE_CONSTRAINTS.items():
            value = constraints.get(key)
            if value is None or (key in TYPED_WHEN and TYPED_WHEN[key](value)):
                continue
            constraints.pop(key)
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in items) or not items:
                raise ValueError(f"constraints.{key} must be text, a number or a list of texts")
            label = ko_label if ko else en_label
            if key == "users" and isinstance(value, int):  # a bare count: say what it counts
                items = [f"{value}명" if ko else f"{value} users"]
            lines += [f"{label}: {items[0]}."] if len(items) == 1 else [f"{label}:", *(f"- {i}" for i in items)]
        if not lines:
            return data
        head = "제약 조건으로 밝힌 사항:" if ko else "Stated as constraints:"
        return {**data, "constraints": constraints, "use_case": data["use_case"].rstrip() + "\n\n" + head + "\n" + "\n".join(lines)}

    @field_validator("name", "use_case")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("documents", mode="before")
    @classmethod
    def _known_documents(cls, value: object) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValueError("must be a list of document ids (1-5)")
        value = [str(v) for v in value]
        for doc_id in value:
            if doc_id not in DOCUMENT_IDS:
                raise ValueError(f"unknown document id {doc_id!r} (expected 1-5)")
        return sorted(set(value))

    @property
    def slug(self) -> str:
        """A file-system-safe name: no path separators, no dots at the start."""
        slug = re.sub(r"[^A-Za-z0-9가-힣_-]+", "-", self.name).strip("-.").lower()
        return slug[:60] or "scenario"


def _known_fields(where: tuple) -> list[str]:
    """The field names allowed at `where` (a loc without its last part), for the 'not a known field' error."""
    model: type[BaseModel] = Scenario
    for part in where:
        field = model.model_fields.get(str(part))
        inner = getattr(field, "annotation", None) if field else None
        inner = next((a for a in getattr(inner, "__args__", (inner,)) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "scenario"
    message = err["msg"]
    if err["type"] == "missing":
        message = "is required"
    elif err["type"] == "extra_forbidden":
        known = _known_fields(err["loc"][:-1])
        message = "is not a known field" + (f" (known here: {', '.join(known)}; any other fact belongs in use_case's prose)" if known else "")
    elif err["type"] == "string_too_long":
        message = f"is too long (at most {err.get('ctx', {}).get('max_length')} characters)"
    return f"field '{where}' {message}".replace("Value error, ", "")


def parse_scenario(data: object, source: str = "scenario") -> Scenario:
    """Validate already-loaded scenario data."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping with 'name' and 'use_case', got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{source}: {_first_error(exc)}") from None


def yaml_error_location(exc: yaml.YAMLError, text: str) -> str:
    """' at line N: what is wrong', with N a line of the file (1-based).

    PyYAML marks an error found at the end of the input on the line after the last one
    (past the final newline); that line does not exist in the file, so the last line with
    content is named instead, and where the construct began when PyYAML says so.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return ""
    lines = text.splitlines()
    last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
    line = min(mark.line, last)
    problem = " ".join(str(getattr(exc, "problem", "") or "").split())
    context = getattr(exc, "context_mark", None)
    started = f" (it started at line {context.line + 1})" if context is not None and context.line < line else ""
    return f" at line {line + 1}" + (f": {problem}" if problem else "") + started


class _SafeScenarioLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and without duplicate keys.

    A scenario never needs an anchor: refusing every alias when it is composed (before any
    value is built) makes a 480-byte 'billion laughs' a one-line error in microseconds,
    where expanding it cost 105 s and 3.4 GB. A key given twice silently took the last
    value; it is an error, naming the key and both lines. Booleans follow YAML 1.2 like every
    other file we read (`languages: [no, sv]` is Norwegian and Swedish, not False).
    """

    yaml_implicit_resolvers = StringSafeLoader.yaml_implicit_resolvers

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"YAML aliases (*{event.anchor}) are not allowed in a scenario; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark
                        )
                    seen[key] = key_node.start_mark.line
                except TypeError:  # an unhashable key: the base class names it
                    pass
        return super().construct_mapping(node, deep=deep)


def _finite(data: object, where: str = "") -> None:
    """Raise `InputError` for a non-finite number anywhere in the data (.inf, .nan)."""
    if isinstance(data, float) and not math.isfinite(data):
        raise InputError(f"field '{where or 'scenario'}' must be a finite number, not {data}")
    if isinstance(data, dict):
        for key, value in data.items():
            _finite(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _finite(value, f"{where}.{i}")


def safe_yaml(text: str) -> object:
    """Parse YAML with `_SafeScenarioLoader` (no aliases, no duplicate keys)."""
    loader = _SafeScenarioLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file, raising `InputError` with one readable line."""
    path = Path(path)
    try:
        path.stat()
    except FileNotFoundError:
        kind = "a broken symlink" if path.is_symlink() else "not found"
        raise InputError(f"scenario file {kind}: {path}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"scenario path is a symlink loop (it points back at itself): {path}") from None
        raise InputError(f"cannot read scenario file {path}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise InputError(f"expected a scenario file, got a directory: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"scenario file is empty: {path}")
    if size > MAX_SCENARIO_BYTES:
        raise InputError(f"scenario file is too large ({size} bytes, at most {MAX_SCENARIO_BYTES}): {path}")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InputError(f"scenario file is binary, not YAML: {path}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"scenario file is not UTF-8 text: {path}") from None
    try:
        data = safe_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML in {path}{yaml_error_location(exc, text)}") from None
    except RecursionError:
        raise InputError(f"invalid YAML in {path}: nested too deeply") from None
    if data is None:
        raise InputError(f"scenario file is empty: {path}")
    if isinstance(data, dict):
        _finite(data)
    return parse_scenario(data, str(path))
