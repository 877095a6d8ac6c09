"""Export a finished run as one Word document, or as one Markdown file.

The people who commission a plan pass it around as a Word file. `export_run` reads a run
directory (manifest.json, run.json and the five documents) and writes:

- `docx`: a title page (organisation, use case, date, engine and model), a table of
  contents (a real TOC field: Word fills in page numbers when it opens the file), the
  documents with Word's heading styles, every Markdown table as a Word table, checklists as
  check boxes (☐ / ☑), citations kept inline and a sources section per document, and an
  appendix with the brief and the figures' assumptions. Korean runs set an East Asian font
  on every style so Hangul renders.
- `md`: the same content as one Markdown file.

Documents are parsed with markdown-it (the parser the HTML report uses), so what the
Word file shows is exactly what the Markdown says. The only XML written by hand is what
python-docx has no API for: the TOC field, the East Asian font and language, and the
setting that asks Word to refresh fields on open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from genai_planner.core import regex_cache
from genai_planner.core.errors import InputError
from genai_planner.documents.markdown import CITATION_RE
from genai_planner.documents.sources import source_line
from genai_planner.planning.brief import Brief
from genai_planner.planning.figures import Figures
from genai_planner.run.presentation import check_detail, constraint_rows, fact_rows, lang_of, load_brief, load_figures, word

FORMATS = ("docx", "md")
EAST_ASIAN_FONT = "Malgun Gothic"
"""The Hangul font named in every style of a Korean export: it ships with Windows and with Office for Mac.
Where it is missing (LibreOffice on Linux) the viewer substitutes an installed CJK font such as Noto Sans CJK KR."""
LANGUAGE_TAGS = {"en": "en-US", "ko": "ko-KR"}
CHECKED, UNCHECKED = "☑", "☐"
CHECKBOX_RE = regex_cache.compile(r"^\[([ xX])\]\s+")
NUMERIC_RE = regex_cache.compile(r"^[-+]?[\d.,]+\s*%?$")

LABELS = {
    "en": {
        "subtitle": "Generative-AI adoption plan", "use_case": "Use case", "date": "Date", "engine": "Engine and model",
        "run": "Run", "status": "Status", "contents": "Contents",
        "toc_hint": "Word fills in page numbers when it updates this table (it asks when the file opens).",
        "sources": "Sources", "appendix": "Appendix: brief and assumptions", "brief": "What the planner understood",
        "constraints": "Hard constraints", "facts": "Facts", "assumptions": "Assumptions behind the figures",
"constraint": "Constraint", "fact": "Fact", "value": "Value", "evidence": "Evidence",
        "name": "Assumption", "reason": "Why", "no_brief": "This run recorded no brief.", "no_figures": "This run recorded no figures.",
        "not_passed": "This document did not pass all of its checks ({status}).", "still_failing": "Checks still failing:",
        "not_written": "This document was not written ({status}).",
    },
    "ko": {
        "subtitle": "생성형 AI 도입 계획", "use_case": "사용 사례", "date": "작성일", "engine": "엔진과 모델",
        "run": "실행", "status": "상태", "contents": "목차",
        "toc_hint": "문서 편집기에서 이 목차를 업데이트하면 쪽 번호가 채워집니다(파일을 열 때 묻습니다).",
        "sources": "출처", "appendix": "부록: 브리프와 가정", "brief": "기획 단계에서 파악한 내용",
        "constraints": "필수 제약", "facts": "사실", "assumptions": "수치 산정의 가정",
"constraint": "제약", "fact": "항목", "value": "값", "evidence": "근거",
        "name": "가정", "reason": "이유", "no_brief": "이 실행에는 브리프 기록이 없습니다.", "no_figures": "이 실행에는 수치 기록이 없습니다.",
        "not_passed": "이 문서는 일부 검사를 통과하지 못했습니다({status}).", "still_failing": "여전히 실패한 검사:",
        "not_written": "이 문서는 작성되지 않았습니다({status}).",
    },
}


@dataclass
class ExportedDocument:
    """One planning document as the export shows it."""

    id: str
    title: str
    status: str
    markdown: str | None
    failing: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Bundle:
    """Everything one export needs, read from a run directory."""

    run_id: str
    language: str
    organisation: str
    use_case: str
    date: str
    engine: str
    model: str
    status: str
    documents: list[ExportedDocument]
    brief: Brief | None
    figures: Figures | None

    @property
    def labels(self) -> dict[str, str]:
        """The export's labels in the run's language."""
        return LABELS[self.language]


def _json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _date(timestamp: Any, language: str) -> str:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(timestamp or ""))
    if not match:
        return "—"
    year, month, day = match.groups()
    return f"{year}년 {int(month)}월 {int(day)}일" if language == "ko" else f"{year}-{month}-{day}"


def load_bundle(run_dir: Path) -> Bundle:
    """Read what the export shows from a finished run directory.

    Args:
        run_dir: A run directory holding manifest.json (and run.json, the documents).

    Returns:
        The bundle; `brief` and `figures` are None for runs that did not record them.

    Raises:
        InputError: The run has no manifest yet (still running, or stopped before the end).
    """
    manifest = _json(run_dir / "manifest.json")
    if not manifest:
        raise InputError(f"run {run_dir.name} has no manifest.json yet (still running or interrupted); resume it first")
    saved = _json(run_dir / "run.json")
    scenario = saved.get("scenario") or {}
    language = lang_of(manifest)
    brief = load_brief(manifest)
    documents = []
    for doc in manifest.get("documents", []):
        path = run_dir / str(doc.get("file") or "")
        iterations = doc.get("iterations") or []
        failing = [c for c in (iterations[-1].get("checks", []) if iterations else []) if not c.get("passed")]
        documents.append(
            ExportedDocument(
                id=str(doc.get("id")),
                title=str(doc.get("title") or doc.get("id")),
                status=str(doc.get("status")),
                markdown=path.read_text(encoding="utf-8") if doc.get("file") and path.is_file() else None,
                failing=failing,
                reason=doc.get("reason"),
                sources=list(doc.get("sources") or []),
            )
        )
    organisation = scenario.get("organisation") or (brief.organisation.value if brief else None) or manifest.get("scenario") or run_dir.name
    return Bundle(
        run_id=str(manifest.get("run_id") or run_dir.name),
        language=language,
        organisation=str(organisation),
        use_case=" ".join(str(scenario.get("use_case") or (brief.summary if brief else "")).split()),
        date=_date(manifest.get("finished_at") or manifest.get("started_at"), language),
        engine=str(manifest.get("engine") or "—"),
        model=str(manifest.get("model") or "—"),
        status=str(manifest.get("status") or "—"),
        documents=documents,
        brief=brief,
        figures=load_figures(manifest),
    )


def default_path(run_dir: Path, fmt: str) -> Path:
    """Where an export goes without `--out`: the run directory, named after the run."""
    return run_dir / f"{run_dir.name}.{fmt}"


def export_run(run_dir: Path, fmt: str, out: Path | None = None) -> Path:
    """Write a run's documents as one file.

    Args:
        run_dir: The run directory.
        fmt: `docx` or `md`.
        out: The file to write; a directory gets the default file name inside it; None
            writes into the run directory.

    Returns:
        The written file.

    Raises:
        InputError: Unknown format, a run without a manifest, or a file that cannot be written.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    bundle = load_bundle(run_dir)
    path = default_path(run_dir, fmt) if out is None else (out / default_path(run_dir, fmt).name if out.is_dir() else out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "docx":
            build_docx(bundle).save(str(path))
        else:
            path.write_text(render_markdown(bundle), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


# --- Markdown --------------------------------------------------------------------------------


def _sources_heading(text: str, language: str) -> bool:
    return bool(re.search(rf"^##\s+{re.escape(LABELS[language]['sources'])}\s*$", text, re.MULTILINE))


def _sources_markdown(doc: ExportedDocument, language: str) -> str:
    """A `## Sources` section from the manifest, for a document whose Markdown has none."""
    cited = set(CITATION_RE.findall(doc.markdown or ""))
    lines = [source_line(s, language) for s in doc.sources if s.get("id") in cited]
    return f"\n## {LABELS[language]['sources']}\n\n" + "\n".join(lines) + "\n" if lines else ""


def document_markdown(doc: ExportedDocument, language: str) -> str:
    """One document's Markdown as exported: its own text, a status note when it did not pass, sources."""
    t = LABELS[language]
    if doc.markdown is None:
        return f"# {doc.title}\n\n> {t['not_written'].format(status=word(doc.status, language))}\n"
    text = doc.markdown.strip() + "\n"
    if not _sources_heading(text, language):
        text += _sources_markdown(doc, language)
    if doc.status != "passed":
        lines = [f"> {t['not_passed'].format(status=word(doc.status, language))}"]
        if doc.failing:
            lines.append(f"> {t['still_failing']} " + "; ".join(f"`{c.get('id')}`: {check_detail(c.get('detail'), language)}" for c in doc.failing))
        title, _, rest = text.partition("\n")
        text = f"{title}\n\n" + "\n>\n".join(lines) + "\n" + rest if title.startswith("# ") else "\n".join(lines) + "\n\n" + text
    return text


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def appendix_markdown(bundle: Bundle) -> str:
    """The appendix as Markdown: the brief's constraints and facts with evidence, the figures' assumptions."""
    t, lang = bundle.labels, bundle.language
    parts = [f"# {t['appendix']}\n", f"## {t['brief']}\n"]
    if bundle.brief is None:
        parts.append(f"{t['no_brief']}\n")
    else:
        parts.append(f"### {t['constraints']}\n\n" + _md_table([t["constraint"], t["value"], t["evidence"]], constraint_rows(bundle.brief, lang)))
        parts.append(f"### {t['facts']}\n\n" + _md_table([t["fact"], t["value"], t["evidence"]], fact_rows(bundle.brief, lang)))
    parts.append(f"## {t['assumptions']}\n")
    if bundle.figures is None:
        parts.append(f"{t['no_figures']}\n")
    else:
        rows = [(a.name, a.value, a.reason) for a in bundle.figures.assumptions]
        parts.append(_md_table([t["name"], t["value"], t["reason"]], rows))
    return "\n".join(parts)


def render_markdown(bundle: Bundle) -> str:
    """The whole export as one Markdown file: title block, contents, the documents, the appendix."""
    t = bundle.labels
    head = [
        f"# {bundle.organisation}: {t['subtitle']}\n",
        f"- **{t['use_case']}:** {bundle.use_case}",
        f"- **{t['date']}:** {bundle.date}",
        f"- **{t['engine']}:** {bundle.engine} ({bundle.model})",
        f"- **{t['run']}:** `{bundle.run_id}` · {t['status']}: {word(bundle.status, bundle.language)}\n",
        f"## {t['contents']}\n",
    ]
    head += [f"{i}. {d.title}" for i, d in enumerate(bundle.documents, 1)] + [f"{len(bundle.documents) + 1}. {t['appendix']}\n"]
    body = [document_markdown(d, bundle.language) for d in bundle.documents] + [appendix_markdown(bundle)]
    return "\n".join(head) + "\n---\n\n" + "\n---\n\n".join(body)


# --- Word ------------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def _east_asian(rpr: Any, font: str | None, language: str) -> None:
    """Name the East Asian font (dropping the theme font that would override it) and the language of a run-properties element."""
    if font:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), font)
        fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE_TAGS.get(language, "en-US"))
    lang.set(qn("w:eastAsia"), "ko-KR" if language == "ko" else "en-US")


