"""The brief from the use case: a deterministic extractor (English and Korean) and the reconciliation
of a brief a real model proposed.

- `extract_brief(scenario, language)` reads the prose (`prose`, `quantities`, `terms`) and the
  scenario YAML. Every fact carries its evidence; YAML `constraints:` always win, and each
  disagreement with the prose is one readable line in `brief.conflicts`.
- `reconcile_brief(proposed, scenario, language)` holds a model's brief to the same rules: the
  YAML wins, a 'stated' fact whose quote is not in the use case becomes 'inferred', and what is
  missing or invalid comes from `extract_brief`.
- `brief_constraints_dict(brief)` is the legacy constraint dict the catalog filter and older
  checks read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from genai_planner.core import regex_cache
from genai_planner.core.languages import name as language_name
from genai_planner.planning.archetype import order_tasks, read_archetype
from genai_planner.planning.audience import read_audience
from genai_planner.planning.brief import (
    Brief,
    BriefConstraints,
    Budget,
    Evidence,
    Hardware,
    LanguagesFact,
    LatencyFact,
    Money,
    Regulation,
    ResidencyFact,
    SectorFact,
    TaskShapeFact,
    Text,
    default,
    from_scenario,
    inferred,
)
from genai_planner.planning.cadence import read_cadence
from genai_planner.planning.client_plan import read_pilot, read_retention
from genai_planner.planning.io_phrases import as_kinds, settle_inputs, settle_outputs
from genai_planner.planning.lexicon import lexicon, rx
from genai_planner.planning.people import barred_groups, counted_workers, is_barred, named_office_holders
from genai_planner.planning.phrases import keep_phrases, keep_things, trimmed_phrase
from genai_planner.planning.prose import Prose
from genai_planner.planning.quantities import read_quantities
from genai_planner.planning.routes import guard_sensitive_data, merge_terms, read_hosting_terms, settle_residency
from genai_planner.planning.shape import task_shape_fact
from genai_planner.planning.terms import (
    normalise_name,
    read_io,
    read_languages,
    read_latency,
    read_organisation,
    read_people,
    read_regulations,
    read_residency,
    read_sector,
    read_sensitivity,
    read_success,
    read_tasks,
)

__all__ = ["brief_constraints_dict", "extract_brief", "reconcile_brief", "to_usd", "written_constraints"]

_LANGUAGE_NAMES = {"en": ("English", "영어"), "ko": ("Korean", "한국어")}


def _t(language: str, en: str, ko: str) -> str:
    return ko if language == "ko" else en


def _word(language: str, table: str, code: str) -> str:
    """A code's word in the brief's language (`text.yaml`: residency, latency, languages, tasks, scenario_fields); the code when unknown."""
    return str(lexicon("text")["ko" if language == "ko" else "en"][table].get(code, code))


def _words(language: str, table: str, codes: list[str]) -> str:
    return ", ".join(_word(language, table, c) for c in codes)


def _as_dict(scenario: Any) -> dict[str, Any]:
    if isinstance(scenario, BaseModel):
        return scenario.model_dump()
    return dict(scenario or {})


def _constraints(scenario: dict[str, Any]) -> dict[str, Any]:
    return written_constraints(scenario)


def written_constraints(scenario: dict[str, Any] | BaseModel) -> dict[str, Any]:
    """The scenario's `constraints:` the user actually wrote: a field left at its default is no statement.

    A validated `Scenario` fills every field (`on_premises: false`, `languages: []`, nulls); shown to
    a model or compared with the prose, such a default would read as the user's word and 'win'
    over prose that says the data must never leave the data centre. Dropped: None, False and
    empty values (`on_premises: false` says nothing; `regulations: []` is kept, since it says
    none apply and only a user writes it).
    """
    sc = _as_dict(scenario)
    raw = sc.get("constraints") or {}
    data = raw.model_dump() if isinstance(raw, BaseModel) else dict(raw)
    return {k: v for k, v in data.items() if v is not None and v is not False and (v != [] or k == "regulations") and v != ""}


# ------------------------------------------------------------------------ money
def to_usd(money: Money) -> float | None:
    """The amount in USD at the one exchange-rate table, `data/fx.yaml` (None for an unknown currency)."""
    rate = lexicon("fx")["per_usd"].get(money.currency.upper())
    return round(money.amount / float(rate), 2) if rate is not None else None


def _same_money(a: Money, b: Money) -> bool:
    if a.currency.upper() == b.currency.upper():
        return abs(a.amount - b.amount) <= 0.01 * max(a.amount, b.amount)
    ua, ub = to_usd(a), to_usd(b)
    return ua is not None and ub is not None and abs(ua - ub) <= 0.05 * max(ua, ub)


# --------------------------------------------------------------------- hardware
def canonical_accelerator(name: str) -> tuple[str, float | None]:
    """The table's name and default memory for an accelerator written any way ('a100', 'NVIDIA A100 80GB')."""
    low = name.lower()
    for acc in lexicon("accelerators")["accelerators"]:
        if rx(r"(?<![a-z0-9])(?:nvidia\s+|amd\s+|intel\s+)?(?:" + acc["pattern"] + r")s?(?![a-z0-9])").search(low):
            return acc["name"], float(acc["memory_gb"])
    return name.strip(), None


