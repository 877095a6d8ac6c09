"""The task archetype read from what the client wants produced, and the input step it needs.

Task types are found by any word that names them ("code" in "34 hazard codes", "questions" a
person answers by phone today), so taking the first one mentioned misreads the work: manuals to
translate became code, minutes of recorded meetings became question answering. Here each
archetype scores the sentences of the use case: a cue for what comes out (translated editions,
SQL, minutes, a routing decision, fields captured into a system, a drafted letter, cited
answers, code changes, a chat) weighs three times a cue for the setting (a database, forms, a
repository), and a sentence about today's work counts a third. The best score decides; ties go
to the more specific design (`data/archetypes.yaml` order).

Scanned, handwritten or photographed inputs need OCR before the model reads them, recorded
calls and meetings need speech-to-text: `ArchetypeReading.step` names that step so the plan
adds it to the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from genai_planner.planning.cadence import period_name, read_cadence
from genai_planner.planning.lexicon import lexicon, rx
from genai_planner.planning.phrases import HANGUL_RE
from genai_planner.planning.prose import Prose


@dataclass
class ArchetypeReading:
    """The archetype, its scores and the sentence that weighed most, and the input step (or None)."""

    archetype: str
    scores: dict[str, float] = field(default_factory=dict)
    quote: str = ""
    step: str | None = None
    step_quote: str = ""
    history_quote: str = ""
    """The sentence saying the client keeps past outputs (an archive of letters), or '' when none does."""
    audience: str | None = None
    """Who receives the output when the prose says: 'customer_direct' or 'staff_approve' (None when unsaid)."""
    audience_quote: str = ""
    period: str = ""
    """For a digest: the period whose entries are read together ('night shift'), as the client wrote it."""
    group: str = ""
    """For a digest: what one digest is kept per ('train'), as the client wrote it."""
    cadence: str = ""
    """For a digest: how often one is made ('every 15 minutes'), as the client wrote it (`planning/cadence.py`)."""
    on_demand: bool = False

    @property
    def task(self) -> str:
        """The task type this archetype stands for (`task_of`)."""
        return str(_cfg()["task_of"][self.archetype])


def _cfg() -> dict[str, Any]:
    return lexicon("archetypes")


@cache
def _language_names() -> str:
    names: list[str] = []
    for entry in lexicon("languages")["languages"].values():
        for key in ("en", "ko"):
            names += [str(n) for n in entry.get(key) or []]
    # Longest first; ties in a fixed order, so every process builds the same pattern (a set's order changes per process).
    return "|".join(sorted({n.lower() for n in names}, key=lambda n: (-len(n), n)))


@cache
def _patterns(archetype: str, kind: str) -> tuple[str, ...]:
    names = _language_names()
    return tuple(p.replace("{lang}", names) for p in _cfg()["archetypes"][archetype].get(kind) or [])


def score_archetypes(p: Prose) -> tuple[dict[str, float], dict[str, int]]:
    """(score per archetype, the offset of its heaviest sentence), summed over sentences; each cue counts once a sentence."""
    cfg = _cfg()
    weights = cfg["weights"]
    scores = {a: 0.0 for a in cfg["order"]}
    best_at: dict[str, tuple[float, int]] = {}
    for start, end in p.sentences or [(0, len(p.text))]:
        sentence = p.low[start:end]
        factor = float(weights["today"]) if any(rx(t).search(sentence) for t in cfg["today"]) else 1.0
        for archetype in cfg["order"]:
            got = 0.0
            for kind in ("output", "signal"):
                hits = sum(1 for pattern in _patterns(archetype, kind) if rx(pattern).search(sentence))
                got += hits * float(weights[kind]) * factor
            if got:
                scores[archetype] += got
                if got > best_at.get(archetype, (0.0, 0))[0]:
                    best_at[archetype] = (got, start)
    return scores, {a: at for a, (_, at) in best_at.items()}


def read_step(p: Prose) -> tuple[str | None, str]:
    """('speech_to_text' | 'ocr' | None, the sentence that says so): recordings first, then scans and handwriting."""
    for step, patterns in _cfg()["steps"].items():
        for pattern in patterns:
            m = rx(pattern).search(p.low)
            if m:
                return str(step), p.sentence_quote(m.start())
    return None, ""


def read_history(p: Prose) -> str:
    """The sentence that says past outputs are kept (an archive, the last years of reports), or ''."""
    for pattern in _cfg().get("history") or []:
        m = rx(pattern).search(p.low)
        if m:
            return p.sentence_quote(m.start())
    return ""


def read_audience(p: Prose) -> tuple[str | None, str]:
    """('customer_direct' | 'staff_approve' | None, the sentence that says so): an answer given to guests directly first."""
    for audience, patterns in (_cfg().get("audience") or {}).items():
        for pattern in patterns:
            m = rx(pattern).search(p.low)
            if m:
                return str(audience), p.sentence_quote(m.start())
    return None, ""


def read_digest(p: Prose) -> tuple[str, str]:
    """(period, group) of a many-to-one summary: 'each night shift' -> 'night shift', 'per train' -> 'train' ('' when unsaid)."""
    found = []
    for key, name in (("digest_period", "period"), ("digest_group", "group")):
        value = ""
        for pattern in _cfg().get(key) or []:
            m = rx(pattern).search(p.low)
            if m:
                value = " ".join(m.group(name).split())
                break
        found.append(value)
    names = {k: v for table in (_cfg().get("digest_period_names") or {}).values() for k, v in table.items()}
    return str(names.get(found[0], found[0])), found[1]


def read_archetype(p: Prose) -> ArchetypeReading | None:
    """The archetype whose output the prose asks for; None when no cue of any archetype appears."""
    cfg = _cfg()
    scores, at = score_archetypes(p)
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return None
    archetype = next(a for a in cfg["order"] if scores[a] == top)
    step, step_quote = read_step(p)
    implied = cfg["implied_step"].get(archetype)
    if step is None and implied and not any(rx(pattern).search(p.low) for pattern in cfg["already_text"]):
        step = str(implied)  # a call or meeting is heard before it is summarised
    if step == "speech_to_text" and archetype not in ("conversation_summary", "corpus_qa", "assistant", "record_drafting", "classification", "extraction"):
        step, step_quote = None, ""  # a code or SQL tool does not listen to recordings
    period, group = read_digest(p) if archetype == "digest" else ("", "")
    cadence = read_cadence(p.text) if archetype == "digest" else None
    if cadence is not None:
        period = period_name(cadence, bool(HANGUL_RE.search(p.text))) or period  # 'every 15 minutes' reads a 15-minute period
    audience, audience_quote = read_audience(p)
    return ArchetypeReading(
        archetype, {a: round(s, 2) for a, s in scores.items() if s}, p.sentence_quote(at[archetype]), step, step_quote, read_history(p),
        audience, audience_quote, period, group, cadence.phrase if cadence else "", bool(cadence and cadence.on_demand),
    )


def order_tasks(tasks: list[str], reading: ArchetypeReading | None) -> list[str]:
    """The task types with the archetype's own first; `code` and `text_to_sql` dropped when they scored nothing (an 'error code', a 'table' of figures)."""
    if reading is None:
        return tasks
    out = [t for t in tasks if t != reading.task]
    incidental = {"code": "code", "text_to_sql": "text_to_sql"}
    out = [t for t in out if not (t in incidental and reading.scores.get(incidental[t], 0) < _cfg()["weights"]["output"])]
    return [reading.task, *out]
