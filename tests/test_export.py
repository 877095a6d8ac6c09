"""The Word and Markdown exports: read back with python-docx, and rendered by LibreOffice to PDF and PNG."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.documents.markdown import checklist_items
from genai_planner.planning.brief import Brief
from genai_planner.run.export import CHECKED, EAST_ASIAN_FONT, LABELS, UNCHECKED, export_run
from genai_planner.run.presentation import constraint_rows, fact_rows
from tests.components import require
from tests.conftest import ENV_PREFIXES, ROOT, run_offline
from tests.korean_text import english_words, names_for
from tests.planning_samples import add_planning

ARTIFACTS = ROOT / "tests" / "artifacts"
SCENARIOS = {"en": "electronics_store", "ko": "hospital_discharge_ko"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One offline run per language, with a brief and figures in its manifest."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith(ENV_PREFIXES)}
    try:
        out = tmp_path_factory.mktemp("export-runs")
        dirs = {}
        for lang, scenario in SCENARIOS.items():
            run_dir = run_offline(ROOT / "scenarios" / f"{scenario}.yaml", out, use_memory=False).run_dir
            add_planning(run_dir, lang)
            dirs[lang] = run_dir
        return dirs
    finally:
        os.environ.update(saved)


def plain(markdown: str) -> str:
    """Inline Markdown as the reader sees it: no emphasis markers or backticks."""
    return re.sub(r"\*\*|\*|`", "", markdown).strip()


def markdown_docs(run_dir: Path) -> list[str]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return [(run_dir / d["file"]).read_text(encoding="utf-8") for d in manifest["documents"]]


def md_headings(text: str) -> list[tuple[int, str]]:
    return [(len(m.group(1)), plain(m.group(2))) for m in re.finditer(r"^(#{1,3}) (.+)$", text, re.MULTILINE)]


def md_tables(text: str) -> list[list[list[str]]]:
    tables, rows = [], []
    for line in text.splitlines() + [""]:
        if line.strip().startswith("|"):
            cells = [plain(c) for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            tables.append(rows)
            rows = []
    return tables


def docx_headings(document) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.split()[-1]), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]


def appendix_headings(lang: str) -> list[tuple[int, str]]:
    t = LABELS[lang]
    return [(1, t["appendix"]), (2, t["brief"]), (3, t["constraints"]), (3, t["facts"]), (2, t["assumptions"])]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_docx_reads_back_as_the_markdown_documents(runs: dict[str, Path], tmp_path: Path, lang: str) -> None:
    """Headings, table cells, check boxes and citations in the .docx are those of the five Markdown documents."""
    run_dir = runs[lang]
    path = export_run(run_dir, "docx", tmp_path / f"plan-{lang}.docx")
    document = Document(str(path))
    docs = markdown_docs(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))

    # Title page: organisation, use case, date, engine and model.
    title = document.paragraphs[0]
    assert title.style.name == "Title"
    organisation = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["scenario"]["organisation"]
    assert title.text == organisation
    front = "\n".join(p.text for p in document.paragraphs[:8])
    assert manifest["engine"] in front and manifest["model"] in front and manifest["finished_at"][:4] in front

    # A real TOC field over heading levels 1-2.
    instructions = [e.text for e in document.element.body.iter(qn("w:instrText"))]
    assert any(i.startswith('TOC \\o "1-2"') for i in instructions), instructions

    # Every heading, at its level, in order; then the appendix.
    expected = [h for text in docs for h in md_headings(text)]
    assert len([h for h in expected if h[0] == 1]) == 5
    assert docx_headings(document) == expected + appendix_headings(lang)

    # Every Markdown table is a Word table with the same cells (the appendix tables follow).
    expected_tables = [t for text in docs for t in md_tables(text)]
    assert expected_tables, "the documents hold a rubric and a scores table"
    got = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert got[: len(expected_tables)] == expected_tables
    assert len(got) == len(expected_tables) + 3  # constraints, facts, assumptions

    # Checklist items are check boxes with the same text.
    expected_boxes = [plain(re.sub(r"^[-*+]\s+\[([ xX])\]\s+", "", i.strip())) for text in docs for i in checklist_items(text)]
    boxes = [p.text for p in document.paragraphs if p.text.startswith((CHECKED, UNCHECKED))]
    assert len(expected_boxes) >= 16
    assert boxes == [f"{UNCHECKED} {b}" for b in expected_boxes]
    assert all(p.style.name == "Checklist" for p in document.paragraphs if p.text.startswith(UNCHECKED))

    # Citations stay inline, as runs of their own style; each document keeps its sources section.
    citations = [r.text for p in document.paragraphs for r in p.runs if r.style.name == "Citation"]
    cells = [r.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs if r.style.name == "Citation"]
    assert sorted(citations + cells) == sorted(c for text in docs for c in re.findall(r"\[S\d+\]", text))
    assert [h for h in docx_headings(document) if h == (2, LABELS[lang]["sources"])] == [(2, LABELS[lang]["sources"])] * 5

    # The appendix: every hard constraint and fact with its evidence (in the run's language), every assumption behind the figures.
    appendix_text = [[c.text for c in row.cells] for table in document.tables[-3:] for row in table.rows]
    for assumption in manifest["figures"]["assumptions"]:
        assert [assumption["name"], assumption["value"], assumption["reason"]] in appendix_text
    brief = Brief.model_validate(manifest["brief"])
    for row in constraint_rows(brief, lang) + fact_rows(brief, lang):
        assert list(row) in appendix_text, row
    residency = manifest["brief"]["constraints"]["data_residency"]["evidence"]
    assert any((residency.get("quote") or "") in row[2] for row in appendix_text)

    # What the export itself writes (title page, appendix) is in the run's language: a Korean one holds no English words but names.
    if lang == "ko":
        headings = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 1"]
        own = [p.text for p in document.paragraphs[: headings[0]] + document.paragraphs[headings[-1] :]] + [c for row in appendix_text for c in row]
        english = english_words(own, names_for(manifest))
        assert not english, f"English left in a Korean export: {sorted(english)}"

    # Hangul needs an East Asian font: named on the defaults and on the heading styles for Korean only.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = [defaults.find(qn("w:rFonts")), document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))]
    if lang == "ko":
        assert all(f.get(qn("w:eastAsia")) == EAST_ASIAN_FONT and f.get(qn("w:eastAsiaTheme")) is None for f in fonts)
        assert defaults.find(qn("w:lang")).get(qn("w:val")) == "ko-KR"
        assert HANGUL.search(document.paragraphs[1].text), "the subtitle is Korean"
    else:
        assert all(f.get(qn("w:eastAsia")) is None for f in fonts)


def test_markdown_export_is_one_file_with_every_document(runs: dict[str, Path], tmp_path: Path) -> None:
    """--format md: title block, contents, each document's own Markdown, the appendix."""
    run_dir = runs["en"]
    path = export_run(run_dir, "md", tmp_path)
    assert path == tmp_path / f"{run_dir.name}.md"
    text = path.read_text(encoding="utf-8")
    for doc in markdown_docs(run_dir):
        assert doc.strip() in text
    assert text.startswith("# BrightWave Electronics: ")
    assert f"# {LABELS['en']['appendix']}" in text and "| Constraint | Value | Evidence |" in text
    assert [h for h in md_headings(text) if h[0] == 1][1:6] == [(1, d.splitlines()[0][2:]) for d in markdown_docs(run_dir)]


