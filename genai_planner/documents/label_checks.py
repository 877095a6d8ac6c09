"""`label_fits`: a labelled item explains its label (advisory: a word-list judgement, see checks.ADVISORY_TYPES)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_terms import _scoped_sections, brief_terms, regulations, term_hits
from genai_planner.documents.checks import CheckContext, check
from genai_planner.documents.content_checks import _has_any
from genai_planner.documents.content_lexicon import (
    LATIN_WORD_RE,
    NO_BRIEF,
    _lowered,
    _mentions,
    _quote,
    _strip_particle,
    _syllables,
    _term_pattern,
    _words,
    has_hangul,
    lexicon,
)

# --------------------------------------------------------------------------- 3. label_fits

_BOLD_ITEM_RE = regex_cache.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?\*\*(?P<label>[^*]+?)\*\*(?P<rest>.*)$")
_ITALIC_ITEM_RE = regex_cache.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?\*(?!\*)(?P<label>[^*]+?)\*(?!\*)(?P<rest>.*)$")
_LEAD_ITALIC_RE = regex_cache.compile(r"^\*(?!\*)(?P<label>[^*]+?)\*(?!\*)(?P<rest>.*)$")
_STEM_SUFFIXES = ("ations", "ation", "ically", "ness", "ments", "ment", "ities", "ity", "ings", "ing", "ers", "ies", "ied", "ate")
_STEM_SUFFIXES += ("ed", "er", "ly", "al")


@dataclass
class _Labelled:
    label: str
    kind: str | None
    explanation: str


def _labelled_items(text: str) -> list[_Labelled]:
    items = []
    markers = _words("label_markers")
    for line in text.splitlines():
        if line.startswith((" ", "\t")):
            continue
        kind = None
        m = _BOLD_ITEM_RE.match(line) or _ITALIC_ITEM_RE.match(line)
        if not m:
            continue
        label, rest = m.group("label").strip().rstrip(":：").strip(), m.group("rest")
        for marker in markers:
            rest = rest.replace(marker, " ")
        rest = rest.strip().lstrip(":：").strip()
        nested = _LEAD_ITALIC_RE.match(rest)
        if nested and m.re is _BOLD_ITEM_RE:
            kind, label, rest = label, nested.group("label").strip(), nested.group("rest")
        rest = md.CITATION_RE.sub(" ", rest).strip().lstrip("—–-:： ").strip()
        items.append(_Labelled(label, kind, rest))
    return items


@lru_cache(maxsize=8192)  # ~7,000 calls a run over a few hundred words
def _stem(word: str) -> str:
    word = word.lower().strip("'’")
    word = re.sub(r"['’]s$", "", word)
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ies")) and len(word) > 3:
        word = word[:-1]
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def _label_words(label: str, language: str) -> list[str]:
    stop = _lowered("stop_words", "en") | _lowered("label_stop_words", "en") | _lowered("label_stop_words", "ko") | _lowered("stop_words", "ko")
    words = []
    for word in re.split(r"[\s/]+|(?<=[A-Za-z])-(?=[A-Za-z])", label):
        word = word.strip("()[],.:;'\"")
        if has_hangul(word):
            word = _strip_particle(word)
            if _syllables(word) >= 2 and word not in stop:
                words.append(word)
        elif len(word) >= 2 and word.isupper() or len(word) >= 3 and word.lower() not in stop:  # "IT", "QA" are words here
            words.append(word)
    return words


def _ko_variants(word: str) -> list[str]:
    out = [word]
    if _syllables(word) >= 3 and word[-1] in "성화도률율적":
        out.append(word[:-1])
    return out


class _About:
    """Whether a text is about a label: shared content-word stems or synonyms."""

    def __init__(self, ctx: CheckContext, params: dict[str, Any]) -> None:
        self.language = ctx.language
        self.terms = brief_terms(ctx.brief, ctx.language)
        self.about = {k.lower(): list(v) for k, v in (lexicon()["label_about"].get(self.language) or {}).items()}
        for label, words in ((params.get("about") or {}).get(self.language) or {}).items():
            self.about.setdefault(label.lower(), [])
            self.about[label.lower()] = list(words) + self.about[label.lower()]
        for target in (ctx.figures or {}).get("targets", []):  # a metric is about what its computed definition says it measures
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]{3,}|[가-힣]{2,}", str(target.get("definition", ""))) if w.lower() not in _lowered("stop_words")]
            self.about.setdefault(str(target.get("metric", "")).lower(), []).extend(words)
        self.word_about = {k.lower(): list(v) for k, v in (lexicon()["word_about"].get(self.language) or {}).items()}
        self.word_about.update({k.lower(): list(v) for k, v in (lexicon()["word_about"].get("en") or {}).items() if k.lower() not in self.word_about})

    def candidates(self, label: str) -> list[str]:
        for marker in lexicon()["label_markers"]:  # '(key for this use case)' marks a label, it is not part of it
            label = label.replace(marker, "").strip()
        words = _label_words(label, self.language)
        out = list(words)
        for word in words:
            for key, synonyms in self.word_about.items():
                if (has_hangul(word) and word.startswith(key)) or (not has_hangul(word) and _stems_match(_stem(word), _stem(key))):
                    out += synonyms
        key = label.lower().strip()
        named = self.about.get(key) or self.about.get(key.split(":")[-1].strip(), [])  # 'Technical: X' is about X
        return out + named

    def relates(self, label: str, text: str) -> bool:
        stems = [_stem(w) for w in LATIN_WORD_RE.findall(text)]
        for candidate in self.candidates(label):
            if candidate == "<brief>":
                if term_hits(text, self.terms, self.language, first=True):
                    return True
            elif candidate == "<number>":
                if re.search(r"\d", text):
                    return True
            elif has_hangul(candidate):
                if any(_term_pattern(v).search(text) for v in _ko_variants(candidate)):
                    return True
            elif re.search(r"[\s/@]", candidate) or not re.fullmatch(r"[A-Za-z][A-Za-z\-]*", candidate):
                if _mentions(text, candidate):
                    return True
            elif any(_stems_match(_stem(candidate), s) for s in stems):
                return True
        return False


def _names_law(text: str) -> bool:
    if _has_any(text, _words("law_words", "en") + _words("law_words", "ko")):
        return True
    not_laws = set(_words("not_laws"))
    for word in re.findall(r"[가-힣]+", text):
        i = word.find("법")
        while i >= 0:
            law = word[: i + 1]
            if len(law) >= 3 and not any(law.endswith(n) for n in not_laws):
                return True
            i = word.find("법", i + 1)
    return False


def _split_why(explanation: str, language: str) -> tuple[str, str | None]:
    markers = _words("why_markers", "en") + _words("why_markers", "ko")
    lowered = explanation.lower()
    for marker in markers:
        i = lowered.find(marker.lower())
        if i >= 0:
            return explanation[:i].strip(" —–-:;("), explanation[i + len(marker) :].strip(" :：—–-")
    return explanation, None


TARGET_OPENING = regex_cache.compile(r"^\s*(?:target|목표)\b", re.IGNORECASE)


def _states_metric_target(label: str, definition: str, ctx: CheckContext) -> bool:
    """Whether the item names one of the figures' metrics and its text opens with that metric's target."""
    name = label.split(":")[-1].strip().lower()
    metrics = {str(t.get("metric", "")).lower() for t in (ctx.figures or {}).get("targets", [])}
    return name in metrics and bool(TARGET_OPENING.match(definition))


@check("label_fits")
def label_fits(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Each labelled item's explanation is about its label.

    An explanation shares a content-word stem with its label or with the label's synonyms
    (`label_about` and `word_about` in the lexicon, `about: {en: {Label: [words]}}` in the
    params). A metric's "why it matters" part must be about the metric or about this use
    case. A compliance item names the brief's regulation (or, when the brief has none, a
    law or regulation).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    about = _About(ctx, params)
    law_labels = _lowered("law_labels", ctx.language) | _lowered("law_labels", "en")
    regs = regulations(ctx.brief)
    bad: list[str] = []
    count = 0
    for scoped in _scoped_sections(doc, params, ctx):
        if scoped.text is None:
            continue
        for item in _labelled_items(scoped.text):
            count += 1
            definition, why = _split_why(item.explanation, ctx.language)
            if item.label.lower() in law_labels:
                if regs and not any(_mentions(item.explanation, r) for r in regs):
                    bad.append(f"'{item.label}' names no regulation of the brief ({', '.join(regs)}): \"{_quote(item.explanation)}\"")
                elif not regs and not _names_law(item.explanation):
                    bad.append(f"'{item.label}' names no law or regulation: \"{_quote(item.explanation)}\"")
                continue
            if item.kind and not about.relates(item.kind, item.label + " " + item.explanation):
                bad.append(f"'{item.label}' is not a {item.kind.lower()} item: \"{_quote(item.explanation)}\"")
                continue
            if definition and _states_metric_target(item.label, definition, ctx):
                continue  # a metric named by its label and given its target ('Weekly adoption: target >= 70%'), shortened to fit
            if definition and not about.relates(item.label, definition):
                bad.append(f"'{item.label}' is explained by something else: \"{_quote(definition)}\"")
            elif why is not None and not (about.relates(item.label, why) or term_hits(why, about.terms, ctx.language, first=True)):
                bad.append(f"'{item.label}' — why it matters is about something else: \"{_quote(why)}\"")
            elif not definition and why is None:
                bad.append(f"'{item.label}' has no explanation")
    if bad:
        more = f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""
        return False, "labelled items that explain something else: " + "; ".join(bad[:5]) + more
    return True, f"{count} labelled items explain their labels"