def _hardware_key(hw: list[Hardware]) -> list[tuple[str, int]]:
    return sorted((canonical_accelerator(h.accelerator)[0], h.count) for h in hw)


# ---------------------------------------------------------------- YAML wins
def _conflict(language: str, what: str, yaml_value: str, field: str, prose_value: str, evidence: Evidence) -> str:
    said = f" ('{evidence.quote}')" if evidence.quote else ""
    return _t(
        language,
        f"{what}: the scenario says {yaml_value} ({field}), the use case says {prose_value}{said}; using the scenario",
        f"{what}: 시나리오는 {yaml_value}({_word(language, 'scenario_fields', field)}), 사용 사례는 {prose_value}{said}; 시나리오를 따름",
    )


def _merge_constraints(c: BriefConstraints, yaml: dict[str, Any], language: str) -> tuple[BriefConstraints, list[str]]:
    """The constraints with the scenario's YAML applied over them, and one line per disagreement."""
    conflicts: list[str] = []
    residency = c.data_residency
    yaml_residency, field = yaml.get("data_residency"), "constraints.data_residency"
    if not yaml_residency and yaml.get("on_premises"):
        yaml_residency, field = "on_premises", "constraints.on_premises"
    if yaml_residency:
        # Any other value disagrees, whatever its evidence says: a model's reply may keep the draft's 'scenario' label and change the value.
        if residency.value not in ("unspecified", yaml_residency):
            conflicts.append(
                _conflict(
                    language,
                    _t(language, "data residency", "데이터 위치"),
                    _word(language, "residency", yaml_residency),
                    field,
                    _word(language, "residency", residency.value),
                    residency.evidence,
                )
            )
        residency = ResidencyFact(value=yaml_residency, evidence=from_scenario(field))

    languages = c.languages
    yaml_languages = [str(x).strip().lower() for x in (yaml.get("languages") or []) if str(x).strip()]
    if yaml_languages:
        extra = [x for x in languages.value if x not in yaml_languages]
        if extra and languages.evidence.source == "stated":
            conflicts.append(
                _conflict(
                    language,
                    _t(language, "languages", "언어"),
                    _words(language, "languages", yaml_languages),
                    "constraints.languages",
                    _words(language, "languages", languages.value),
                    languages.evidence,
                )
            )
        languages = LanguagesFact(
            value=yaml_languages, evidence=from_scenario("constraints.languages"), no_history=[x for x in languages.no_history if x in yaml_languages]
        )

    budget = c.monthly_budget
    yaml_money, field = None, ""
    if isinstance(yaml.get("monthly_budget"), dict) and yaml["monthly_budget"].get("amount"):
        yaml_money = Money(amount=float(yaml["monthly_budget"]["amount"]), currency=str(yaml["monthly_budget"].get("currency") or "USD").upper())
        field = "constraints.monthly_budget"
    elif yaml.get("monthly_budget_usd"):
        yaml_money, field = Money(amount=float(yaml["monthly_budget_usd"]), currency="USD"), "constraints.monthly_budget_usd"
    if yaml_money:
        if budget and not _same_money(budget.value, yaml_money):
            conflicts.append(
                _conflict(
                    language,
                    _t(language, "monthly budget", "월 예산"),
                    f"{yaml_money.amount:,.0f} {yaml_money.currency}",
                    field,
                    f"{budget.value.amount:,.0f} {budget.value.currency}",
                    budget.evidence,
                )
            )
        budget = Budget(value=yaml_money, evidence=from_scenario(field))

    hardware = list(c.hardware)
    if yaml.get("hardware"):
        yaml_hw = []
        for item in yaml["hardware"]:
            item = item.model_dump() if isinstance(item, BaseModel) else dict(item)
            name, memory = canonical_accelerator(str(item.get("accelerator", "")))
            yaml_hw.append(
                Hardware(
                    accelerator=name,
                    count=int(item.get("count") or 1),
                    memory_gb=item.get("memory_gb") or memory,
                    evidence=from_scenario("constraints.hardware"),
                )
            )
        prose_hw = [h for h in hardware if h.evidence.source != "scenario"]
        if prose_hw and _hardware_key(prose_hw) != _hardware_key(yaml_hw):
            said = "; ".join(f"{h.count} x {h.accelerator}" for h in prose_hw)
            conflicts.append(
                _conflict(
                    language,
                    _t(language, "hardware", "보유 장비"),
                    "; ".join(f"{h.count} x {h.accelerator}" for h in yaml_hw),
                    "constraints.hardware",
                    said,
                    prose_hw[0].evidence,
                )
            )
        hardware = yaml_hw

    regulations = list(c.regulations)
    if yaml.get("regulations"):
        named = [
            Regulation(name=canonical_regulation(str(r)), evidence=from_scenario("constraints.regulations")) for r in yaml["regulations"] if str(r).strip()
        ]
        names = {r.name for r in named}
        regulations = named + [r for r in regulations if r.evidence.source == "stated" and r.name not in names]

    latency = c.latency
    if yaml.get("latency"):
        if latency.evidence.source == "stated" and latency.value not in ("unspecified", yaml["latency"]):
            stated_yaml, said = _word(language, "latency", yaml["latency"]), _word(language, "latency", latency.value)
            conflicts.append(_conflict(language, _t(language, "latency", "응답 방식"), stated_yaml, "constraints.latency", said, latency.evidence))
        latency = LatencyFact(value=yaml["latency"], evidence=from_scenario("constraints.latency"))

    merged = BriefConstraints(
        data_residency=residency,
        languages=languages,
        monthly_budget=budget,
        build_budget=c.build_budget,
        hardware=hardware,
        regulations=regulations,
        latency=latency,
        hosting_terms=merge_terms(c.hosting_terms, yaml.get("hosting")),
    )
    return merged, conflicts


