"""The HTML run report: self-contained, escaped, localised, and rendered by a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from genai_planner.run.report import write_report
from tests.conftest import ROOT, run_offline

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
@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="no chromium binary on PATH (apt-get install chromium)",
)
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    """Chromium's DOM shows every title and step; a 1280x2000 screenshot is saved."""
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
