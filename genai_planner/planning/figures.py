"""The planning figures: deterministic numbers every engine and every check share.

`compute_figures(brief, catalog)` (in `genai_planner.planning.compute`) turns the brief and
the model catalog into the figures below. They are computed once per run, stored in the
run's memory namespace, rendered into every writer prompt as a `<figures>` block, cited as
a source, and verified by the checks (`rubric_arithmetic`, `figures_match`,
`gates_respected`). No engine chooses a weight, a score or a cost: it writes these.

Every figure says how it was obtained: `assumptions` lists each assumption with its value
and why, so a reader can redo the arithmetic.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

CATEGORIES = ("quality", "cost", "latency", "privacy", "language", "licence")
"""Rubric category keys, in table order. Names per language live in `data/rubric.yaml`."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Assumption(_Strict):
    """One assumption behind the figures (tokens per item, days per month, GPU price ...)."""

    name: str
    value: str = Field(description="The value with its unit, e.g. '3,000 tokens', '30 days', '2.0 USD per GPU-hour'.")
    reason: str = Field(description="Why this value; a source id or reference where there is one.")


class Gate(_Strict):
    """One catalog model against the hard constraints."""

    model: str = Field(description="The catalog display name.")
    passed: bool
    reasons: list[str] = Field(default_factory=list, description="Why it is excluded (empty when it passes).")


class Weight(_Strict):
    """One rubric category's weight, derived from the brief."""

    category: str = Field(description="A key of CATEGORIES.")
    weight: int = Field(ge=0, le=100)
    reason: str = Field(description="One line: what in the brief sets this weight.")


class Score(_Strict):
    """One candidate scored on every category, with the weighted total."""

    model: str
    provider: str
    scores: dict[str, int] = Field(description="Category key -> 1..5.")
    reasons: dict[str, str] = Field(default_factory=dict, description="Category key -> the fact the score comes from.")
    total: float = Field(description="sum(score x weight) / 100, rounded to 2 decimals.")


class Cost(_Strict):
    """What one candidate costs per month at the brief's volume."""

    model: str
    monthly_input_tokens: int
    monthly_output_tokens: int
    api_usd: float | None = Field(default=None, description="Monthly API cost in USD from catalog prices; None for self-hosted only.")
    self_host_usd: float | None = Field(default=None, description="Monthly self-hosting estimate in USD (GPU rental); None for API-only.")
    monthly_usd: float = Field(description="The figure compared with the budget: API cost, or self-hosting where that is the option.")
    within_budget: bool | None = Field(default=None, description="None when the brief has no budget.")
    hosting: str = Field(default="api", description="Which option `monthly_usd` is: 'api', 'self_hosted' (rented GPUs) or 'owned' (the organisation's GPUs).")
    parts: dict[str, float] = Field(
        default_factory=dict,
        description="What `monthly_usd` is made of, in USD: api, rental, hardware (amortised purchase), power, operations; the parts add up to it.",
    )
    gpus: int = Field(default=0, description="GPUs the self-hosting option runs (replicas x GPUs per replica); 0 for the API.")
    budget_currency: str | None = Field(default=None, description="The budget's currency, when the brief has a budget.")
    monthly_in_budget_currency: float | None = Field(
        default=None, description="`monthly_usd` in the budget's currency (fx.yaml), the amount the verdict compares."
    )


