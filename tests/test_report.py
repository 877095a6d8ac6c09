"""The HTML run report: self-contained, escaped, localised, and rendered by a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from genai_planner.run.report import write_report
from tests.components import require
from tests.conftest import ROOT, run_offline
from tests.korean_text import english_words, names_for

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
ARTIFACTS = ROOT / "tests" / "artifacts"
EXTERNAL_RE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


class Dom(HTMLParser):
    """What the tests look for in a page: doc-title texts, timeline steps, src/href values."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.steps = 0
        self.urls: list[str] = []
        self._title: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Count steps, open a title, collect URLs."""
        classes = (dict(attrs).get("class") or "").split()
        self.steps += "timeline-step" in classes
        if tag == "h2" and "doc-title" in classes:
            self._title = []
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_endtag(self, tag: str) -> None:
        """Close a title."""
        if tag == "h2" and self._title is not None:
            self.titles.append("".join(self._title).strip())
            self._title = None

    def handle_data(self, data: str) -> None:
        """Collect a title's text."""
        if self._title is not None:
            self._title.append(data)


def make_report(tmp_path: Path) -> tuple[Path, dict, int]:
    """One offline run and its report: (report path, manifest, number of node_end events)."""
    run_dir = run_offline(SCENARIO, tmp_path / "runs", use_memory=False).run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    lines = (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()
    node_ends = sum(json.loads(line)["event"] == "node_end" for line in lines if line.strip())
    return write_report(run_dir), manifest, node_ends


def test_report_is_self_contained_and_complete(tmp_path: Path) -> None:
    """No fetches; every document title; one timeline step per node_end event."""
    path, manifest, node_ends = make_report(tmp_path)
    assert path == path.parent / "report.html" and path.is_file()
    text = path.read_text(encoding="utf-8")
    assert not EXTERNAL_RE.search(text), "the report must not fetch anything"
    assert "<script" not in text and "<link" not in text and "url(" not in text
    assert '<html lang="en">' in text
    dom = Dom(text)
    assert all(not u.startswith(("http:", "https:", "//")) for u in dom.urls)
    titles = [d["title"] for d in manifest["documents"]]
    assert len(titles) == 5 and dom.titles == titles
    assert dom.steps == node_ends > 0
    for label in ("Documents", "Timeline", "Version chain", "Tool calls", "Tokens and cost"):
        assert f">{label}</h2>" in text


def test_report_escapes_run_content(tmp_path: Path) -> None:
    """Raw HTML and external URLs in documents, manifest and trace come out inert."""
    path, manifest, _ = make_report(tmp_path)
    run_dir = path.parent
    doc = manifest["documents"][0]
    doc["title"] = 'Use <b>cases</b> & "more"'
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with (run_dir / doc["file"]).open("a", encoding="utf-8") as f:
        f.write("\n<script>alert(1)</script>\n\n![x](https://example.com/x.png) [y](http://example.com)\n")
    event = {"event": "tool_call", "seq": 10**6, "tool": "<i>t</i>", "args": {"q": "<script>"}}
    event["error"] = "<img src=x>"
    with (run_dir / "trace.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(event) + "\n")
    text = write_report(run_dir).read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<i>t</i>" not in text
    assert not EXTERNAL_RE.search(text)
    assert "Use &lt;b&gt;cases&lt;/b&gt; &amp; &quot;more&quot;" in text
    assert Dom(text).titles[0] == doc["title"]


def test_report_labels_follow_the_run_language(tmp_path: Path) -> None:
    """A Korean run gets Korean section labels and lang="ko"."""
    path, manifest, _ = make_report(tmp_path)
    manifest["language"] = "ko"
    text = json.dumps(manifest, ensure_ascii=False)
    (path.parent / "manifest.json").write_text(text, encoding="utf-8")
    text = write_report(path.parent).read_text(encoding="utf-8")
    assert '<html lang="ko">' in text
    for label in ("문서", "타임라인", "버전 이력", "도구 호출", "토큰과 비용"):
        assert f">{label}</h2>" in text
    assert ">Timeline</h2>" not in text


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once (no network use, throwaway profile)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary
    cmd = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.integration
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    """Chromium's DOM shows every title and step; a 1280x2000 screenshot is saved."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        require("chromium", "no chromium binary on PATH (apt-get install chromium fonts-noto-cjk)")
    path, manifest, node_ends = make_report(tmp_path)
    url = path.resolve().as_uri()

    dom = Dom(chromium("--dump-dom", url, profile=tmp_path / "profile").stdout)
    assert dom.titles == [d["title"] for d in manifest["documents"]]
    assert dom.steps == node_ends > 0

    shot = tmp_path / "report.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,2000", url, profile=tmp_path / "profile")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1280, 2000)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / "report.png")


# --- What the run understood and decided (issue 20) -------------------------------------------

LANG_SCENARIOS = {"en": ROOT / "scenarios" / "electronics_store.yaml", "ko": ROOT / "scenarios" / "hospital_discharge_ko.yaml"}
COMMENTS = {"en": "Add the licence terms of each candidate.", "ko": "후보별 라이선스 조건을 추가해 주세요."}
SECTION_TITLES = {
    "en": ["What the run understood", "Plan", "Computed figures", "Consistency review", "Human decisions"],
    "ko": ["실행이 파악한 내용", "계획", "산출 수치", "일관성 검토", "사람의 결정"],
}


def planned_report(tmp_path: Path, lang: str) -> tuple[str, dict]:
    """An offline run whose manifest also holds a brief, figures, a human decision, a failed
    document and a consistency round that sent one back; then its report."""
    from tests.planning_samples import add_planning

    run_dir = run_offline(LANG_SCENARIOS[lang], tmp_path / "runs", use_memory=False).run_dir
    manifest = add_planning(run_dir, lang)
    failed = manifest["documents"][-1]
    failed["status"] = "failed"
    failed["reason"] = "checks still failing after 3 revisions: checklists"
    failed["iterations"][-1]["checks"].append(
        {"id": "checklists", "passed": False, "detail": "pre_deployment has 3 checklist items ('- [ ] ...'), expected at least 4"}
    )
    manifest["human_decisions"] = [
        {"kind": "plan", "action": "accept", "comment": None},
        {"kind": "document", "document": "2", "action": "revise", "comment": COMMENTS[lang]},
    ]
    model = manifest["figures"]["recommended"]
    manifest["consistency"] = [
        {"round": 1, "sent_back": ["3"], "checks": [
            {"document": "3", "id": "doc3_uses_recommended_model", "passed": False,
             "detail": f"does not name the recommended model '{model}' from document 2"},
            {"document": "2", "id": "constraints_respected", "passed": True, "detail": "respects the hard constraints"},
        ]},
    ] + manifest.get("consistency", [])
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return write_report(run_dir).read_text(encoding="utf-8"), manifest


class Visible(HTMLParser):
    """Text a reader sees outside code, drafts and the documents' own bodies; and each section's inner HTML markers."""

    SKIP = {"code", "pre", "style", "title", "details"}

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self._skip: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._skip or tag in self.SKIP or "doc-body" in classes:
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


def section(text: str, anchor: str) -> str:
    start = text.index(f'<section id="{anchor}">')
    return text[start:text.index("</section>", start)]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_shows_what_the_run_understood_and_decided(tmp_path: Path, lang: str) -> None:
    """Brief with evidence, plan, figures with inline SVG charts, consistency, human decisions, and why a document failed."""
    text, manifest = planned_report(tmp_path, lang)
    assert "<script" not in text and not EXTERNAL_RE.search(text)
    for title in SECTION_TITLES[lang]:
        assert f">{title}</h2>" in text

    # Every hard constraint with its evidence.
    from genai_planner.planning.brief import Brief
    from genai_planner.run.presentation import constraint_rows

    constraints = section(text, "brief")
    for name, value, evidence in constraint_rows(Brief.model_validate(manifest["brief"]), lang):
        row = f"<td>{escape(name)}</td><td>{escape(value)}</td><td>{escape(evidence)}</td>"
        assert row in constraints, row
    quote = manifest["brief"]["constraints"]["data_residency"]["evidence"].get("quote")
    assert quote is None or escape(quote) in constraints

    # The plan names every document, in order.
    plan = section(text, "plan")
    positions = [plan.index(escape(d["title"])) for d in manifest["documents"]]
    assert positions == sorted(positions)

    # Charts: one bar per scored candidate (the recommended one marked), one per cost row; budget line only with a budget.
    figures = section(text, "figures")
    scores = re.search(r'<svg class="chart" id="chart-scores".*?</svg>', figures, re.S).group(0)
    bars = re.findall(r'<rect class="bar ?(\w*)" data-label="([^"]+)" data-value="([\d.]+)"', scores)
    assert [(label, float(value)) for _, label, value in bars] == [(s["model"], s["total"]) for s in manifest["figures"]["scores"]]
    assert bars[0][0] == "best" and bars[0][1] == escape(manifest["figures"]["recommended"])
    costs = re.search(r'<svg class="chart" id="chart-costs".*?</svg>', figures, re.S).group(0)
    assert len(re.findall(r"<rect ", costs)) == len(manifest["figures"]["costs"])
    assert ('class="limit"' in costs) == (manifest["brief"]["constraints"].get("monthly_budget") is not None)
    for a in manifest["figures"]["assumptions"]:
        assert f"<td>{escape(a['name'])}</td><td>{escape(a['value'])}</td>" in figures

    # Consistency rounds and human decisions, with the comment.
    consistency = section(text, "consistency")
    assert "doc3_uses_recommended_model" in consistency and "constraints_respected" in consistency
    assert escape(COMMENTS[lang]) in section(text, "human")

    # The failed document's card says why and which checks still fail.
    card = text[text.index(f'id="doc-{manifest["documents"][-1]["id"]}"'):]
    card = card[: card.index("</article>")]
    assert 'class="still-failing"' in card and "<code>checklists</code>" in card

    if lang == "ko":
        assert "수정 3회 후에도 실패한 검사: checklists" in card and "체크리스트 항목 3개, 최소 4개 필요" in card
        assert "문서 2의 &#x27;" in consistency or "문서 2의 '" in consistency
        english = english_words(Visible(text).text, names_for(manifest))
        assert not english, f"English left in a Korean report: {sorted(english)}"
        for word in ("통과", "완료", "실패", "승인", "반려"):
            assert word in text
        assert ">passed<" not in text and ">completed<" not in text


def test_the_language_check_catches_english_and_spares_names(tmp_path: Path) -> None:
    """English words fail a Korean report wherever they come from; names, URLs and codes do not."""
    licence = "Mistral Research License (commercial self-hosting requires a Mistral Commercial License)"
    names = {licence, "Gemma 3 27B IT", "Lambda 8x H100 SXM"}
    assert english_words([f"Gemma 3 27B IT이 FP8로 L4 24GB 2장에 들어감; KV 캐시, CUDA 그래프; 라이선스({licence})"], names) == set()
    assert english_words(["참고용 온디맨드 가격(2025-06): Lambda 8x H100 SXM, https://lambda.ai/pricing"], names) == set()
    assert english_words(["commercial self-hosting 불가", "LoRA 어댑터와 doc3_uses_recommended_model 검사"], names) == {"commercial", "self-hosting"}

    _, manifest = planned_report(tmp_path, "ko")
    run_dir = tmp_path / "runs" / manifest["run_id"]
    manifest["figures"]["gates"][-1]["reasons"] = ["licence does not permit commercial use"]
    manifest["brief"]["volumes"][0]["what"] = "discharged patients"
    (run_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    text = write_report(run_dir).read_text(encoding="utf-8")
    english = english_words(Visible(text).text, names_for(manifest))
    assert english == {"licence", "does", "not", "permit", "commercial", "use", "discharged", "patients"}


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_sections_render_in_headless_chromium(tmp_path: Path, lang: str) -> None:
    """Chromium's DOM holds the new sections and both charts' bars; a full-page screenshot per language is saved."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        require("chromium", "no chromium binary on PATH (apt-get install chromium fonts-noto-cjk)")
    text, manifest = planned_report(tmp_path, lang)
    url = (tmp_path / "runs" / manifest["run_id"] / "report.html").resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile").stdout
    for title in SECTION_TITLES[lang]:
        assert f">{title}</h2>" in dom
    for chart, rows in (("chart-scores", manifest["figures"]["scores"]), ("chart-costs", manifest["figures"]["costs"])):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', dom, re.S).group(0)
        assert len(re.findall(r"<rect ", svg)) == len(rows)
    assert Dom(dom).titles == [d["title"] for d in manifest["documents"]]

    shot = tmp_path / f"report-{lang}.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,5200", url, profile=tmp_path / "profile")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / f"report-{lang}.png")