def canonical_regulation(name: str) -> str:
    """The table's name for a law written any way ('PIPA', 'pci-dss', 'Korea's Personal Information Protection Act')."""
    low = name.lower()
    for law in lexicon("regulations")["laws"]:
        if any(rx(p).search(low) for p in law["patterns"]):
            return law["name"]
    return name.strip()


def _merge_people(stakeholders: list[Text], users: list[Text], scenario: dict[str, Any]) -> list[Text]:
    out: list[Text] = []
    seen: set[str] = set()
    for name in scenario.get("stakeholders") or []:
        key = normalise_name(str(name))
        if str(name).strip() and key not in seen:
            seen.add(key)
            out.append(Text(value=str(name).strip(), evidence=from_scenario("stakeholders")))
    for t in [*stakeholders, *users]:
        key = normalise_name(t.value)
        if key not in seen and not any(key in s or s in key for s in seen if len(s) > 3 and len(key) > 3 and (key.endswith(s) or s.endswith(key))):
            seen.add(key)
            out.append(t)
    return out


# --------------------------------------------------------------------- extract
_BRIEFS: dict[str, Brief] = {}
"""Briefs already read in this process, by scenario and language: a run reads its brief twice
(the planner's draft, then `reconcile_brief`'s base), and reading it is a fifth of a run's CPU."""


def extract_brief(scenario: dict[str, Any] | BaseModel, language: str) -> Brief:
    """The brief a careful reader takes from the use case and the scenario YAML (deterministic, no model).

    Each caller gets its own copy; the reading itself is done once per scenario and language.

    Args:
        scenario: The scenario as a dict (or a `Scenario`): `use_case`, and optionally
            `organisation`, `stakeholders`, `constraints`, `name`. Absent or null fields are fine.
        language: The run language (en | ko): the language of summaries and reasons only; the
            languages to serve come from the scenario's `language`, its YAML and the prose.

    Returns:
        A valid `Brief`; facts the prose does not give rest on `default` evidence.
    """
    sc = _as_dict(scenario)
    key = json.dumps([sc, language], sort_keys=True, default=str, ensure_ascii=False)
    brief = _BRIEFS.get(key)
    if brief is None:
        if len(_BRIEFS) >= 64:  # a batch or a long test session: keep the memory bounded
            _BRIEFS.clear()
        brief = _BRIEFS[key] = _read_brief(sc, language)
    return brief.model_copy(deep=True)


