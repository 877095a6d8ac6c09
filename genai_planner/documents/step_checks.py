"""`steps_are_steps`: numbered steps are actions, in order, and say something."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_terms import _scoped_sections, brief_terms, term_hits
from genai_planner.documents.checks import CheckContext, check
from genai_planner.documents.content_lexicon import (
    NO_BRIEF,
    STEP_FORMS,
    _lowered,
    _mentions,
    _plain,
    _strip_particle,
    _term_pattern,
    _words,
    has_hangul,
    lexicon,
)

# --------------------------------------------------------------------------- 4. steps_are_steps


def _first_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’\-@]*", text)]
    connectors = _lowered("step_connectors")
    while words and words[0] in connectors:
        words.pop(0)
    return words


def _is_verb(word: str) -> bool:
    verbs = _lowered("action_verbs")
    if word in verbs:
        return True
    for prefix in ("re-", "pre-", "de-", "co-", "re", "pre"):
        if word.startswith(prefix) and word[len(prefix) :] in verbs and len(word) - len(prefix) >= 3:
            return True
    return False


_NOUNISH = ("ing", "ed", "tion", "sion", "ity", "ness", "ment", "ance", "ence", "ics", "ism", "ous", "ive", "s")
_DETERMINERS = {"the", "a", "an", "each", "every", "all", "our", "your", "its", "their", "both", "two", "three", "four", "five", "at", "only",
                "them", "it", "us", "him", "her", "those", "these", "this", "that"}


def _en_action(text: str, depth: int = 0) -> bool:
    text = re.sub(r"^\s*step\s*\d+\s*[:.)-]\s*", "", text, flags=re.IGNORECASE).strip()
    lowered = re.sub(r"^(?:(?:first|then|next|finally|afterwards|lastly),?\s+)+", "", text.lower())
    for start in _words("non_action_starts", "en"):
        if re.match(re.escape(start) + r"(?![A-Za-z])", lowered):
            return False
    words = _first_words(text)
    if not words:
        return False
    if _is_verb(words[0]):
        return True
    if depth == 0 and ":" in text[:80]:
        label, rest = text.split(":", 1)
        return _en_action(label, 1) or _en_action(rest, 1)
    first = words[0]
    nounish = first.endswith(_NOUNISH) or first in _lowered("non_action_starts", "en")
    follows = words[1] if len(words) > 1 else ""
    return not nounish and (follows in _DETERMINERS or bool(re.match(r"\s*\S+\s+\d", text)))


def _ko_predicate(text: str) -> str | None:
    """What the sentence's last predicate is, from kiwipiepy's morphemes: 'action', 'state' (copula, adjective, passive) or None (no predicate).

    Read as Korean, not from string endings: '붙입니다', '줄입니다', '높입니다' end in a verb (VV), not in the
    copula '입니다' (VCP); '권장합니다' is a noun made a verb (XSV), '필요합니다' a noun made an adjective (XSA).
    """
    from genai_planner.tools.korean import kiwi_tags  # loads kiwi's model on first use (Korean documents only)

    tags = [(form, tag) for form, tag in kiwi_tags(text) if not tag.startswith(("S", "E", "J"))]
    while tags:
        form, tag = tags.pop()
        if tag == "VX" or (form == "것" and tag == "NNB"):  # an auxiliary ('하지 않습니다', '해야 합니다') or '할 것' follows the predicate that matters
            continue
        if tag in {"VCP", "VCN", "VA", "XSA"} or (tag in {"VV", "XSV"} and form == "되"):
            return "state"
        if tag in {"VV", "XSV"}:
            return "action"
        return None
    return None


def _ko_action(text: str) -> bool:
    text = re.sub(r"[\s.!。…]+$", "", text).strip()
    if not text:
        return False
    if any(text.startswith(w) for w in _words("non_action_starts", "ko")):
        return False
    predicate = _ko_predicate(text)
    if predicate is not None:
        return predicate == "action"
    last = text.split()[-1]  # no predicate: a noun phrase step ('데이터 수집'); '수집함', '검증하기', '검증할 것' end in a verb above
    return any(_strip_particle(last).endswith(n) for n in _words("ko_action_nouns"))


FLUFF_VERBS = ("ensure", "consider", "think", "make sure", "be", "do", "strive", "keep in mind", "try", "remember", "aim", "focus", "continue")
MIN_STEP_WORDS = 3
"""A step that starts with a vague verb ('ensure', 'consider') names more than this many content words after it, or something of the run."""


def _fluff(item: str, ctx: CheckContext, terms: list[str]) -> bool:
    """Whether an imperative step says nothing to do ('Be thorough.', 'Ensure quality at every stage.', 'Think carefully.')."""
    if has_hangul(item):
        return False
    text = re.sub(r"^\s*step\s*\d+\s*[:.)-]\s*", "", item, flags=re.IGNORECASE).strip().lower()
    if re.search(r"\d", text) or (terms and term_hits(text, terms, ctx.language, first=True)):
        return False
    verb = next((v for v in FLUFF_VERBS if re.match(re.escape(v) + r"\b", text)), None)
    if verb is None:  # a concrete verb is a step, however short ('Train it.')
        return False
    rest = text[len(verb) :]
    stop = _lowered("stop_words", "en") | {"everything", "all", "best", "carefully", "well", "properly", "thoroughly", "stage", "every", "things", "options"}
    content = [w for w in re.findall(r"[a-z][a-z\-]{2,}", rest) if w not in stop]
    return len(content) < MIN_STEP_WORDS + 1


def _has_steps(section: Any) -> bool:
    """Whether a spec section is written as numbered steps (itself, or one of its blocks)."""
    if getattr(section, "form", None) in STEP_FORMS:
        return True
    return any(getattr(b, "form", None) in STEP_FORMS for b in getattr(section, "blocks", None) or [] if not isinstance(b, str))


def _is_action(item: str) -> bool:
    return _ko_action(item) if has_hangul(item) else _en_action(item)


@dataclass
class _Group:
    name: str
    keywords: list[str]


def _order_groups(order: Any, language: str) -> list[_Group]:
    if isinstance(order, str):
        named = lexicon()["step_orders"].get(order)
        if named is None:
            raise ValueError(f"unknown step order {order!r}; known: {', '.join(lexicon()['step_orders'])}")
        return [_Group(g["name"][language], list(g.get(language, []))) for g in named]
    if isinstance(order, dict):
        order = order.get(language) or []
    groups = []
    for group in order:
        if isinstance(group, dict):
            name = group.get("name")
            name = name.get(language) if isinstance(name, dict) else name
            keywords = [str(k) for k in group.get(language) or group.get("keywords") or []]
            groups.append(_Group(str(name or (keywords[0] if keywords else "?")), keywords))
        else:
            groups.append(_Group(str(group[0]), [str(k) for k in group]))
    return groups


def _group_matches(text: str, group: _Group, models: list[str]) -> bool:
    for keyword in group.keywords:
        if keyword == "<model>":
            if any(_mentions(text, m) for m in models):
                return True
        elif has_hangul(keyword):
            if _term_pattern(keyword).search(text):
                return True
        elif regex_cache.compile(r"(?<![A-Za-z])" + re.escape(keyword), re.IGNORECASE).search(text):
            return True
    return False


def _assign(matches: list[set[int]]) -> tuple[list[int | None], set[int]]:
    """A non-decreasing group per step maximising (steps placed, groups covered); None where a step cannot be placed."""
    best: dict[int, tuple[int, int, list[int | None]]] = {-1: (0, 0, [])}
    for groups in matches:
        nxt: dict[int, tuple[int, int, list[int | None]]] = {}
        for last, (placed, covered, path) in best.items():
            options = [(last, (placed, covered, [*path, None]))]
            options += [(g, (placed + 1, covered + (g != last), [*path, g])) for g in groups if g >= last]
            for state, value in options:
                if state not in nxt or value[:2] > nxt[state][:2]:
                    nxt[state] = value
        best = nxt
    placed, covered, path = max(best.values(), key=lambda v: v[:2])
    return path, {g for g in path if g is not None}


@check("steps_are_steps")
def steps_are_steps(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Numbered steps are actions, in order.

    In scope: `params['sections']`, else the spec's sections whose form is numbered steps.
    Each numbered item starts with an imperative (English) or ends with an action
    predicate (Korean: '수집합니다', '선정한다', '검증함'), not with a risk, a caution or a
    metric. With `order` (a named order of the lexicon such as `fine_tuning`, or keyword
    groups), the steps follow the groups' order and cover at least `min_groups` of them
    (all by default).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    defaults = [s.id for s in ctx.spec.sections if _has_steps(s)]
    scoped = _scoped_sections(doc, params, ctx, default_ids=defaults)
    if not scoped:
        return True, "no sections with numbered steps"
    groups = _order_groups(params["order"], ctx.language) if params.get("order") else []
    min_groups = int(params.get("min_groups", len(groups)))
    models = [m["name"] for m in ctx.catalog] + [str(v) for v in (ctx.decisions.get("recommended_model"), ctx.decisions.get("runner_up")) if v]
    problems: list[str] = []
    terms = brief_terms(ctx.brief, ctx.language) + models
    total = 0
    for section in scoped:
        if section.text is None:
            continue
        items = [_plain(i) for i in md.list_items(section.text, ordered_only=True)]
        if not items:
            problems.append(f"{section.title}: no numbered steps")
            continue
        total += len(items)
        not_actions = [f"{n} \"{i}\"" for n, i in enumerate(items, 1) if not _is_action(i)]
        fluff = [f"{n} \"{i}\"" for n, i in enumerate(items, 1) if _is_action(i) and _fluff(i, ctx, terms)]
        notes = []
        if not_actions:
            notes.append("not actions: " + "; ".join(not_actions))
        if fluff:
            notes.append("steps that say nothing to do (name what, on which data, by whom): " + "; ".join(fluff))
        if groups:
            matches = [{g for g, group in enumerate(groups) if _group_matches(item, group, models)} for item in items]
            path, covered = _assign(matches)
            late = [f"{n} \"{items[n - 1]}\" ({'/'.join(groups[g].name for g in sorted(matches[n - 1]))})"
                    for n, g in enumerate(path, 1) if g is None and matches[n - 1]]
            if late:
                notes.append("out of order: " + "; ".join(late) + " (expected order: " + " → ".join(g.name for g in groups) + ")")
            if len(covered) < min_groups:
                notes.append("missing steps: " + ", ".join(g.name for i, g in enumerate(groups) if i not in covered))
        if notes:
            problems.append(f"{section.title}: " + "; ".join(notes))
    if problems:
        return False, " | ".join(problems)
    return True, f"{total} numbered steps, all actions" + (" in order" if groups else "")

