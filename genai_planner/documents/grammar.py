"""Grammar for filled-in templates: the words around a value agree with the value.

A contract template is written once and filled with whatever the brief and the figures hold,
so the words next to a placeholder cannot be chosen when the template is written:

- a Korean particle depends on the final sound of the word before it (`모델을` / `Llama를`,
  `서버로` / `병원으로`), and a Latin name or a number is read aloud in Korean to find that sound
  ("GPT-4o" ends in 오, "H100" in 백, "72B" in 비);
- an English count agrees with its noun ("1 replica", "2 replicas"), and a possessive follows
  the noun ("staff's", "engineers'");
- a value that spans several lines (a quote of a YAML `|` block) must not break a sentence or
  a table row.

Templates mark a particle with both forms (`을(를)`, `이(가)`, `은(는)`, `과(와)`, `(으)로`) and a
possessive after a placeholder with a bare apostrophe (`{users}' requests`); `finish` resolves
them after the values are in, so no placeholder form reaches the client whatever the value is.
"""

from __future__ import annotations

import re
import unicodedata

from genai_planner.core import regex_cache

# --- Korean particles --------------------------------------------------------------------

PARTICLE_RE = regex_cache.compile(r"(은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|과\(와\)|와\(과\)|\(으\)로|\(이\)(?=[나라다며]))")
"""A particle written with both forms (either order), and '(이)' before 나/라/다/며."""

FORMS = {
    "은(는)": ("은", "는"), "는(은)": ("은", "는"), "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "을(를)": ("을", "를"), "를(을)": ("을", "를"), "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"), "(이)": ("이", ""),
}
"""Placeholder form -> (after a final consonant, after a vowel)."""

DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
"""The final consonant of each digit read in Korean (영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구)."""

LETTER_FINAL = {
    "a": "", "b": "", "c": "", "d": "", "e": "", "f": "", "g": "", "h": "", "i": "", "j": "", "k": "",
    "l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "o": "", "p": "", "q": "", "r": "ㄹ", "s": "", "t": "", "u": "", "v": "",
    "w": "", "x": "", "y": "", "z": "",
}
"""The final consonant of a Latin letter's Korean name when spelled out (에이, 비, ... 엘, 엠, 엔, 알)."""

UNIT_FINAL = {"gb": "", "mb": "", "tb": "", "kb": "", "ms": "", "kg": "ㅁ", "km": "", "%": "", "x": ""}
"""Units read as words (기가바이트, 밀리초, 킬로그램, 퍼센트)."""

JONG = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def _hangul_final(char: str) -> str:
    index = (ord(char) - 0xAC00) % 28
    return JONG[index - 1] if index else ""


def _number_final(digits: str) -> str:
    """'100' reads 백, '2.0' reads 이 점 영, '1,250' reads ... 오십: the final sound of the reading."""
    digits = digits.replace(",", "")
    if "." in digits:
        return DIGIT_FINAL[digits[-1]]
    stripped = digits.rstrip("0")
    if not stripped:
        return "ㅇ"  # 영
    if stripped != digits:
        return "ㅂ" if len(digits) - len(stripped) == 1 else "ㄱ"  # 십, 백, 천, 만: all end in a consonant, none in ㄹ
    return DIGIT_FINAL[digits[-1]]


def _latin_word_final(word: str) -> str:
    """How an English-looking word ends when written in Hangul (a rough reading, good for particles)."""
    lower = word.lower()
    if word.isupper() and len(word) <= 5:  # an acronym spelled letter by letter (API, GPU, CSAP)
        return LETTER_FINAL.get(lower[-1], "")
    if len(lower) == 1:
        return LETTER_FINAL.get(lower, "")
    if lower.endswith("ng"):
        return "ㅇ"
    if lower.endswith(("le", "l")):
        return "ㄹ"
    if lower.endswith(("m", "me")):
        return "ㅁ"
    if lower.endswith(("n", "ne")):
        return "ㄴ"
    if lower.endswith("ck") or (lower.endswith("k") and len(lower) > 2 and lower[-2] in "aeiou" and lower[-3] not in "aeiou"):
        return "ㄱ"  # 슬랙, 북
    return ""  # vowels and the consonants Korean spells with a trailing 으 (트, 스, 드, 시, 지)


TOKEN_RE = regex_cache.compile(r"(\d[\d,]*(?:\.\d+)?)([A-Za-z%]*)$|([A-Za-z]+)$|([가-힣])$")