class GpuFit(_Strict):
    """Whether an open-weight candidate fits on GPUs, at one precision."""

    model: str
    precision: str = Field(description="BF16, FP8 or INT4.")
    weights_gb: float
    kv_cache_gb: float = Field(description="KV cache for `context_tokens` x `concurrency`.")
    total_gb: float
    gpu: str = Field(description="The GPU sized against: the organisation's own, or the reference GPU.")
    gpu_memory_gb: float
    gpus_needed: int = Field(description="GPUs for one replica (the tensor-parallel degree).")
    replicas: int = Field(description="Replicas the plan runs: the most of availability, throughput and concurrency need.")
    fits_owned: bool | None = Field(default=None, description="Fits the organisation's stated hardware; None when none is stated.")
    chosen: bool = Field(default=False, description="The sizing the plan and the self-hosting estimate use (one per model).")
    overhead_gb: float = Field(default=0.0, description="Activations, CUDA graphs and runtime buffers; weights + KV cache + overhead = total.")
    utilisation: float = Field(default=0.0, description="total_gb / (gpus_needed x gpu_memory_gb); a plan stays at or below the headroom (0.85).")
    sequences: int = Field(default=1, description="Requests in flight one replica's KV cache is sized for (continuous batching).")
    max_sequences: int = Field(default=1, description="Requests at the full context the memory under the headroom holds per replica.")
    replicas_for: dict[str, int] = Field(default_factory=dict, description="Replicas each need asks for: availability, throughput, concurrency.")
    quality_penalty: int = Field(default=0, description="Quality points the precision costs (INT4), subtracted from the quality score.")
    note: str = Field(default="", description="Whether the client can run this row and why, in the run's language: the plan, fits, or does not fit.")


class Colocated(_Strict):
    """Another model or job the plan runs besides the serving replicas, and where its memory comes from."""

    role: str = Field(description="'fallback', 'rollback', 'judge' or 'fine_tuning'.")
    model: str
    memory_gb: float = Field(description="Memory it needs while it runs (0 when it needs no GPU of the plan).")
    gpus: int = Field(description="GPUs it occupies while it runs (0 for an API).")
    mode: str = Field(
        description="'resident' (its own GPUs, always loaded), 'time_shared' (takes GPUs of the plan for a window), 'api', 'rented', 'disk' "
        "or 'none' (no fallback can stand by)."
    )
    reason: str = Field(description="Why this mode and what it costs the serving plan, in the run's language.")


class FineTuning(_Strict):
    """Memory for one fine-tuning job of the recommended model, computed on its own (not copied from serving)."""

    model: str
    method: str = Field(description="'LoRA' (16-bit base) or 'QLoRA' (4-bit base).")
    sequence_tokens: int
    weights_gb: float
    adapters_gb: float = Field(description="Trainable adapter weights with gradients and Adam state.")
    activations_gb: float
    overhead_gb: float
    total_gb: float = Field(description="weights + adapters + activations + overhead.")
    gpu: str
    gpus: int


class BuildItem(_Strict):
    """One line of the one-off build estimate (`planning/build.py`)."""

    name: str = Field(
        description="'labelling', 'translation', 'fine_tuning_compute', 'integration', 'evaluation', 'privacy_assessment', 'training' or 'contingency'."
    )
    hours: float = Field(description="People hours, or GPU-hours for fine-tuning compute.")
    usd: float
    rate_usd: float = Field(description="The hourly rate it is priced at (a person's hour, or a GPU-hour).")
    basis: str = Field(description="How it is computed, with its assumptions, in the run's language.")


class BuildEstimate(_Strict):
    """The one-off build cost against a stated one-off build budget, in the budget's currency."""

    items: list[BuildItem]
    total_usd: float
    currency: str
    total_local: float | None = Field(description="The total in the budget's currency (None when the currency is not in the rate table).")
    budget_local: float
    within: bool | None
    verdict: str


class Capacity(_Strict):
    """The load the deployment must carry."""

    items_per_month: float
    peak_multiplier: float
    peak_requests_per_hour: float = Field(description="Unrounded to whole numbers: a light load stays fractional, never 0.")
    concurrency: int = Field(description="Requests in flight at the peak (peak rate x time per request).")
    context_tokens: int = Field(description="Context a request needs (prompt + retrieved text + answer).")
    items_per_day: float = Field(default=0.0, description="Items on an active day (items per month / days).")
    peak_items_per_hour: float = Field(default=0.0, description="Items in the busiest hour; never more than a day's items.")
    estimate: bool = Field(default=False, description="The volume is inferred or assumed, not stated: documents say 'estimate'.")
    prefill_tokens_per_s: float = Field(default=0.0, description="Prompt tokens per second at the peak.")
    decode_tokens_per_s: float = Field(default=0.0, description="Output tokens per second at the peak.")
    availability: str = Field(default="single", description="'failover' (at least two replicas) or 'single' (one replica, a stated single point of failure).")
    availability_reason: str = Field(default="", description="Why, and for 'single' the recovery procedure, in the run's language.")
    batch_items: int = Field(default=0, description="A batch's busiest night: the busiest day's items x the stated seasonal uplift (0 when interactive).")
    batch_requests: int = Field(default=0, description="Model requests in that batch (items x requests per item).")
    batch_minutes: float = Field(default=0.0, description="Minutes that batch runs on the recommended self-hosted plan (0 when interactive or on an API).")
    season_uplift: float = Field(default=0.0, description="A stated seasonal share as a factor ('+30% in the autumn': 1.3); 0 when none is stated.")
    cadence: str = Field(
        default="", description="For a digest made on a cadence: how the record volume becomes summaries ('read as 120 summaries a day ...')."
    )


