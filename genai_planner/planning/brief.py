"""The brief: what the planner understood about the use case, every fact with its provenance.

The planner produces a `Brief` first; every later step (the planning figures, the
researcher's questions, the writer's prompts, the checks) reads it. A fact is only as good
as its evidence, so each one says where it came from:

- `stated`: the use case says so; `quote` is the exact span of the use case text.
- `scenario`: the scenario YAML says so (`constraints:`, `stakeholders:`, `organisation:`).
- `inferred`: read between the lines; `reason` says why in one line.
- `default`: nothing said; the planner assumed it (`reason` says what was assumed).

YAML constraints always win over the prose; a disagreement is kept in `conflicts`.
"""

from __future__ import annotations

import json
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Provenance = Literal["stated", "scenario", "inferred", "default"]
Residency = Literal["on_premises", "private_cloud", "cloud_ok", "unspecified"]
Period = Literal["hour", "day", "weekday", "weekend_day", "week", "month", "year"]
"""'weekday' and 'weekend_day' keep a day pattern ('95 on a weekday, 50 on a weekend day'): the month counts each."""
Latency = Literal["interactive", "batch", "unspecified"]
Sensitivity = Literal["low", "medium", "high"]

Sector = Literal[
    "retail",
    "healthcare",
    "public_sector",
    "banking",
    "insurance",
    "legal",
    "telecom",
    "manufacturing",
    "education",
    "logistics",
    "energy",
    "media",
    "software",
    "hospitality",
    "general",
]

SECTORS: tuple[str, ...] = get_args(Sector)

TaskType = Literal[
    "summarisation",
    "drafting",
    "question_answering",
    "classification",
    "extraction",
    "text_to_sql",
    "chat",
    "translation",
    "search",
    "code",
]
TASK_TYPES: tuple[str, ...] = get_args(TaskType)

Archetype = Literal[
    "record_drafting", "corpus_qa", "assistant", "classification", "extraction", "text_to_sql", "translation", "code", "conversation_summary", "digest"
]
"""The shape of the work: drafting from one record, question answering over a corpus, ... (retrieval, caching and waiting follow it)."""
ARCHETYPES: tuple[str, ...] = get_args(Archetype)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """Where a fact came from."""

    source: Provenance = Field(description="stated (quote from the use case), scenario (the YAML), inferred (reason) or default (assumed).")
    quote: str | None = Field(default=None, description="For 'stated': the exact words of the use case that say it.")
    reason: str | None = Field(default=None, description="For 'inferred' and 'default': one line on why.")


def stated(quote: str) -> Evidence:
    """Evidence quoted from the use case."""
    return Evidence(source="stated", quote=quote)


def from_scenario(field: str) -> Evidence:
    """Evidence from a scenario YAML field."""
    return Evidence(source="scenario", reason=f"scenario field '{field}'")


def inferred(reason: str) -> Evidence:
    """Evidence read between the lines."""
    return Evidence(source="inferred", reason=reason)


def default(reason: str) -> Evidence:
    """Nothing said: an assumption."""
    return Evidence(source="default", reason=reason)


class Text(_Strict):
    """A named thing (a user group, a stakeholder, an input, a success criterion) with its evidence."""

    value: str
    evidence: Evidence


class Volume(_Strict):
    """How much work arrives: '1,200 complaints a day', '10x in admission season'."""

    what: str = Field(description="What is counted, in the use case's words: complaints, discharge summaries, questions.")
    quantity: float = Field(description="How many per period (for a peak: the multiplier or the peak quantity).")
    unit: str = Field(default="items", description="items, requests, documents, users, calls ...; 'x' for a peak multiplier.")
    per: Period | None = Field(default=None, description="The period; None for a stock (8,000 products) rather than a flow.")
    peak: bool = Field(default=False, description="True for a peak ('10x in admission season', '3,000 on Mondays').")
    evidence: Evidence


class Baseline(_Strict):
    """Today's figure for a metric, as stated: '40 minutes per summary', 'answers take 6 days'."""

    metric: str = Field(description="What is measured: time per summary, waiting time, first-contact resolution.")
    value: float
    unit: str = Field(description="minutes, hours, days, %, items ...")
    evidence: Evidence