def _read_brief(sc: dict[str, Any], language: str) -> Brief:
    lang = "ko" if language == "ko" else "en"
    p = Prose(str(sc.get("use_case") or ""))
    yaml = _constraints(sc)
    q = read_quantities(p, lang)

    organisation = _organisation(sc, p)
    sector = read_sector(p, f"{organisation.value if organisation else ''} {sc.get('name') or ''}", lang)
    if sector is None:
        sector = SectorFact(value="general", evidence=default(_t(lang, "no sector keywords in the use case", "사용 사례에 분야를 알려 주는 단어가 없음")))
    if organisation is None:
        spec = lexicon("sectors")
        noun = (spec["sectors"].get(sector.value) or spec["general"])["noun"][lang]
        if sector.value == "general":
            organisation = Text(
                value=noun, evidence=default(_t(lang, "the scenario and the use case name no organisation", "시나리오와 사용 사례에 기관명이 없음"))
            )
        else:
            label = spec["sectors"][sector.value]["label"][lang]
            organisation = Text(
                value=noun,
                evidence=inferred(_t(lang, f"no organisation named; called after its sector ({label})", f"기관명이 없어 분야({label})로 부름")),
            )

    reading = read_archetype(p)
    tasks = order_tasks(read_tasks(p), reading) or ["question_answering"]
    residency = read_residency(p, lang) or ResidencyFact(
        value="unspecified", evidence=default(_t(lang, "nothing says where the data may be processed", "데이터를 어디에서 처리해야 하는지 언급이 없음"))
    )
    # The languages to serve come from the scenario (its `language`) and the use case's own text,
    # never from the output language alone: `--lang ko` on an English use case writes Korean
    # documents about an English service (the run language stands in only when no scenario says).
    languages = _languages(p, lang, "ko" if sc.get("language", lang) == "ko" else "en")
    latency = read_latency(p, tasks, lang) or LatencyFact(
        value="unspecified", evidence=default(_t(lang, "nothing says whether people wait for each answer", "사용자가 답을 기다리는지 언급이 없음"))
    )
    regulations = read_regulations(p, lang, sector.value, [a.currency for a in p.amounts])
    constraints = BriefConstraints(
        data_residency=residency,
        languages=languages,
        monthly_budget=q.budget,
        build_budget=q.build_budget,
        hardware=q.hardware,
        regulations=regulations,
        latency=latency,
        hosting_terms=read_hosting_terms(p, lang),
    )
    constraints, conflicts = _merge_constraints(constraints, yaml, lang)
    constraints = constraints.model_copy(update={"data_residency": settle_residency(constraints.data_residency, constraints.hosting_terms, lang)})
    if yaml.get("regulations") is not None and yaml.get("regulations") == []:
        constraints = constraints.model_copy(update={"regulations": [r for r in constraints.regulations if r.evidence.source == "stated"]})

    staff, public, units = (keep_phrases(group) for group in read_people(p))
    # A group the prose counts and says does the work ('23 marine pilots ... the pilot checks') uses the tool,
    # whether or not the role lexicon knows the job; a named office holder is a stakeholder by name.
    workers = [w for w in keep_phrases(counted_workers(p)) if normalise_name(w.value) not in {normalise_name(s.value) for s in staff}]
    staff = workers + staff
    named = keep_phrases(named_office_holders(p))
    # 'volunteers do not approve records', 'residents never see the draft': such a group neither uses nor checks the outputs.
    barred = barred_groups(p)
    staff = [s for s in staff if not is_barred(s.value, barred)]
    users = staff or [s for s in public if not is_barred(s.value, barred)]
    if not users:
        users = [Text(value=_t(lang, "staff", "직원"), evidence=default(_t(lang, "the use case names no user group", "사용자 집단이 명시되지 않음")))]
    stakeholders = _merge_people([*named, *staff, *units, *public], users, sc)
    inputs, outputs = (_fuller(keep_things(group), q.volumes) for group in read_io(p))
    if reading is not None and reading.archetype == "digest":
        inputs, outputs = digest_io(inputs, outputs)
    outputs = settle_outputs(p, outputs)  # the main deliverable, not a fallback named under a condition
    inputs = settle_inputs(p, inputs, outputs, reading.archetype if reading else None)  # no times, rules behind records, the read one first
    inputs, outputs = as_kinds(inputs, lang), as_kinds(outputs, lang)  # 'call transcripts', as every slot uses them
    if not inputs:
        inputs = [
            Text(
                value=_t(lang, "source records", "업무 기록"),  # a neutral noun that reads after a possessive ('{org}'s source records')
                evidence=default(_t(lang, "the use case does not say what goes in", "입력 자료가 명시되지 않음")),
            )
        ]
    if not outputs:
        named = [t for t in tasks if t in lexicon("cues")["task_outputs"]] if read_tasks(p) else []
        outputs = [
            Text(
                value=lexicon("cues")["task_outputs"][t][lang],
                evidence=inferred(_t(lang, f"the use case asks for {_word(lang, 'tasks', t)}", f"사용 사례의 작업 유형: {_word(lang, 'tasks', t)}")),
            )
            for t in named[:2]
        ] or [
            Text(
                value=_t(lang, "answers and drafts for staff to review", "직원이 검토할 답변과 초안"),
                evidence=default(_t(lang, "the use case does not say what comes out", "산출물이 명시되지 않음")),
            )
        ]
    sensitivity = read_sensitivity(p, sector.value, constraints.data_residency.value, lang)
    constraints = constraints.model_copy(update={"hosting_terms": guard_sensitive_data(constraints.hosting_terms, sensitivity, lang)})
    # A counted noun cut mid-clause ('95 inpatients on a weekday' -> 'inpatients on') is trimmed to its noun.
    volumes = [v.model_copy(update={"what": trimmed_phrase(v.what, _t(lang, "items", "업무"))}) for v in q.volumes]
    brief = Brief(
        organisation=organisation,
        summary=_summary(p, lang, organisation.value, tasks, sector.value),
        domain=_domain(lang, sector.value, outputs, inputs, volumes, sector.name),
        sector=sector,
        task_types=tasks,  # type: ignore[arg-type]
        inputs=inputs,
        outputs=outputs,
        users=users,
        stakeholders=stakeholders,
        volumes=volumes,
        baselines=[b.model_copy(update={"metric": trimmed_phrase(b.metric, _t(lang, "time per item", "건당 처리 시간"))}) for b in q.baselines],
        success_criteria=read_success(p),
        data_sensitivity=sensitivity,
        constraints=constraints,
        conflicts=conflicts,
        pilot=read_pilot(p),  # the client's own pilot and retention win over the defaults (planning/client_plan.py)
        retention=read_retention(p),
    )
    return brief.model_copy(update={"task_shape": _with_update_frequency(_with_audience(task_shape_fact(brief, lang, reading), p), p)})