class Target(_Strict):
    """One key metric: today's baseline and the target. Documents 1 and 4 carry the same set."""

    metric: str = Field(description="The metric's name in the run's language; documents quote it exactly.")
    kind: str = Field(description="'technical' or 'business'.")
    definition: str = Field(description="What it measures, in one line, in the run's language.")
    baseline: str = Field(description="Today's value with unit from the brief, or 'to be measured in the pilot'.")
    target: str = Field(description="The target value with unit.")
    source: str = Field(description="'brief' when the baseline is stated, 'pilot' when it must be measured.")
    rule: str = Field(default="", description="How the target was set, in the run's language ('-50% against the baseline').")
    direction: str = Field(default="", description="reduce, increase, no_increase, zero, at_least or at_most: which way the metric must move.")
    origin: str = Field(default="default", description="'client' (a stated success criterion), 'baseline' (a stated baseline) or 'default'.")
    measured: str = Field(default="test_set", description="'test_set' (scored automatically) or 'pilot' (needs real users: pilot and production only).")
    release_gate: bool = Field(default=False, description="A safety criterion: a release is blocked when it fails, whatever the other metrics say.")
    quote: str = Field(default="", description="A client criterion's own words, quoted: the shortest definition, for a document over its word limit.")


class TaskShape(_Strict):
    """The kind of work and the design that follows it: retrieval, caching and waiting."""

    archetype: str = Field(
        description="record_drafting, corpus_qa, assistant, classification, extraction, text_to_sql, translation, code, conversation_summary or digest."
    )
    archetype_name: str = Field(description="The archetype in the run's language.")
    mode: str = Field(description="'batch' or 'interactive'.")
    single_item: bool = Field(description="One record or item in per output (no passage search, no recall@k).")
    retrieval: str = Field(description="What the model is given per request, in the run's language.")
    caching: str
    waiting: str = Field(description="What happens when work arrives faster than it is processed.")
    reason: str
    input_step: str | None = Field(default=None, description="'ocr' or 'speech_to_text' when the inputs need it before the model (its words lead `retrieval`).")
    refresh_index: str = Field(default="", description="How often the search index is rebuilt, in the run language: the stated rhythm, else a default.")
    refresh_examples: str = Field(default="", description="How often the approved examples are refreshed, in the run's language.")
    refresh_reason: str = Field(default="", description="Why: the stated update frequency with its quote, or that the cadence is a default.")


class Evaluation(_Strict):
    """Evaluation statistics: the test-set size from the margin, the zero-failure gate, paired tests, agreement, the judge."""

    test_set_size: int
    margin_points: float = Field(description="The 95% margin on a rate at this size, in points (1.96 x sqrt(p(1-p)/n) at the expected rate p).")
    margin_wanted: float
    expected_rate_pct: float = Field(default=50.0, description="The rate the size is computed around: the test-set target nearest 50% (else 50%).")
    size_reason: str
    margin_text: str
    gate_window: int = Field(description="Consecutive reviewed outputs with no critical error (rule of three: bound 3/n).")
    gate_bound_pct: float
    gate_text: str
    regression_text: str
    agreement_text: str
    judge: str | None
    judge_at_least_as_strong: bool
    judge_text: str
    automated: list[str] = Field(description="Metrics scored automatically on the test set.")
    pilot_only: list[str] = Field(description="Metrics measured only in the pilot and in production.")
    rare_class_positives: int | None = Field(
        default=None, description="Confirmed positives an enriched sample needs for a recall target on a rare class (planning/rare_class.py)."
    )
    rare_class_text: str = Field(default="", description="Why the random test set cannot measure that recall, and the enriched sample that does.")