class Money(_Strict):
    """An amount in a currency (ISO code: USD, EUR, KRW, GBP, JPY)."""

    amount: float
    currency: str


class Budget(_Strict):
    """The monthly budget for running the solution."""

    value: Money
    evidence: Evidence


class Hardware(_Strict):
    """Accelerators the organisation already has."""

    accelerator: str = Field(description="The GPU or accelerator model, e.g. 'NVIDIA A100 80GB', 'L4'.")
    count: int = Field(ge=1)
    memory_gb: float | None = Field(default=None, description="Memory per accelerator in GB.")
    evidence: Evidence


class Regulation(_Strict):
    """A law or regime the solution falls under."""

    name: str = Field(description="HIPAA, GDPR, 개인정보보호법, 의료법, PCI DSS, financial audit rules ...")
    evidence: Evidence


class ResidencyFact(_Strict):
    """Where the data may be processed."""

    value: Residency
    evidence: Evidence


class LanguagesFact(_Strict):
    """Languages the solution must serve (ISO 639-1 codes)."""

    value: list[str]
    evidence: Evidence
    no_history: list[str] = Field(
        default_factory=list,
        description="Languages the use case says are new to serve ('Chinese sheets are now also needed'): no past records exist in them to tune on.",
    )


class LatencyFact(_Strict):
    """Whether people wait for each answer (interactive) or work is processed in batches."""

    value: Latency
    evidence: Evidence


class SensitivityFact(_Strict):
    """How sensitive the data is, and whether it holds personal data."""

    value: Sensitivity
    personal_data: bool = False
    evidence: Evidence


class TaskShapeFact(_Strict):
    """What kind of work this is and whether a person waits for each output (batch vs interactive)."""

    archetype: Archetype = Field(description="record_drafting (one record in, one draft out), corpus_qa, assistant, classification, extraction ...")
    mode: Literal["batch", "interactive"] = Field(description="batch: work is queued and processed; interactive: a person waits for each answer.")
    input_step: Literal["ocr", "speech_to_text"] | None = Field(
        default=None, description="A step before the model: OCR for scanned, handwritten or photographed inputs; speech-to-text for recordings."
    )
    audience: Literal["customer_direct", "staff_approve", "staff_use"] = Field(
        default="staff_approve",
        description="Who receives the output: the end customer directly (with a hand-off to a person), staff who approve each output, or staff who use it.",
    )
    period: str | None = Field(default=None, description="For a digest (many records into one summary): the period read together ('night shift').")
    group: str | None = Field(default=None, description="For a digest: what one digest is kept per ('train').")
    cadence: str | None = Field(
        default=None, description="For a digest made on a schedule: how often, as written ('every 15 minutes', 'nightly', '15분마다'); sets requests a day."
    )
    on_demand: bool = Field(default=False, description="For a scheduled digest: summaries are also asked for on demand.")
    history_stated: bool = Field(
        default=False, description="The use case says past outputs are kept (an archive of letters); otherwise approved pairs are only an estimate 'if kept'."
    )
    update_frequency: str | None = Field(
        default=None, description="How often the data changes, as the prose states it (planning/refresh.py keys: year, half_year, quarter, month, week, day)."
    )
    update_quote: str | None = Field(default=None, description="The sentence that states the update frequency.")
    evidence: Evidence


class StatedPilot(_Strict):
    """The pilot the client itself plans ('pilot with the 40 card-team counsellors in Daejeon for 8 weeks, then roll out
    to all centres'): it replaces the default shadow-and-canary rollout (`planning/client_plan.py`).
    """

    group: str = Field(description="Who pilots, in the use case's words: 'card-team counsellors', '카드 상담팀'.")
    size: int | None = Field(default=None, description="How many people pilot, when stated.")
    duration: str | None = Field(default=None, description="How long, in the use case's words: '8 weeks', '8주'.")
    site: str | None = Field(default=None, description="Where, when stated: 'Daejeon', '대전센터'.")
    next_step: str | None = Field(default=None, description="What follows the pilot, in the use case's words: 'roll out to all centres'.")
    evidence: Evidence


class StatedRetention(_Strict):
    """How long the client says records are kept ('kept for 3 years', '5년간 보관'): no default retention contradicts it."""

    period: str = Field(description="The period in the use case's words: '3 years', '5년'.")
    covers: str | None = Field(default=None, description="What is kept, in the use case's words: 'every suggestion and its justification'.")
    evidence: Evidence