def test_plan_comes_from_the_manifest_when_recorded() -> None:
    """A manifest `plan` (order, dependencies, sub-tasks, questions) wins over what the trace shows."""
    from genai_planner.run.report import _plan_rows

    plan = {
        "order": ["1", "2"], "depends_on": {"1": [], "2": ["1"]}, "rationale": "why",
        "documents": [
            {"doc_id": "1", "subtasks": ["1.1"], "research_questions": [{"section": "s", "question": "q1", "tool": "knowledge_search"}]},
            {"doc_id": "2", "subtasks": ["2.1", "2.2"], "research_questions": []},
        ],
    }
    events = [{"event": "plan_ready", "documents": ["2"]}, {"event": "subtask_done", "document": "2", "subtask": "9.9"}]
    assert _plan_rows({"plan": plan}, events) == ([("1", [], ["1.1"], ["q1"]), ("2", ["1"], ["2.1", "2.2"], [])], "why")
    assert _plan_rows({}, events) == ([("2", [], ["9.9"], [])], None)


@pytest.mark.parametrize(
    "detail, korean",
    [
        ("all 6 sections present", "섹션 6개 모두 있음"),
        ("document has 392 words, limit 300: shorten it by 92", "문서 전체: 392어절, 한도 300어절 — 92어절 줄여야 함"),
        ("candidate excluded by a hard constraint: GPT-4o mini cannot run on-premises", "필수 제약으로 제외된 후보: GPT-4o mini: 온프레미스로 운영할 수 없음"),
        ("checks still failing after 3 revisions: total_words, citations", "수정 3회 후에도 실패한 검사: total_words, citations"),
        ("token budget spent (1200 of 1000)", "토큰 예산 소진 (1000 중 1200)"),
        ("이미 한국어로 된 내용", "이미 한국어로 된 내용"),
        ("a detail no template knows", "a detail no template knows"),
    ],
)
def test_check_details_and_reasons_in_korean(detail: str, korean: str) -> None:
    """English check templates and stop reasons read in Korean; names and numbers are kept; unknown text passes through."""
    from genai_planner.run.presentation import check_detail

    assert check_detail(detail, "ko") == korean
    assert check_detail(detail, "en") == detail


def test_critique_in_another_language_becomes_a_summary_of_the_checks() -> None:
    from genai_planner.run.presentation import critique_text

    checks = [{"id": "total_words", "passed": False}, {"id": "citations", "passed": True}]
    assert critique_text("1 check(s) fail: total_words.", checks, "ko") == "검사 1개 실패: total_words. 다시 제출하기 전에 각각 해결해야 합니다."
    assert critique_text("초안은 인용이 충분합니다.", checks, "ko") == "초안은 인용이 충분합니다."
    assert critique_text("All fine.", checks, "en") == "All fine."