DIGEST_OUTPUT = re.compile(r"\b(?:summar(?:y|ies)|handovers?|hand-offs?|digests?|briefs?|briefings?|reports?|notes?|round-?ups?|overviews?)\b", re.I)
"""What a digest produces: one summary, handover note or briefing for many records."""


def digest_io(inputs: list[Text], outputs: list[Text]) -> tuple[list[Text], list[Text]]:
    """A digest (many records summarised into one note) writes only the note: the records people write
    ('technicians write free-text entries') are what it reads, not drafts it makes for each writer.
    """
    notes = [o for o in outputs if DIGEST_OUTPUT.search(o.value)]
    if not notes:
        return inputs, outputs
    records = [o for o in outputs if o not in notes and normalise_name(o.value) not in {normalise_name(i.value) for i in inputs}]
    return records + [i for i in inputs if i.evidence.source != "default"] or inputs, notes


AUDIENCE_OF = {"reviewed": "staff_approve", "end_users": "customer_direct"}
"""`planning.audience`'s reading (a person approves every output wins over a direct-answer cue) in the brief's terms."""


def _with_update_frequency(shape: TaskShapeFact, p: Prose) -> TaskShapeFact:
    """The task shape with how often the data changes, as the prose states it (the refresh cadence follows it)."""
    from genai_planner.planning.refresh import read_update_frequency

    read = read_update_frequency(p.text)
    return shape.model_copy(update={"update_frequency": read[0], "update_quote": read[1]}) if read else shape


def _with_audience(shape: TaskShapeFact, p: Prose) -> TaskShapeFact:
    """The task shape with who receives the output as the interaction cues say; the archetype's default otherwise."""
    read = read_audience(p)
    return shape.model_copy(update={"audience": AUDIENCE_OF[read]}) if read else shape


LEGAL_FORM = regex_cache.compile(
    r"(?:,?\s+(?:LLC|L\.L\.C\.|Ltd\.?|Limited|Pte\.?\s+Ltd\.?|Pty\.?\s+Ltd\.?|Co\.,?\s+Ltd\.?|Inc\.?|Corp\.?|GmbH|AG|S\.?A\.?S?|S\.?p\.?A\.?"
    r"|B\.?V\.?|N\.?V\.?|AB|ASA|Oy|plc|PLC|KK|Sp\.\s+z\s+o\.\s?o\.|LLP|S\.?\s?de\s+R\.?L\.?(?:\s+de\s+C\.?V\.?)?"
    r"|Kft\.?|Zrt\.?|Nyrt\.?|s\.\s?r\.\s?o\.|a\.\s?s\.|d\.\s?o\.\s?o\.|Ltda\.?|S\.A\.S\.|A/S|ApS))+$"
    r"|^(?:주식회사|유한회사|\(주\)|㈜)\s*|\s*(?:주식회사|\(주\)|㈜)$"
)
"""A company's legal form ('LLC', 'Pte Ltd', 'GmbH', '주식회사', '(주)'): the documents call the client by its name."""


def display_name(name: str) -> str:
    """The name a consultant writes in the documents: the legal form left out ('Kestrel Geotechnics Pte Ltd' ->
    'Kestrel Geotechnics'); the full name stays in the evidence quote.
    """
    # A closing parenthesis says what the name stands for ('(Lost & Found concession, Budapest Airport)',
    # '(수원·화성세무서 시범사업)'): the evidence keeps it, the documents call the client by the name alone.
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", " ".join(name.split())) or " ".join(name.split())
    short = LEGAL_FORM.sub("", bare).strip(" ,")
    return short or " ".join(name.split())


def _fuller(items: list[Text], volumes: list[Any]) -> list[Text]:
    """A one-word input or output the prose counts with its modifier elsewhere takes the fuller name:
    'a vet reads each result' beside '260 lab results a day' -> 'lab results' (a bare 'results' fits any client).
    """
    out = []
    for item in items:
        word = item.value.strip().lower()
        fuller = next((v.what for v in volumes if " " not in word and v.what.lower().endswith(" " + word) and len(v.what.split()) <= 3), None)
        out.append(item.model_copy(update={"value": fuller}) if fuller else item)
    return out


def _organisation(sc: dict[str, Any], p: Prose) -> Text | None:
    name = sc.get("organisation")
    if isinstance(name, str) and name.strip():
        return Text(value=display_name(name), evidence=from_scenario("organisation"))
    read = read_organisation(p)
    # The quote keeps the prose's own spacing; the name is written with single spaces ('Harbourline\tInsurance').
    return read.model_copy(update={"value": " ".join(read.value.split())}) if read else None