def final_sound(text: str) -> str | None:
    """The final consonant of the last word of `text` read in Korean ('' for a vowel; None when unreadable).

    Trailing punctuation, quotes and a parenthesised aside are skipped ('300건(요약)' reads '건').
    """
    text = unicodedata.normalize("NFD", text)  # 'ớ' -> 'o' + marks (Hangul recomposes below)
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))
    while True:
        stripped = re.sub(r"\([^()]*\)\s*$", "", text).rstrip().rstrip("\"'”’」』*_`.,;:!?]").rstrip()
        if stripped == text:
            break
        text = stripped
    match = TOKEN_RE.search(text)
    if not match:
        return None
    digits, unit, word, syllable = match.groups()
    if syllable:
        return _hangul_final(syllable)
    if digits is not None:
        if unit:
            unit_lower = unit.lower()
            if unit_lower in UNIT_FINAL:
                return UNIT_FINAL[unit_lower]
            return _latin_word_final(unit) if len(unit) > 1 else LETTER_FINAL.get(unit_lower, "")
        return _number_final(digits)
    return _latin_word_final(word)


def particle(before: str, form: str) -> str:
    """The right particle for a placeholder `form` after the text `before`."""
    consonant, vowel = FORMS[form]
    final = final_sound(before)
    if final is None:
        final = ""  # an unreadable word (a symbol, a script we do not read): the vowel form
    if form == "(으)로" and final == "ㄹ":
        return vowel  # a final ㄹ takes 로 (서울로, 일로)
    return consonant if final else vowel


def attach_particles(text: str) -> str:
    """Resolve every both-forms particle in `text` by the word before it."""
    out: list[str] = []
    last = 0
    for match in PARTICLE_RE.finditer(text):
        out.append(text[last : match.start()])
        out.append(particle("".join(out), match.group(1)))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


# --- English agreement -------------------------------------------------------------------

POSSESSIVE = "\u0000'"
"""What `mark_possessives` leaves after a placeholder that a bare apostrophe follows."""

POSSESSIVE_TEMPLATE_RE = regex_cache.compile(r"(\{[a-z_]+\})'s?(?=[\s,.;:)])")
OPTIONAL_PLURAL_RE = regex_cache.compile(r"\b(?:(\d[\d,]*(?:\.\d+)?)(\s+(?:x\s+)?))?([A-Za-z]+)\(s\)")
ONE_PLURAL_RE = regex_cache.compile(r"(?<![\d.,])\b1 (?!(?:[a-z]+(?:ss|us|is)\b))([a-z]{3,})s\b")
DOUBLED_RE = regex_cache.compile(r"(?<![\w-])([^\W\d_]{2,})(\s+)\1(?![\w-])", re.IGNORECASE)
EVERY_PLURAL_RE = regex_cache.compile(r"\b([Ee]very|[Ee]ach) ([a-z]{2,}s)\b(?! of\b)")
"""'every replies': 'every' and 'each' take a singular noun (a plural output pasted after them)."""
LINE_BREAK_RE = regex_cache.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")
S_POSSESSIVE_RE = regex_cache.compile(r"(?<=[A-Za-z][^\Ws])s(['’])s\b")
"""'Tasman Harbour Pilots's systems', 'pilots's tablets': a name or plural ending in s takes the bare apostrophe ('boss's' stays)."""


def mark_possessives(template: str) -> str:
    """`{users}' requests`, `{org}'s data` -> a marker `finish` resolves once the value is known ('staff's', 'Electronics'')."""
    return POSSESSIVE_TEMPLATE_RE.sub(lambda m: m.group(1) + POSSESSIVE, template)


def _possessive(match: re.Match[str]) -> str:
    word = match.group(1)
    return word + ("'" if word.lower().endswith("s") else "'s")


def singular(noun: str) -> str:
    """A plural English noun's singular, for the regular forms templates use (requests, replicas, queries)."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") else noun


def _count(match: re.Match[str]) -> str:
    number, space, noun = match.groups()
    if number is None:
        return noun + "s"
    one = float(number.replace(",", "")) == 1
    return f"{number}{space}{noun if one else noun + 's'}"


PEOPLE_PLACEHOLDERS = (
    "executives", "it_team", "executives_short", "it_team_short", "users", "user", "end_users", "stakeholders",
    "regulations", "inputs", "input",
)
"""Placeholders a verb follows: it agrees with the value ('the board approves', 'the law requires', 'the shift log exists')."""
AGREEING_VERBS = (
    "approve", "sign", "rate", "plan", "provision", "do", "fall", "review", "see", "spend", "work", "run", "decide", "own", "check", "edit",
    "require", "exist", "confirm", "settle", "agree", "keep", "hold",
)
VERB_AFTER_RE = regex_cache.compile(r"\{(" + "|".join(PEOPLE_PLACEHOLDERS) + r")\} (" + "|".join(AGREEING_VERBS) + r")(?:e?s)?\b")
PLURAL_COLLECTIVES = {"staff", "people", "personnel", "police", "crew", "faculty"}
"""Nouns without a final 's' that take a plural verb in the templates' register ('staff approve')."""