class Rollout(_Strict):
    """Rollout stages sized to the number of users."""

    users: int | None = Field(description="People who will use the tool, when the use case says.")
    first_stage_people: int | None
    rule: str = Field(description="'small_team' (one named group), 'canary' (a percentage with a minimum), 'stated_pilot' (the client's own) or 'unknown'.")
    stages: list[str]
    not_users: list[str] = Field(
        default_factory=list, description="Head-counts in the use case that are not the assistant's users (other staff, reviewers): not the rollout population."
    )


class HostingRoute(_Strict):
    """How a scored model is reached, and the terms it is reached under (`planning/routes.py`)."""

    model: str
    route: str = Field(description="The route's name, e.g. 'Azure OpenAI (private endpoint)', 'Self-hosted open weights'.")
    kind: str = Field(description="vendor_api, cloud_private or self_hosted.")
    terms: str = Field(description="One sentence: the route's training, retention, networking and region facts with their sources and date.")


class Figures(_Strict):
    """Everything computed for one run."""

    gates: list[Gate]
    weights: list[Weight]
    key_factors: list[str] = Field(description="The categories with the highest weights (the 'key for this use case' factors).")
    scores: list[Score] = Field(description="Candidates that pass every gate, best total first.")
    recommended: str | None = Field(description="The top total; None when no candidate passes.")
    runner_up: str | None = Field(description="The second total; None when fewer than two pass.")
    tie_break: str = Field(default="", description="When the top two totals tie: the tie and the rule that put one first (planning/tiebreak.py).")
    shortfall: str | None = Field(default=None, description="Why fewer than two candidates pass, when they do not.")
    costs: list[Cost]
    gpu_fit: list[GpuFit] = Field(default_factory=list)
    capacity: Capacity
    targets: list[Target]
    assumptions: list[Assumption]
    task_shape: TaskShape | None = None
    evaluation: Evaluation | None = None
    rollout: Rollout | None = None
    colocated: list[Colocated] = Field(default_factory=list, description="Other models and jobs on the recommended model's hardware: budgeted or time-shared.")
    fine_tuning: FineTuning | None = Field(default=None, description="LoRA/QLoRA memory for the recommended model when it is self-hosted.")
    build: BuildEstimate | None = Field(default=None, description="One-off build costs against the stated one-off build budget.")
    history_languages: list[str] = Field(default_factory=list, description="Languages the client has past records in: fine-tuning pairs come from these only.")
    new_languages: list[str] = Field(
        default_factory=list, description="Languages the assistant must serve with no past records: their pairs are translated and checked, or tuning waits."
    )
    routes: list[HostingRoute] = Field(default_factory=list, description="The route each scored model is planned on, with its cited terms.")
    hosting_terms: str = Field(default="", description="The brief's hosting terms in words (empty when none).")
    sources_dated: str = Field(default="", description="Where prices, catalog facts and exchange rates come from, and as of when.")

    def route_of(self, model: str) -> HostingRoute | None:
        """The hosting route of a scored model, or None."""
        return next((r for r in self.routes if r.model == model), None)

    def summary(self) -> str:
        """The figures as a citable source text: one line per fact, numbers with units."""
        lines = [
            "Weights: " + ", ".join(f"{w.category} {w.weight}%" for w in self.weights) + ".",
            f"Key factors: {', '.join(self.key_factors)}.",
            f"Passed every gate: {len(self.scores)} models; excluded: {len(self.excluded())}.",
        ]
        lines += [f"Weighted score {s.model}: {s.total:.2f}." for s in self.scores[:4]]
        lines.append(f"Recommended: {self.recommended or '-'}; runner-up: {self.runner_up or '-'}.")
        if self.shortfall:
            lines.append(f"Shortfall: {self.shortfall}")
        for c in self.costs[:4]:
            if c.hosting == "api":
                lines.append(f"Monthly cost {c.model}: USD {c.monthly_usd:,.2f} ({c.monthly_input_tokens:,} input, {c.monthly_output_tokens:,} output tokens).")
            else:  # GPUs cost by the month, not by the token: say what the month is made of
                parts = " + ".join(f"{k} USD {v:,.2f}" for k, v in c.parts.items()) if c.parts else c.hosting
                lines.append(f"Monthly cost {c.model}: USD {c.monthly_usd:,.2f} ({c.hosting} GPUs: {parts}).")
        for g in self.gpu_fit[:3]:
            lines.append(
                f"GPU fit {g.model} at {g.precision}: {g.gpus_needed} x {g.gpu} per replica ({g.total_gb:g} GB = {g.weights_gb:g} weights + "
                f"{g.kv_cache_gb:g} KV cache + {g.overhead_gb:g} overhead, {g.utilisation:.0%} of memory), replicas: {g.replicas}"
                + (f"; {g.note}." if g.note else ".")
            )
        cap = self.capacity
        lines.append(
            f"Load: {cap.items_per_month:,.0f} items/month, {cap.items_per_day:,.3g} a day, peak {cap.peak_requests_per_hour:,.3g} requests/hour, "
            f"{cap.concurrency} concurrent; availability: {cap.availability}."
        )
        for c in self.colocated:
            lines.append(f"Co-located {c.role} {c.model}: {c.mode}, {c.memory_gb:g} GB, GPUs: {c.gpus}.")
        if self.fine_tuning:
            ft = self.fine_tuning
            lines.append(f"Fine-tuning {ft.model} ({ft.method}, {ft.sequence_tokens} tokens): {ft.total_gb:g} GB on {ft.gpus} x {ft.gpu}.")
        lines += [
            f"Target {t.metric}: baseline {t.baseline}, target {t.target} ({t.direction or '-'}; source {t.origin}; measured {t.measured}"
            + ("; release gate" if t.release_gate else "")
            + ")."
            for t in self.targets
        ]
        if self.task_shape:
            ts = self.task_shape
            lines.append(f"Task shape: {ts.archetype_name} ({ts.mode}). Retrieval: {ts.retrieval}. Caching: {ts.caching}.")
            if ts.refresh_reason:
                lines.append(f"Refresh: index {ts.refresh_index}, examples {ts.refresh_examples} ({ts.refresh_reason}).")
        if self.evaluation:
            ev = self.evaluation
            lines.append(f"Test set: {ev.test_set_size:,} items, {ev.margin_text} ({ev.size_reason}).")
            lines.append(f"Zero-failure gate: {ev.gate_text}. Judge: {ev.judge_text}.")
            if ev.rare_class_text:
                lines.append(f"Rare class: {ev.rare_class_text}.")
        if self.build:
            lines.append(f"Build estimate: {self.build.verdict}.")
        if self.new_languages:
            lines.append(
                f"Fine-tuning languages: pairs from past records in {', '.join(self.history_languages)} only; "
                f"{', '.join(self.new_languages)} have no history (pairs translated by bilingual staff and checked, or tuning waits)."
            )
        if self.rollout:
            lines.append("Rollout: " + "; ".join(self.rollout.stages) + ".")
            if self.rollout.not_users:
                lines.append(f"Rollout population: the {self.rollout.users:,} users of the assistant only; not counted: {', '.join(self.rollout.not_users)}.")
        lines += [f"Assumption {a.name}: {a.value} ({a.reason})." for a in self.assumptions]
        return "\n".join(lines)

    def excluded(self) -> list[Gate]:
        """The models that fail a gate."""
        return [g for g in self.gates if not g.passed]

    def weight_of(self, category: str) -> int:
        """The weight of one category (0 when absent)."""
        return next((w.weight for w in self.weights if w.category == category), 0)

    def cost_of(self, model: str) -> Cost | None:
        """The cost row of one model."""
        return next((c for c in self.costs if c.model == model), None)