def test_export_without_brief_or_figures_still_works(runs: dict[str, Path], tmp_path: Path) -> None:
    """Older runs have neither key: the appendix says so instead of failing."""
    run_dir = tmp_path / runs["en"].name
    shutil.copytree(runs["en"], run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    for key in ("brief", "figures"):
        manifest.pop(key, None)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    document = Document(str(export_run(run_dir, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert LABELS["en"]["no_brief"] in texts and LABELS["en"]["no_figures"] in texts


def test_failed_document_says_which_checks_still_fail(runs: dict[str, Path], tmp_path: Path) -> None:
    """A document that did not pass carries a note naming its failing checks, in the run's language."""
    run_dir = tmp_path / runs["ko"].name
    shutil.copytree(runs["ko"], run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    doc = manifest["documents"][0]
    doc["status"] = "failed"
    doc["iterations"][-1]["checks"].append({"id": "total_words", "passed": False, "detail": "document has 392 words, limit 300: shorten it by 92"})
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    document = Document(str(export_run(run_dir, "docx")))
    notes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert any("실패" in n for n in notes) and any("total_words" in n and "392어절" in n for n in notes), notes


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_export_writes_into_the_run_directory(runs: dict[str, Path]) -> None:
    run_dir = runs["en"]
    result = cli("export", run_dir.name, "-o", str(run_dir.parent))
    assert result.exit_code == 0, result.output
    assert (run_dir / f"{run_dir.name}.docx").is_file()
    assert f"{run_dir.name}.docx" in result.stdout


@pytest.mark.parametrize(
    "case, needle",
    [("unknown_run", "unknown run id"), ("unknown_format", "unknown export format"), ("unwritable_out", "cannot write")],
)
def test_cli_export_bad_input_is_one_line(runs: dict[str, Path], tmp_path: Path, case: str, needle: str) -> None:
    run_dir = runs["en"]
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    args = {
        "unknown_run": ["export", "no-such-run", "-o", str(run_dir.parent)],
        "unknown_format": ["export", run_dir.name, "--format", "pdf", "-o", str(run_dir.parent)],
        "unwritable_out": ["export", run_dir.name, "--out", str(blocker / "plan.docx"), "-o", str(run_dir.parent)],
    }[case]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], result.stderr
    assert "Traceback" not in result.output


# --- rendered by a real word processor ---------------------------------------------------------


def need(*binaries: str) -> None:
    """Skip locally, fail in CI, when a real component is missing."""
    missing = [b for b in binaries if not shutil.which(b)]
    if missing:
        require(", ".join(missing), "not on PATH (apt-get install libreoffice-writer poppler-utils fonts-noto-cjk)")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def to_pdf(docx: Path, tmp_path: Path) -> Path:
    profile = (tmp_path / "lo-profile").as_uri()
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    pdf = tmp_path / f"{docx.stem}.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    return pdf


def gray_pixels(pdf: Path, page: int, tmp_path: Path) -> bytes:
    """One page as 8-bit grey pixels (pdftoppm's PGM), header stripped."""
    prefix = tmp_path / f"grey-{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)], check=True, timeout=120)
    data = (tmp_path / f"grey-{page}.pgm").read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return pixels[: int(width) * int(height)]


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_docx_renders_in_libreoffice(runs: dict[str, Path], tmp_path: Path, lang: str) -> None:
    """LibreOffice lays the .docx out as pages: one page opens each document with its title and its sections follow;
    the Korean pages show Hangul in a CJK font."""
    need("soffice", "pdftotext", "pdftoppm", "pdffonts")
    run_dir = runs[lang]
    pdf = to_pdf(export_run(run_dir, "docx", tmp_path / f"plan-{lang}.docx"), tmp_path)
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    lines = [[squeeze(ln) for ln in p.splitlines() if ln.strip()] for p in pages]  # pdftotext spaces Latin from Hangul

    hint = next(i for i, p in enumerate(lines) if squeeze(LABELS[lang]["toc_hint"])[:20] in "".join(p))
    docs = markdown_docs(run_dir)
    titles = [squeeze(d.splitlines()[0][2:]) for d in docs]
    starts = [i for i in range(hint + 1, len(lines)) if lines[i] and lines[i][0] in titles]
    assert [lines[i][0] for i in starts] == titles, "each document starts a page with its title, in order"
    ends = starts[1:] + [next(i for i in range(starts[-1], len(lines)) if lines[i] and lines[i][0] == squeeze(LABELS[lang]["appendix"]))]
    for doc, start, end in zip(docs, starts, ends, strict=True):
        body = [ln for page in lines[start:end] for ln in page]
        wanted = [squeeze(text) for level, text in md_headings(doc) if level == 2]
        found = [ln for ln in body if ln in wanted]
        assert [w for w in wanted if w in found] == wanted, f"every section heading of {doc.splitlines()[0]} is on its pages"

    first_doc_page = starts[0] + 1
    ARTIFACTS.mkdir(exist_ok=True)
    shots = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(first_doc_page + 1), str(pdf), str(ARTIFACTS / f"export-{lang}")]
    subprocess.run(shots, check=True, timeout=120)
    pixels = gray_pixels(pdf, first_doc_page, tmp_path)
    ink = sum(1 for b in pixels if b < 128) / len(pixels)
    assert ink > 0.01, f"page {first_doc_page} is blank ({ink:.2%} dark pixels)"
    if lang == "ko":
        assert len(HANGUL.findall(pages[starts[0]])) > 100
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "CJK" in fonts, fonts