def plural_people(value: str) -> bool:
    """Whether a people value takes a plural verb: a list, a plural head noun, a collective like 'staff'; one named person does not."""
    text = re.sub(r"\s*\([^)]*\)", "", value).strip()
    # The head noun comes before 'of' or a relative clause: 'the person who runs Hotels & Resorts' systems' is one person.
    head_text = re.split(r" (?:of|who|that|which) ", text)[0]
    if re.search(r",| and | or |&", head_text):
        return True
    head = head_text.split()
    if not head:
        return True
    last = head[-1]
    if last[:1].isupper() and not last.isupper():
        return False  # a name or a named office: 'Dr. Alan Okonkwo', 'Privacy Office'
    word = last.lower().strip(".")
    return word in PLURAL_COLLECTIVES or (word.endswith("s") and not word.endswith(("ss", "us", "is")))


def agree_verbs(template: str, values: dict[str, object]) -> str:
    """'{executives} approve' -> 'approves' when the value is one person or one office (English templates only)."""

    def verb(match: re.Match[str]) -> str:
        name, base = match.groups()
        value = values.get(name)
        if not isinstance(value, str) or plural_people(value):
            return "{" + name + "} " + base
        return "{" + name + "} " + ("does" if base == "do" else base + "s")

    return VERB_AFTER_RE.sub(verb, template)


EVERY_SLOT_RE = regex_cache.compile(r"\b([Ee]very|[Ee]ach|[Oo]ne) \{([a-z_]+)\}")


def agree_every(template: str, values: dict[str, object]) -> str:
    """'every {output}' (or 'each', 'one') with a plural value ('conversational answers') -> the value's singular written in
    ('every conversational answer'): the agreement is decided on the value, not on the whole sentence,
    where 'each letter goes' would be cut to 'goe'.
    """

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(2))
        if not isinstance(value, str) or not value or re.search(r",| and | or ", value):
            return match.group(0)
        if re.search(r" (?:to|of|for|from|with|in|on|about) ", value):
            return match.group(0)  # the head noun comes first ('answers to questions'): `english` agrees it after 'every'/'each'

        words = value.split(" ")
        last = words[-1]
        if not re.fullmatch(r"[a-z]{3,}s", last) or last.endswith(("ss", "us", "is")):
            return match.group(0)
        literal = " ".join([*words[:-1], singular(last)]).replace("{", "{{").replace("}", "}}")
        return f"{match.group(1)} {literal}"

    return EVERY_SLOT_RE.sub(one, template)


def english(text: str) -> str:
    """Counts agree with their nouns ('1 replica', '2 replicas', '1 request'), possessives follow the noun."""
    text = re.sub(r"(\S+)\u0000'", _possessive, text)
    text = S_POSSESSIVE_RE.sub(lambda m: "s" + m.group(1), text)  # a value formatted in before the template's markers were placed
    text = OPTIONAL_PLURAL_RE.sub(_count, text)
    text = EVERY_PLURAL_RE.sub(lambda m: m.group(0) if m.group(2).endswith(("ss", "us", "is")) else f"{m.group(1)} {singular(m.group(2))}", text)
    text = COGNATE_RE.sub(lambda m: ("W" if m.group(1).isupper() else "w") + "rite " + m.group(2), text)
    return ONE_PLURAL_RE.sub(lambda m: "1 " + singular(m.group(1) + "s"), text)


COGNATE_RE = re.compile(r"\b([Dd])raft\s+((?:(?:first|initial|rough|short|new)\s+)?drafts?)\b")
"""'can draft {outputs}' with outputs 'first drafts': the verb and its own noun doubled ('draft first drafts' -> 'write first drafts')."""


# --- Both languages ----------------------------------------------------------------------


def one_line(text: str) -> str:
    """A value on one line: line breaks (a YAML `|` quote, CRLF) become spaces."""
    return LINE_BREAK_RE.sub(" ", text)


def undouble(text: str) -> str:
    """'and and' -> 'and': a word repeated because an empty value sat between two template words."""
    return DOUBLED_RE.sub(lambda m: m.group(1), text)


def finish(text: str, language: str) -> str:
    """A filled template as the client reads it: one line, no both-forms particle, no '(s)', agreement."""
    text = undouble(one_line(text))
    if language == "ko":
        return attach_particles(text.replace("\u0000", ""))
    return english(text)


def cell(text: str) -> str:
    """A table cell: one line, no '|' that would split the row, quotes closed."""
    text = one_line(text).replace("|", "/").strip()
    if text.count('"') % 2:
        text += '"'
    return text


SHORT_FORMS = {
    "{inputs}": "{input}", "{outputs}": "{output}", "{users}": "{user}", "{baselines}": "{baseline}", "{metrics}": "{metric}",
    "{volume}": "{volume_short}",
    "{executives}": "{executives_short}", "{it_team}": "{it_team_short}",
    "{discovery}": "{discovery_short}", "{definition}": "{definition_short}",
}
"""A list placeholder and its first item: the shorter wording a writer may use to fit a word limit."""


def short_template(template: str) -> str:
    """The template with every list placeholder cut to its first item ('{inputs}' -> '{input}')."""
    for whole, first in SHORT_FORMS.items():
        template = template.replace(whole, first)
    return template