class SectorFact(_Strict):
    """The coarse sector (one of `SECTORS`).

    A sector the list lacks (pharmaceuticals, aviation) is 'general' with its `name` kept, never
    forced into the nearest listed one: the listed sectors carry defaults (a 12-hour clinical day,
    a higher quality weight) that would not fit.
    """

    value: Sector
    name: str | None = Field(default=None, description="For 'general': the sector the use case names that the list lacks ('pharmaceuticals').")
    evidence: Evidence


class HostingTerms(_Strict):
    """Terms every hosting route must meet (`planning/routes.py`): from the prose or `constraints.hosting`."""

    no_training: bool = Field(default=False, description="The provider must not train on the organisation's data.")
    no_retention: bool = Field(default=False, description="The provider must keep no prompts or outputs (zero retention).")
    private_endpoint: bool = Field(default=False, description="Cloud models only through a private endpoint, never the public internet.")
    data_stays_in: list[str] = Field(default_factory=list, description="Region codes processing must stay in: ISO 3166 country codes or EU.")
    no_provider_from: list[str] = Field(default_factory=list, description="Countries no model provider or route operator may come from.")
    via: list[str] = Field(
        default_factory=list,
        description="The only cloud routes allowed (routes.yaml `clouds` keys: azure, aws-bedrock, gcp-vertex); empty: any route that meets the terms.",
    )
    evidence: Evidence | None = None

    def any(self) -> bool:
        """Whether any term is set."""
        return bool(self.no_training or self.no_retention or self.private_endpoint or self.data_stays_in or self.no_provider_from or self.via)


class BriefConstraints(_Strict):
    """The hard constraints: each one shapes every document."""

    data_residency: ResidencyFact
    languages: LanguagesFact
    monthly_budget: Budget | None = None
    build_budget: Budget | None = Field(
        default=None, description="A one-off budget to build the solution ('initial build budget of KRW 15 million'): never a monthly running budget."
    )
    hardware: list[Hardware] = Field(default_factory=list)
    regulations: list[Regulation] = Field(default_factory=list)
    latency: LatencyFact
    hosting_terms: HostingTerms = Field(default_factory=HostingTerms)