def _languages(p: Prose, lang: str, scenario_lang: str) -> LanguagesFact:
    named = read_languages(p)
    codes = [code for code, _, _ in named]
    added = []
    for code, why in ((scenario_lang, "run"), ("ko" if p.korean else "en", "text")):
        if code not in codes and code not in added and (why == "run" or p.text.strip()):
            added.append(code)
    value = [*added, *codes] if added else codes
    names = {c: _LANGUAGE_NAMES[c][1 if lang == "ko" else 0] if c in _LANGUAGE_NAMES else language_name(c, lang) for c in added}
    new_rx = rx(lexicon("cues")["new_language"]["ko" if p.korean else "en"])
    text_lang = "ko" if p.korean else "en"
    no_history = [code for code, start, _ in named if code != text_lang and new_rx.search(p.low, *p.sentence_at(start))]
    if named:
        quote = p.sentence_quote(named[0][1])
        reason = None
        if added:
            reason = _t(
                lang,
                "plus " + ", ".join(f"{names[c]} (the scenario's language or the use case's own language)" for c in added),
                "여기에 " + ", ".join(f"{names[c]}(시나리오 언어 또는 사용 사례의 언어)" for c in added) + " 추가",
            )
        return LanguagesFact(value=value, evidence=Evidence(source="stated", quote=quote, reason=reason), no_history=no_history)
    reason = _t(
        lang,
        "no language named: the scenario's language" + (" and the use case's own language" if len(added) > 1 else ""),
        "언급된 언어가 없어 시나리오 언어" + ("와 사용 사례의 언어" if len(added) > 1 else "") + "를 씀",
    )
    return LanguagesFact(value=value, evidence=inferred(reason))


_WANT = {
    "en": regex_cache.compile(r"\bwe\s+(?:want|would\s+like|'d\s+like|’d\s+like|need|are\s+looking|plan|aim|hope)\b|\bwants?\b|\bneeds?\b|\bgoal\b"),
    "ko": regex_cache.compile(r"도입|(?<![가-힣])원(?:합니다|하며|해)|싶습니다|하려고|하려 합니다|하고자|필요합니다|필요하며|만들고"),
}


def _summary(p: Prose, lang: str, organisation: str, tasks: list[str], sector: str) -> str:
    text_lang = "ko" if p.korean else "en"
    if p.text.strip() and text_lang == lang:
        spans = [s for s in p.sentences if _WANT[lang].search(p.low[s[0] : s[1]])] or p.sentences
        sentence = re.sub(r"\s+", " ", p.quote(*spans[0]))
        if len(sentence) > 300:
            sentence = sentence[:297].rsplit(" ", 1)[0] + "..."
        return sentence
    label = (lexicon("sectors")["sectors"].get(sector) or lexicon("sectors")["general"])["label"][lang]
    work = _words(lang, "tasks", tasks)
    return _t(lang, f"{organisation}: generative AI for {work} in {label}.", f"{organisation}: {label} 분야의 생성형 AI ({work}).")


def _domain(lang: str, sector: str, outputs: list[Text], inputs: list[Text], volumes: list[Any], name: str | None = None) -> str:
    label = name or (lexicon("sectors")["sectors"].get(sector) or lexicon("sectors")["general"])["label"][lang]
    candidates = [v.what for v in volumes if v.per and v.what not in ("items", "건")][:1]
    candidates += [t.value for group in (outputs, inputs) for t in group[:1] if t.evidence.source == "stated"]
    if not candidates:
        return label
    best = max(candidates, key=lambda c: len(c.split()))  # the most specific phrase
    return f"{label} ({best})"


