"""Korean tokenisation for BM25: two tokenisers that agree on the shipped knowledge base.

Korean attaches particles and endings to words ("청킹을", "보호하려면"), so whole-word
matching misses. Two ways to get at the content morphemes:

- `kiwi_tokenize`: kiwipiepy's morphological analyser. Accurate on any text, but its model
  costs ~1-3 s to load and ~300 MB of memory. Used for text we did not ship (the user's
  `--docs`, a custom knowledge directory) and to build the lexicon below.
- `LexiconTokenizer`: splits each Hangul run into the longest words of a fixed lexicon and
  drops what is left over (particles, endings). The lexicon is every content morpheme kiwi
  finds in the shipped Korean knowledge base (`tools/data/knowledge/ko_lexicon.txt`, built
  by `python scripts/build_ko_lexicon.py`; a test keeps it in sync). On that knowledge base
  it retrieves as well as kiwi (tests/test_retrieval.py) without loading kiwi's model, so a
  Korean run stays small and starts fast.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from genai_planner.core import regex_cache

LEXICON_FILE = Path(__file__).parent / "data" / "knowledge" / "ko_lexicon.txt"
CONTENT_TAGS = ("NNG", "NNP", "NR", "SL", "SN", "XR", "VV", "VA", "SH")
"""Kiwi tags kept as search terms: nouns, numerals, foreign words, roots, verb/adjective stems."""

_WORDS = regex_cache.compile(r"[가-힣]+|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_KIWI_LOCK = threading.Lock()  # tool calls run in worker threads; load the model once

_PARTICLES = tuple("에서는 으로는 에서 으로 에게 까지 부터 처럼 보다 을 를 이 가 은 는 의 에 로 와 과 도 만".split())
"""Particles stripped from the end of a word the lexicon does not know."""

Tokenizer = Callable[[str], list[str]]


@lru_cache(maxsize=1)
def _kiwi_instance():  # type: ignore[no-untyped-def]
    from kiwipiepy import Kiwi

    # Without the multi-word and typo dictionaries: a third less memory, same retrieval quality.
    return Kiwi(load_multi_dict=False, load_typo_dict=False)


def _kiwi():  # type: ignore[no-untyped-def]
    with _KIWI_LOCK:
        return _kiwi_instance()


def kiwi_morphemes(text: str) -> list[str]:
    """Content morphemes of `text` as kiwi analyses them (English words lower-cased)."""
    return [tok.form.lower() if tok.tag == "SL" else tok.form for tok in _kiwi().tokenize(text) if tok.tag.startswith(CONTENT_TAGS)]


def kiwi_tags(text: str) -> list[tuple[str, str]]:
    """(form, part-of-speech tag) of every morpheme kiwi finds in `text`, in order (the document checks read predicates with it)."""
    return [(tok.form, tok.tag) for tok in _kiwi().tokenize(text)]


@lru_cache(maxsize=8192)
def _tags(text: str) -> tuple[tuple[str, str, int], ...]:
    return tuple((tok.form, tok.tag, tok.start) for tok in _kiwi().tokenize(text))


@lru_cache(maxsize=8192)
def strip_particles(word: str) -> str:
    """`word` without the particles kiwi reads at its end: '민원을' -> '민원', '병원에서는' -> '병원',
    '진료과별로' -> '진료과별'; '회의', '가치', '데이터' keep their last syllable (kiwi reads one noun,
    where a list of particle endings would cut '의', '치'... off any word that happens to end in one).
    """
    tags = _tags(word)
    end = len(word)
    for _form, tag, start in reversed(tags):
        if not tag.startswith("J"):
            break
        end = start
    return word[:end].rstrip() if 0 < end < len(word) else word


NEGATING_MORPHEMES = frozenset({("않", "VX"), ("못하", "VX"), ("못", "MAG"), ("안", "MAG"), ("아니", "VCN"), ("없", "VA"), ("없이", "MAG"), ("말", "VX")})
"""Korean denies with grammar: '-지 않다', '-지 못하다', '못'/'안' before a verb, '아니다', '없다', '-지 말고'."""


def ko_negated(text: str) -> bool:
    """Whether a Korean clause denies what it says, read from its morphemes: '전송하지 않습니다',
    'API가 아닌', '나갈 일은 없습니다', '클라우드 말고' deny; '잘못된 기록을 보냅니다' does not, though it
    holds '못' (a substring test would call it a negation and let the sending pass).
    """
    tags = _tags(text)
    for i, (form, tag, _) in enumerate(tags):
        if (form, tag) in NEGATING_MORPHEMES:
            return True
        if form == "말" and tag == "VV" and i + 1 < len(tags) and tags[i + 1][:2] == ("고", "EC"):  # 'A 말고 B': not A but B
            return True
    return False


def kiwi_tokenize(text: str, english: Tokenizer) -> list[str]:
    """Kiwi's content morphemes, with ASCII words passed through the English tokeniser."""
    out: list[str] = []
    for form in kiwi_morphemes(text):
        out.extend(english(form) if form.isascii() else [form])
    return out