class Brief(_Strict):
    """What the planner understood about the use case. Every later step reads it."""

    organisation: Text
    summary: str = Field(description="The use case in one sentence, in the run's language.")
    domain: str = Field(description="The business domain in a few words, e.g. 'hospital discharge documentation'.")
    sector: SectorFact
    task_types: list[TaskType] = Field(description="What the model does: summarisation, drafting, question_answering, ...")
    inputs: list[Text] = Field(description="What goes in: EMR notes, complaint emails, product catalogue ...")
    outputs: list[Text] = Field(description="What comes out: discharge summary drafts, routed complaints, answers ...")
    users: list[Text] = Field(description="Who uses it day to day.")
    stakeholders: list[Text] = Field(description="The scenario's stakeholders merged with those named in the prose.")
    volumes: list[Volume] = Field(default_factory=list)
    baselines: list[Baseline] = Field(default_factory=list)
    success_criteria: list[Text] = Field(default_factory=list, description="What the use case says success means.")
    data_sensitivity: SensitivityFact
    constraints: BriefConstraints
    conflicts: list[str] = Field(default_factory=list, description="Where the scenario YAML and the prose disagree (the YAML wins).")
    task_shape: TaskShapeFact | None = Field(default=None, description="The task archetype and batch/interactive mode (derived when absent).")
    pilot: StatedPilot | None = Field(default=None, description="The pilot the use case itself plans (group, size, duration, site, next step).")
    retention: StatedRetention | None = Field(default=None, description="How long the use case says records are kept, and what.")

    def view(self) -> dict[str, Any]:
        """The facts without their evidence: what agents' prompts carry (compact, stable order)."""
        c = self.constraints
        return {
            "organisation": self.organisation.value,
            "summary": self.summary,
            "domain": self.domain,
            "sector": self.sector.value,
            "task_types": list(self.task_types),
            "inputs": [t.value for t in self.inputs],
            "outputs": [t.value for t in self.outputs],
            "users": [t.value for t in self.users],
            "stakeholders": [t.value for t in self.stakeholders],
            "volumes": [v.model_dump(exclude={"evidence"}) for v in self.volumes],
            "baselines": [b.model_dump(exclude={"evidence"}) for b in self.baselines],
            "success_criteria": [t.value for t in self.success_criteria],
            "data_sensitivity": {"value": self.data_sensitivity.value, "personal_data": self.data_sensitivity.personal_data},
            "constraints": {
                "data_residency": c.data_residency.value,
                "languages": c.languages.value,
                "monthly_budget": c.monthly_budget.value.model_dump() if c.monthly_budget else None,
                "build_budget": c.build_budget.value.model_dump() if c.build_budget else None,
                "hardware": [h.model_dump(exclude={"evidence"}) for h in c.hardware],
                "regulations": [r.name for r in c.regulations],
                "latency": c.latency.value,
            },
            "task_shape": {"archetype": self.task_shape.archetype, "mode": self.task_shape.mode} if self.task_shape else None,
            # The client's own plan, only where stated (keeps the prompt of every other brief byte-identical).
            **({"pilot": self.pilot.model_dump(exclude={"evidence"})} if self.pilot else {}),
            **({"retention": self.retention.model_dump(exclude={"evidence"})} if self.retention else {}),
        }

    def view_json(self) -> str:
        """`view()` as compact JSON with sorted keys, so equal briefs give byte-identical prompts."""
        return json.dumps(self.view(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def assumed(self) -> list[str]:
        """The facts that rest on a default, as 'field: reason' lines (what the run assumed)."""
        out = []
        for name, evidence in self.evidence_items():
            if evidence.source == "default":
                out.append(f"{name}: {evidence.reason or 'assumed'}")
        return out

    def evidence_items(self) -> list[tuple[str, Evidence]]:
        """Every (field path, evidence) pair, in a stable order."""
        c = self.constraints
        items: list[tuple[str, Evidence]] = [
            ("organisation", self.organisation.evidence),
            ("sector", self.sector.evidence),
            ("data_sensitivity", self.data_sensitivity.evidence),
            ("constraints.data_residency", c.data_residency.evidence),
            ("constraints.languages", c.languages.evidence),
            ("constraints.latency", c.latency.evidence),
        ]
        if c.monthly_budget:
            items.append(("constraints.monthly_budget", c.monthly_budget.evidence))
        items += [(f"constraints.hardware[{i}]", h.evidence) for i, h in enumerate(c.hardware)]
        items += [(f"constraints.regulations[{i}]", r.evidence) for i, r in enumerate(c.regulations)]
        for name in ("inputs", "outputs", "users", "stakeholders", "success_criteria"):
            items += [(f"{name}[{i}]", t.evidence) for i, t in enumerate(getattr(self, name))]
        items += [(f"volumes[{i}]", v.evidence) for i, v in enumerate(self.volumes)]
        items += [(f"baselines[{i}]", b.evidence) for i, b in enumerate(self.baselines)]
        if self.task_shape:
            items.append(("task_shape", self.task_shape.evidence))
        if self.pilot:
            items.append(("pilot", self.pilot.evidence))
        if self.retention:
            items.append(("retention", self.retention.evidence))
        return items

    def hard_constraints(self) -> list[tuple[str, str, Evidence]]:
        """(name, value in words, evidence) for each hard constraint that is set: the 'Understood:' block."""
        c = self.constraints
        out: list[tuple[str, str, Evidence]] = [("data residency", c.data_residency.value, c.data_residency.evidence)]
        if c.languages.value:
            out.append(("languages", ", ".join(c.languages.value), c.languages.evidence))
        if c.monthly_budget:
            m = c.monthly_budget.value
            out.append(("monthly budget", f"{m.amount:,.0f} {m.currency}", c.monthly_budget.evidence))
        for h in c.hardware:
            memory = f" ({h.memory_gb:g} GB)" if h.memory_gb else ""
            out.append(("hardware", f"{h.count} x {h.accelerator}{memory}", h.evidence))
        for r in c.regulations:
            out.append(("regulation", r.name, r.evidence))
        if c.latency.value != "unspecified":
            out.append(("latency", c.latency.value, c.latency.evidence))
        return out