# ------------------------------------------------------------------- reconcile
def reconcile_brief(proposed: Brief | dict[str, Any] | None, scenario: dict[str, Any] | BaseModel, language: str) -> Brief:
    """A brief a real model proposed, held to the rules: the YAML wins, quotes must be in the use case,
    and what is missing or invalid comes from `extract_brief`.

    Args:
        proposed: The model's brief (a `Brief` or its JSON as a dict; partial or invalid parts are replaced).
        scenario: The scenario dict (or `Scenario`).
        language: The run language (en | ko).

    Returns:
        A valid `Brief`.
    """
    sc = _as_dict(scenario)
    lang = "ko" if language == "ko" else "en"
    text = str(sc.get("use_case") or "")
    base = extract_brief(sc, lang)
    if isinstance(proposed, BaseModel):
        data = proposed.model_dump()
    elif isinstance(proposed, dict):
        data = dict(proposed)
    else:
        data = {}
    merged = base.model_dump()
    for key, value in data.items():
        if key not in Brief.model_fields or key == "conflicts" or value in (None, "", [], {}):
            continue
        if key == "constraints" and isinstance(value, dict):
            for ck, cv in value.items():
                if ck == "hosting_terms" and isinstance(cv, dict):
                    # hard terms only add up: a model that misses one the prose states does not drop it
                    merged["constraints"][ck] = merge_terms(base.constraints.hosting_terms, cv).model_dump()
                    continue
                if ck in BriefConstraints.model_fields and cv not in (None, []) and _valid(BriefConstraints, ck, cv):
                    merged["constraints"][ck] = _plain(BriefConstraints, ck, cv)
            continue
        if _valid(Brief, key, value):
            merged[key] = _plain(Brief, key, value)
    try:
        brief = Brief.model_validate(merged)
    except ValidationError:
        brief = base
    yaml = _constraints(sc)
    brief = _check_evidence(brief, text, sc, yaml, lang)
    brief = _prose_beats_guesses(brief, base)
    brief = _one_off_stays_one_off(brief, base)
    constraints, conflicts = _merge_constraints(brief.constraints, yaml, lang)
    constraints = constraints.model_copy(update={"data_residency": settle_residency(constraints.data_residency, constraints.hosting_terms, lang)})
    constraints = constraints.model_copy(update={"hosting_terms": guard_sensitive_data(constraints.hosting_terms, brief.data_sensitivity, lang)})
    organisation = brief.organisation
    if isinstance(sc.get("organisation"), str) and sc["organisation"].strip():
        organisation = Text(value=display_name(sc["organisation"]), evidence=from_scenario("organisation"))
    stakeholders = _merge_people(brief.stakeholders, brief.users, sc)
    previous = [c for c in (data.get("conflicts") or []) if isinstance(c, str) and _names_written_field(c, yaml)]
    all_conflicts = list(dict.fromkeys([*previous, *conflicts]))
    brief = brief.model_copy(update={"constraints": constraints, "conflicts": all_conflicts, "organisation": organisation, "stakeholders": stakeholders})
    shape = brief.task_shape
    if shape is None or (constraints.latency.value in ("batch", "interactive") and shape.mode != constraints.latency.value):
        brief = brief.model_copy(update={"task_shape": task_shape_fact(brief, lang, read_archetype(Prose(text)))})
    if brief.task_shape is not None:  # a model's brief too: who receives an output, as the prose's interaction cues say
        brief = brief.model_copy(update={"task_shape": _with_update_frequency(_with_audience(brief.task_shape, Prose(text)), Prose(text))})
    if brief.task_shape is not None and brief.task_shape.archetype == "digest" and not brief.task_shape.cadence:
        # A model's brief too: how often a digest is made, as the prose says ('every 15 minutes': the requests a day).
        found = read_cadence(text)
        if found is not None:
            brief = brief.model_copy(update={"task_shape": brief.task_shape.model_copy(update={"cadence": found.phrase, "on_demand": found.on_demand})})
    return brief


def _one_off_stays_one_off(brief: Brief, base: Brief) -> Brief:
    """A model that reads the prose's one-off build budget as the monthly budget is corrected: the amount the prose
    gives without a period, in a sentence about building, stays a one-off (`build_budget`), never a running budget.
    """
    c, b = brief.constraints, base.constraints
    build = c.build_budget or b.build_budget
    monthly = c.monthly_budget
    if build is not None and monthly is not None and b.monthly_budget is None and _same_money(monthly.value, build.value):
        monthly = None
    if build is c.build_budget and monthly is c.monthly_budget:
        return brief
    return brief.model_copy(update={"constraints": c.model_copy(update={"build_budget": build, "monthly_budget": monthly})})


_FIELD_WORDS = {
    "on_premises": ("on_premises", "on-premises", "on premises", "온프레미스"),
    "data_residency": ("data_residency", "residency", "데이터 위치"),
    "languages": ("languages", "언어"),
    "monthly_budget": ("monthly_budget", "budget", "예산"),
    "monthly_budget_usd": ("monthly_budget_usd", "budget", "예산"),
    "hardware": ("hardware", "gpu", "보유 장비"),
    "regulations": ("regulations", "regulation", "법령", "규정"),
    "latency": ("latency", "응답 방식"),
}


def _names_written_field(line: str, yaml: dict[str, Any]) -> bool:
    """Whether a model's conflict line is about a constraint the scenario wrote (one about a default, such as `on_premises: false`, is dropped)."""
    low = line.lower()
    named = [f for f, words in _FIELD_WORDS.items() if any(w in low for w in words)]
    return not named or any(f in yaml for f in named)


def _prose_beats_guesses(brief: Brief, base: Brief) -> Brief:
    """Where the use case states residency or latency and the model's differing value rests on no quote, the statement stands.

    A model that read a default (`on_premises: false`) as the user's word, or guessed, must not
    overrule prose that says the data never leaves the data centre.
    """
    update: dict[str, Any] = {}
    for field in ("data_residency", "latency"):
        said, proposed = getattr(base.constraints, field), getattr(brief.constraints, field)
        if said.evidence.source == "stated" and proposed.value != said.value and proposed.evidence.source not in ("stated", "scenario"):
            update[field] = said
    if not update:
        return brief
    return brief.model_copy(update={"constraints": brief.constraints.model_copy(update=update)})


def _valid(model: type[BaseModel], field: str, value: Any) -> bool:
    try:
        TypeAdapter(model.model_fields[field].annotation).validate_python(value)
        return True
    except (ValidationError, TypeError):
        return False


def _plain(model: type[BaseModel], field: str, value: Any) -> Any:
    adapter = TypeAdapter(model.model_fields[field].annotation)
    return adapter.dump_python(adapter.validate_python(value))