def build_lexicon(texts: Iterable[str]) -> list[str]:
    """The sorted Hangul content morphemes kiwi finds in `texts` (what `ko_lexicon.txt` holds)."""
    return sorted({m for text in texts for m in kiwi_morphemes(text) if not m.isascii()})


class LexiconTokenizer:
    """Segments Hangul runs into lexicon words; ASCII words go to the English tokeniser.

    Each run is split by dynamic programming: cover as many characters with lexicon words as
    possible, then prefer more multi-character words (so "개인정보" becomes 개인 + 정보, as
    kiwi splits it) over fewer. Uncovered characters after a word are particles or endings
    and are dropped; an uncovered stretch of two or more characters before the first word
    (a word the lexicon lacks) is kept, less a trailing particle, so unknown terms still
    match themselves.
    """

    def __init__(self, lexicon: Iterable[str], english: Tokenizer):
        self.lexicon = frozenset(w for w in lexicon if w)
        if not self.lexicon:
            raise ValueError("the Korean lexicon is empty")
        self.longest = max(map(len, self.lexicon))
        self.english = english
        self._segmented: dict[str, list[str]] = {}  # a run's pieces: the notes repeat their words (halves the index build)

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for match in _WORDS.finditer(text):
            word = match.group()
            if word.isascii():
                out.extend(self.english(word))
                continue
            pieces = self._segmented.get(word)
            if pieces is None:
                pieces = self._segmented[word] = self.segment(word)
            out.extend(pieces)
        return out

    def segment(self, run: str) -> list[str]:
        """Lexicon words in one Hangul run, in order."""
        n = len(run)
        # best[j] = (characters covered, score, start of the last piece, last piece is a word)
        best: list[tuple[int, int, int, bool] | None] = [None] * (n + 1)
        best[0] = (0, 0, -1, False)
        for i in range(n):
            here = best[i]
            if here is None:
                continue
            covered, score = here[0], here[1]
            self._offer(best, i + 1, (covered, score, i, False))
            for length in range(1, min(self.longest, n - i) + 1):
                if run[i : i + length] in self.lexicon:
                    self._offer(best, i + length, (covered + length, score + (1 if length > 1 else -1), i, True))
        pieces: list[tuple[int, int, bool]] = []
        j = n
        while j > 0:
            step = best[j]
            assert step is not None
            pieces.append((step[2], j, step[3]))
            j = step[2]
        tokens: list[str] = []
        pending = ""
        for start, end, is_word in reversed(pieces):
            if is_word:
                if len(pending) >= 2 and not tokens:
                    tokens.append(_strip_particle(pending))
                pending = ""
                tokens.append(run[start:end])
            else:
                pending += run[start:end]
        if not tokens and pending:
            tokens.append(_strip_particle(pending))
        return tokens

    @staticmethod
    def _offer(best: list, j: int, candidate: tuple[int, int, int, bool]) -> None:
        if best[j] is None or candidate[:2] > best[j][:2]:
            best[j] = candidate


def _strip_particle(word: str) -> str:
    for particle in _PARTICLES:
        if len(word) > len(particle) + 1 and word.endswith(particle):
            return word[: -len(particle)]
    return word


@lru_cache(maxsize=1)
def shipped_lexicon() -> tuple[str, ...]:
    """The lexicon built from the shipped Korean knowledge base."""
    lines = LEXICON_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))