def _settings(document: DocxDocument, language: str) -> None:
    """Ask Word to refresh fields (the TOC's page numbers) on open; Korean theme fonts for Korean runs."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = next((c for c in settings if c.tag in {qn(f"w:{n}") for n in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}), None)
    if later is not None:
        later.addprevious(update)
    else:
        settings.append(update)
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None and language == "ko":
        theme.set(qn("w:eastAsia"), "ko-KR")


def _setup_styles(document: DocxDocument, language: str) -> None:
    """Citation and checklist styles; for Korean, an East Asian font on the defaults and every style."""
    styles = document.styles
    citation = styles.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    citation.font.color.rgb = RGBColor(0x4A, 0x5F, 0x85)
    code = styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Consolas"
    code.font.size = Pt(9)
    checklist = styles.add_style("Checklist", WD_STYLE_TYPE.PARAGRAPH)
    checklist.base_style = styles["List Paragraph"]
    checklist.paragraph_format.first_line_indent = Pt(-14)
    checklist.paragraph_format.space_after = Pt(2)
    for level in (1, 2):
        toc = styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = styles["Normal"]
        toc.paragraph_format.left_indent = Pt(14 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.font.bold = level == 1
    font = EAST_ASIAN_FONT if language == "ko" else None
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
        _east_asian(rpr_default.find(qn("w:rPr")), font, language)
    if font:
        for style in styles:
            if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
                rpr = style.element.rPr
                if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
                    _east_asian(rpr, font, language)


def _field(paragraph: Paragraph, kind: str, instruction: str | None = None) -> None:
    """One piece of a complex field: begin (with its instruction), separate or end."""
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")
    run._r.append(char)
    if instruction:
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = instruction
        paragraph.add_run()._r.append(text)


class _Writer:
    """Walks markdown-it tokens and adds python-docx paragraphs, runs and tables."""

    def __init__(self, document: DocxDocument):
        self.doc = document
        self.lists: list[dict[str, Any]] = []
        self.numbering = document.part.numbering_part.element
        self.abstract_number = self.numbering.num_having_numId(document.styles["List Number"].element.pPr.numPr.numId.val).abstractNumId.val

    def heading(self, text: str, level: int, page_break: bool = False) -> Paragraph:
        paragraph = self.doc.add_heading(level=min(level, 4))
        self.inline_text(paragraph, text)
        paragraph.paragraph_format.page_break_before = page_break
        return paragraph

    def inline_text(self, paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False, style: str | None = None) -> None:
        """Add text as runs, citations `[S3]` in the Citation style."""
        for i, piece in enumerate(re.split(r"(\[S\d+\])", text)):
            if not piece:
                continue
            run = paragraph.add_run(piece, style="Citation" if i % 2 else style)
            run.bold = bold or None
            run.italic = italic or None

    def inline(self, paragraph: Paragraph, token: Token, strip_checkbox: bool = False) -> None:
        bold = italic = False
        children = list(token.children or [])
        if strip_checkbox and children and children[0].type == "text":
            children[0] = Token("text", "", 0, content=CHECKBOX_RE.sub("", children[0].content, count=1))
        for child in children:
            if child.type == "text":
                self.inline_text(paragraph, child.content, bold, italic)
            elif child.type == "code_inline":
                paragraph.add_run(child.content, style="Code")
            elif child.type in ("strong_open", "strong_close"):
                bold = child.type == "strong_open"
            elif child.type in ("em_open", "em_close"):
                italic = child.type == "em_open"
            elif child.type == "softbreak":
                paragraph.add_run(" ")
            elif child.type == "hardbreak":
                paragraph.add_run().add_break()
            elif child.type == "image":
                self.inline_text(paragraph, child.content, bold, italic)
            # link_open/close: the link text is kept; a Word reader has no use for run-relative hrefs

    def list_paragraph(self, inline: Token) -> Paragraph:
        """A list item's first paragraph: a check box, a bullet, or a number in its own list."""
        current = self.lists[-1]
        depth = min(len(self.lists), 3)
        match = CHECKBOX_RE.match(inline.content)
        if match and not current["ordered"]:
            paragraph = self.doc.add_paragraph(style="Checklist")
            paragraph.paragraph_format.left_indent = Pt(14 + 18 * depth)
            paragraph.add_run((CHECKED if match.group(1) in "xX" else UNCHECKED) + " ")
            self.inline(paragraph, inline, strip_checkbox=True)
            return paragraph
        suffix = "" if depth == 1 else f" {depth}"
        if current["ordered"]:
            paragraph = self.doc.add_paragraph(style=f"List Number{suffix}")
            if current["num_id"] is None:
                num = self.numbering.add_num(self.abstract_number)
                num.add_lvlOverride(ilvl=0).add_startOverride(current["start"])
                current["num_id"] = num.numId
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = current["num_id"]
        else:
            paragraph = self.doc.add_paragraph(style=f"List Bullet{suffix}")
        self.inline(paragraph, inline)
        return paragraph

    def table(self, tokens: list[Token], start: int) -> int:
        """A Markdown table as a Word table; returns the index after `table_close`."""
        rows: list[list[Token]] = []
        header_rows = 0
        i = start
        while tokens[i].type != "table_close":
            t = tokens[i]
            if t.type == "tr_open":
                rows.append([])
            elif t.type == "inline":
                rows[-1].append(t)
            elif t.type == "thead_close":
                header_rows = len(rows)
            i += 1
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, row in enumerate(rows):
            for c, inline in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, inline)
                if r < header_rows:
                    for run in paragraph.runs:
                        run.bold = True
                elif NUMERIC_RE.match(inline.content.strip()):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _fit_columns(self.doc, table, [[inline.content for inline in row] for row in rows])
        self.doc.add_paragraph()
        return i + 1

    def markdown(self, text: str, first_heading_page_break: bool = False) -> None:
        tokens = _MD.parse(text)
        i, in_item, item_paragraphs = 0, False, 0
        quote = 0
        first_heading = True
        while i < len(tokens):
            t = tokens[i]
            if t.type == "heading_open":
                self.heading(tokens[i + 1].content, int(t.tag[1]), page_break=first_heading and first_heading_page_break)
                first_heading = False
                i += 3
                continue
            if t.type == "table_open":
                i = self.table(tokens, i)
                continue
            if t.type in ("bullet_list_open", "ordered_list_open"):
                start = int(t.attrGet("start") or 1)
                self.lists.append({"ordered": t.type == "ordered_list_open", "start": start, "num_id": None})
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif t.type == "list_item_open":
                in_item, item_paragraphs = True, 0
            elif t.type == "list_item_close":
                in_item = False
            elif t.type == "blockquote_open":
                quote += 1
            elif t.type == "blockquote_close":
                quote -= 1
            elif t.type == "inline" and tokens[i - 1].type == "paragraph_open":
                if in_item and self.lists:
                    if item_paragraphs == 0:
                        self.list_paragraph(t)
                    else:
                        self.inline(self.doc.add_paragraph(style="List Continue"), t)
                    item_paragraphs += 1
                else:
                    self.inline(self.doc.add_paragraph(style="Quote" if quote else None), t)
            elif t.type in ("fence", "code_block"):
                paragraph = self.doc.add_paragraph(style="No Spacing")
                for n, line in enumerate(t.content.rstrip("\n").split("\n")):
                    if n:
                        paragraph.add_run().add_break()
                    paragraph.add_run(line, style="Code")
            i += 1

    def rows_table(self, headers: list[str], rows: list[tuple[str, ...]]) -> None:
        """A table of plain values (the appendix)."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        for c, header in enumerate(headers):
            table.cell(0, c).paragraphs[0].add_run(header).bold = True
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                table.cell(r, c).paragraphs[0].add_run(str(value))
        _fit_columns(self.doc, table, [list(headers)] + [[str(v) for v in row] for row in rows])
        self.doc.add_paragraph()


def _display_len(text: str) -> int:
    """Characters as wide as a Latin letter: Hangul and other CJK count twice."""
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def _fit_columns(document: DocxDocument, table: Any, texts: list[list[str]]) -> None:
    """Share the text width among columns by how much they hold (equal widths wrap names letter by letter)."""
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    columns = len(table.columns)
    need = [1.8] * columns
    for row in texts:
        for c, text in enumerate(row[:columns]):
            longest_word = max((_display_len(w) for w in text.split()), default=1)
            need[c] = max(need[c], min(_display_len(text), 40) ** 0.5, longest_word * 0.5)
    total = sum(need) or 1.0
    for c, column in enumerate(table.columns):
        width = int(usable * need[c] / total)
        column.width = width
        for cell in column.cells:
            cell.width = width


def _title_page(document: DocxDocument, bundle: Bundle) -> None:
    t = bundle.labels
    document.add_paragraph(bundle.organisation, style="Title")
    document.add_paragraph(t["subtitle"], style="Subtitle")
    for label, value in (
        (t["use_case"], bundle.use_case),
        (t["date"], bundle.date),
        (t["engine"], f"{bundle.engine} ({bundle.model})"),
        (t["run"], f"{bundle.run_id} · {t['status']}: {word(bundle.status, bundle.language)}"),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(document: DocxDocument, bundle: Bundle) -> None:
    """A TOC field over heading levels 1-2, its result pre-filled with the headings (without page numbers)."""
    t = bundle.labels
    document.add_paragraph(t["contents"], style="TOC Heading")
    entries: list[tuple[int, str]] = []
    for doc in bundle.documents:
        entries.append((1, doc.title))
        if doc.markdown:
            entries += [(2, tok_text) for level, tok_text in _headings(doc.markdown) if level == 2]
    entries.append((1, t["appendix"]))
    entries += [(2, t["brief"]), (2, t["assumptions"])]
    first = document.add_paragraph(style="TOC 1")
    _field(first, "begin", 'TOC \\o "1-2" \\h \\z \\u')
    _field(first, "separate")
    paragraph = first
    for n, (level, text) in enumerate(entries):
        if n:
            paragraph = document.add_paragraph(style=f"TOC {level}")
        paragraph.add_run(text)
    _field(paragraph, "end")
    hint = document.add_paragraph()
    hint.add_run(t["toc_hint"]).italic = True


def _headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every heading, as markdown-it reads them."""
    tokens = _MD.parse(markdown)
    return [(int(tok.tag[1]), tokens[i + 1].content) for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def _appendix(writer: _Writer, bundle: Bundle) -> None:
    t, lang = bundle.labels, bundle.language
    writer.heading(t["appendix"], 1, page_break=True)
    writer.heading(t["brief"], 2)
    if bundle.brief is None:
        writer.doc.add_paragraph(t["no_brief"])
    else:
        writer.heading(t["constraints"], 3)
        writer.rows_table([t["constraint"], t["value"], t["evidence"]], constraint_rows(bundle.brief, lang))
        writer.heading(t["facts"], 3)
        writer.rows_table([t["fact"], t["value"], t["evidence"]], fact_rows(bundle.brief, lang))
    writer.heading(t["assumptions"], 2)
    if bundle.figures is None:
        writer.doc.add_paragraph(t["no_figures"])
    else:
        writer.rows_table([t["name"], t["value"], t["reason"]], [(a.name, a.value, a.reason) for a in bundle.figures.assumptions])


def build_docx(bundle: Bundle) -> DocxDocument:
    """The Word document for one run.

    Args:
        bundle: What `load_bundle` read from the run directory.

    Returns:
        A python-docx `Document`, ready to save.
    """
    document = Document()
    if bundle.language == "ko":  # A4, as Korean offices print; the template's Letter otherwise
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
    _setup_styles(document, bundle.language)
    core = document.core_properties
    core.title = f"{bundle.organisation}: {bundle.labels['subtitle']}"
    core.subject = bundle.use_case[:250]
    core.language = LANGUAGE_TAGS.get(bundle.language, "en-US")
    core.author = "genai-planner"
    _settings(document, bundle.language)
    _title_page(document, bundle)
    _contents(document, bundle)
    writer = _Writer(document)
    for doc in bundle.documents:
        writer.markdown(document_markdown(doc, bundle.language), first_heading_page_break=True)
    _appendix(writer, bundle)
    return document
