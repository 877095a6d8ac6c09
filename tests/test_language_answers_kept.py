"""Language answers kept between processes (core/languages.py over core/kept.py): langcodes' answers, without importing it."""

from __future__ import annotations

import marshal
import subprocess
import sys

import pytest

from genai_planner.core import languages

QUESTIONS = ["en", "ko", "NO", "nb", "tl", "iw", "Swedish", "zh-Hant", "klingon", "", "florbish", "Latvia", "Icelandic"]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A process that has asked nothing yet, its kept file in a temporary folder, a library file of our own to stamp."""
    library = tmp_path / "library.py"
    library.write_text("v1")
    monkeypatch.setattr(languages, "CACHE_FILE", tmp_path / "__pycache__" / "languages.marshal")
    monkeypatch.setattr(languages, "_library_files", lambda: [str(library)])
    monkeypatch.setattr(sys, "dont_write_bytecode", False)

    def restart() -> None:
        monkeypatch.setattr(languages, "_answers", None)
        monkeypatch.setattr(languages, "_new", {})
        languages.normalise.cache_clear()

    restart()
    yield restart, library
    languages.normalise.cache_clear()


def _ask() -> list[object]:
    answers: list[object] = []
    for q in QUESTIONS:
        try:
            answers.append(languages.normalise(q))
        except ValueError as error:
            answers.append(("ValueError", str(error)))
        answers += [languages.is_iso_639_1(q), languages.name(q), languages.name(q, "ko"), languages.iso_639_1(q)]
    return answers + [languages.territory_name("AE", "en"), languages.territory_name("KR", "ko"), languages.territory_name("QQ", "en")]


def test_kept_answers_are_langcodes_answers(fresh):
    restart, _ = fresh
    first = _ask()
    assert first[:2] == ["en", True] and "Norwegian" in first and "한국어" in first and "United Arab Emirates" in first
    languages.save()
    restart()
    assert languages.CACHE_FILE.exists() and _ask() == first
    assert not languages._new  # every answer came from the file


def test_a_changed_library_file_voids_the_kept_answers(fresh):
    restart, library = fresh
    assert languages.name("sv") == "Swedish"
    languages.save()
    stamp, entries = marshal.loads(languages.CACHE_FILE.read_bytes())
    entries[("name", "sv", "en")] = "Swedish (an older langcodes)"
    languages.CACHE_FILE.write_bytes(marshal.dumps((stamp, entries)))
    restart()
    assert languages.name("sv") == "Swedish (an older langcodes)"  # the same library: the kept answer is used
    library.write_text("v2, a new release")
    restart()
    assert languages.name("sv") == "Swedish"  # the library changed: asked again


def test_unknown_language_still_raises_from_a_kept_answer(fresh):
    restart, _ = fresh
    for _ in range(2):
        with pytest.raises(ValueError, match="unknown language 'florbish'"):
            languages.normalise("florbish")
        languages.save()
        restart()


def test_a_process_with_kept_answers_does_not_import_langcodes(tmp_path):
    code = (
        "import sys; from pathlib import Path; from genai_planner.core import languages as L\n"
        f"L.CACHE_FILE = Path({str(tmp_path / 'kept.marshal')!r})\n"
        "print(L.name('ko'), L.normalise('Swedish'), L.iso_639_1('Icelandic'), 'langcodes' in sys.modules)\n"
    )
    env_free = {"PYTHONDONTWRITEBYTECODE": ""}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env(env_free)).stdout.split() for _ in range(2)]
    assert runs[0] == ["Korean", "sv", "is", "True"]
    assert runs[1] == ["Korean", "sv", "is", "False"]


def _env(extra: dict[str, str]) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **{k: v for k, v in extra.items() if v}}
