"""Unseen use cases: run every bench/unseen/*.yaml offline and count what a reader would trip on.

The use cases under bench/unseen/ were written for issues 24 and 26 and are kept out of the
tuning loop (no test globs them): this script is how their state is measured, first before any
fix ("the first look", bench/unseen/FIRST_LOOK.md) and again after each change. Each case runs
as the user would run it, through the CLI in a fresh process with a clean environment, and one
English case is run again with `--lang ko` (the cross-language path users reach for).

For each run it prints the exit code, the documents that failed with the checks that failed
on their last draft (from manifest.json), and the template seams found by regex in the five
delivered documents. The regexes only catch the mechanical seams; misread phrases, people in
the wrong roles and the planning-decision defects still need a reader (see FIRST_LOOK.md).

    python bench/unseen_runs.py                 # all cases, table on stdout
    python bench/unseen_runs.py u07 u12 -v      # some cases, with every seam quoted
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from genai_planner.documents.seam_checks import KINDS, seams_by_kind

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "bench" / "unseen"
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_")
KO_RERUN = "u07_hospital_discharge_en"
"""The English case also run with --lang ko."""

def seams_in(text: str) -> dict[str, list[str]]:
    """Every seam in one document, grouped by kind: the product's own patterns (`no_template_seams`)."""
    return seams_by_kind(text)


def clean_env() -> dict[str, str]:
    """No keys, no endpoints: the offline engine is the only engine that can run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env["GENAI_PLANNER_RETRY_BASE_S"] = "0.001"
    return env


def run_case(path: Path, out: Path, lang: str | None) -> dict:
    """One CLI run in its own output folder; returns the figures of the table row."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "genai_planner.cli", "run", str(path), "--engine", "offline", "--no-memory", "-o", str(out)]
    if lang:
        cmd += ["--lang", lang]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), cwd=tempfile.gettempdir(), timeout=600)
    row: dict = {
        "case": path.stem + (f" --lang {lang}" if lang else ""),
        "exit": proc.returncode,
        "docs_failed": [],
        "checks_failed": Counter(),
        "seams": {},
        "run_dir": None,
        "stderr": proc.stderr.strip().splitlines()[-1:],
    }
    runs = sorted(p for p in out.iterdir() if (p / "manifest.json").exists())
    if not runs:
        return row
    run_dir = runs[-1]
    row["run_dir"] = str(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    row["language"] = manifest.get("language")
    for doc in manifest.get("documents", []):
        if doc.get("status") != "passed":
            row["docs_failed"].append(doc["id"])
            last = (doc.get("iterations") or [{}])[-1]
            for check in last.get("checks", []):
                if not check.get("passed"):
                    row["checks_failed"][check["id"]] += 1
    for md in sorted(run_dir.glob("0[1-5]_*.md")):
        for kind, hits in seams_in(md.read_text(encoding="utf-8")).items():
            row["seams"].setdefault(kind, []).extend(f"{md.name[:2]}: {h}" for h in hits)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="case name prefixes (default: every case)")
    parser.add_argument("-o", "--out", type=Path, default=None, help="keep the runs here (default: a temporary folder, removed)")
    parser.add_argument("-v", "--verbose", action="store_true", help="quote every seam found")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="unseen-runs-"))
    cases = [p for p in sorted(CASES.glob("*.yaml")) if not args.only or any(p.stem.startswith(o) for o in args.only)]
    jobs = [(p, None) for p in cases] + [(p, "ko") for p in cases if p.stem == KO_RERUN]
    rows = []
    for path, lang in jobs:
        row = run_case(path, out / (path.stem + (f"_{lang}" if lang else "")), lang)
        rows.append(row)
        print(f"  ran {row['case']}: exit {row['exit']}", file=sys.stderr)
    kinds = list(KINDS)
    print(f"| case | lang | exit | docs failed | checks failed | seams | {' | '.join(kinds)} |")
    print("|" + "---|" * (6 + len(kinds)))
    totals: Counter = Counter()
    for row in rows:
        counts = {k: len(row["seams"].get(k, [])) for k in kinds}
        totals.update(counts)
        checks = ", ".join(f"{c}×{n}" if n > 1 else c for c, n in sorted(row["checks_failed"].items())) or "-"
        print(
            f"| {row['case']} | {row.get('language', '?')} | {row['exit']} | {','.join(row['docs_failed']) or '-'} | {checks} | "
            f"{sum(counts.values())} | {' | '.join(str(counts[k]) for k in kinds)} |"
        )
    passing = sum(1 for r in rows if r["exit"] == 0)
    print(
        f"\nruns exiting 0: {passing}/{len(rows)}; seams: {sum(totals.values())} "
        f"({', '.join(f'{k} {n}' for k, n in totals.most_common() if n)}); runs with documents and no seam: "
        f"{sum(1 for r in rows if r['run_dir'] and not r['seams'])}/{sum(1 for r in rows if r['run_dir'])}"
    )
    for row in rows:
        if row["run_dir"] is None:
            print(f"{row['case']}: no run folder; stderr: {' '.join(row['stderr'])}")
    if args.verbose:
        for row in rows:
            for kind, hits in row["seams"].items():
                for hit in hits:
                    print(f"{row['case']} [{kind}] {hit}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=dict), encoding="utf-8")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