def _exact_span(quote: str, text: str) -> str | None:
    """`quote` as an exact substring of `text` (allowing different whitespace), or None."""
    if not quote:
        return None
    if quote in text:
        return quote
    words = [re.escape(w) for w in quote.split()]
    if not words:
        return None
    m = re.search(r"\s+".join(words), text)
    return m.group(0) if m else None


def _check_evidence(brief: Brief, text: str, sc: dict[str, Any], yaml: dict[str, Any], lang: str) -> Brief:
    """Downgrade 'stated' facts whose quote is not in the use case, and 'scenario' facts the YAML does not give."""
    data = brief.model_dump()
    yaml_fields = {f"constraints.{k}" for k, v in yaml.items() if v not in (None, [], False, "")}
    if isinstance(sc.get("organisation"), str) and sc["organisation"].strip():
        yaml_fields.add("organisation")
    if sc.get("stakeholders"):
        yaml_fields.add("stakeholders")

    def fix(evidence: dict[str, Any], path: str, node: dict[str, Any]) -> None:
        if evidence.get("source") == "stated":
            exact = _exact_span(evidence.get("quote") or "", text)
            if exact and not _quote_says(path, node, exact, brief, lang):
                evidence.update(
                    source="inferred",
                    quote=None,
                    reason=_t(lang, f"the quoted words do not say this: '{exact[:80]}'", f"인용한 문구가 이 사실을 말하지 않음: '{exact[:80]}'"),
                )
            elif exact:
                evidence["quote"] = exact
            else:
                missing = (evidence.get("quote") or "")[:80]
                evidence.update(
                    source="inferred",
                    quote=None,
                    reason=_t(lang, f"the quoted words were not found in the use case: '{missing}'", f"인용한 문구가 사용 사례에 없음: '{missing}'"),
                )
        elif evidence.get("source") == "scenario":
            root = path.split("[")[0]
            if root not in yaml_fields and not (root == "constraints.data_residency" and "constraints.on_premises" in yaml_fields):
                evidence.update(source="inferred", reason=_t(lang, "the scenario YAML does not set this", "시나리오 YAML에 없는 값"))

    for path, _evidence in brief.evidence_items():
        node: Any = data
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        fix(node["evidence"] if "evidence" in node else node, path, node)
    return Brief.model_validate(data)


def _numbers_in(quote: str) -> list[tuple[float, float]]:
    """(low, high) of every number and amount in the quote (a range '300-400' keeps both ends)."""
    p = Prose(quote)
    return [(n.low if n.low is not None else n.value, n.value) for n in p.numbers] + [(a.amount, a.amount) for a in p.amounts]


def _quote_says(path: str, node: dict[str, Any], quote: str, brief: Brief, lang: str) -> bool:
    """Whether a 'stated' quote says the fact it is evidence for, read with the extractor's own readers.

    A residency sentence is no evidence of latency (nor a latency sentence of residency); a budget
    quote must hold an amount; a volume or baseline quote must hold its number (or a quantity the
    reader derives it from). Facts without a reader (names, inputs) pass.
    """
    p = Prose(quote)
    # Residency and latency: the readers miss some phrasings a careful model reads ('our Leeds data
    # hall and nowhere else'), so a quote fails only when it reads as evidence of the other fact.
    latency = read_latency(p, list(brief.task_types), lang)
    says_latency = latency is not None and latency.evidence.source == "stated"  # not the task-type fallback
    if path == "constraints.latency":
        if node.get("value") == "unspecified" or says_latency:
            return True
        return read_residency(p, lang) is None and not p.amounts
    if path == "constraints.data_residency":
        if node.get("value") == "unspecified" or read_residency(p, lang) is not None:
            return True
        return not says_latency and not p.amounts
    if path == "constraints.monthly_budget":
        return bool(p.amounts) or bool(p.numbers)
    if path.startswith(("volumes[", "baselines[")):
        value = float(node.get("quantity", node.get("value", 0)) or 0)
        slack = 0.01 * max(abs(value), 1)
        if any(low - slack <= value <= high + slack for low, high in _numbers_in(quote)):
            return True
        q = read_quantities(p, lang)  # a derived figure ('one in five' -> 20%, '1 hour 30 minutes' -> 90): the quote must hold one of its kind
        return bool(q.volumes if path.startswith("volumes[") else q.baselines)
    return True


# ---------------------------------------------------------------------- legacy
def brief_constraints_dict(brief: Brief) -> dict[str, Any]:
    """The constraint dict the model catalog tool and older checks read.

    `on_premises` is true only for on-premises data; `residency` carries the value itself, so a
    consumer can also exclude API-only models for `private_cloud`.
    """
    c = brief.constraints
    budget = to_usd(c.monthly_budget.value) if c.monthly_budget else None
    return {
        "on_premises": c.data_residency.value == "on_premises",
        "languages": list(c.languages.value),
        "monthly_budget_usd": budget,
        "residency": c.data_residency.value,
    }


def stated_quotes(brief: Brief) -> list[str]:
    """Every quote of a 'stated' fact (each must be a substring of the use case)."""
    return [e.quote or "" for _, e in brief.evidence_items() if e.source == "stated"]
