"""Rebuild the check corpus: fresh offline runs' facts, and the good documents' numbers from them.

The good documents under templates/ were written by hand, independently of the offline engine
(their own wording, structure and order). Every number in them that the planning figures
compute (weights, scores, totals, costs, GPU counts, targets) is a template expression, (`<% expression %>`), so
when the figures change this script re-renders them from a fresh run's manifest.json instead
of anyone editing numbers by hand:

    python tests/data/check_corpus/build.py

It writes cases/<case>/manifest.json (language, brief, figures, each document's sources),
cases/<case>/run.json (the use case as the person wrote it) and cases/<case>/<document file>.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASES = {"insurer": "insurer_claims", "hospital_ko": "hospital_discharge_ko", "store": "electronics_store"}


def helpers(manifest: dict[str, Any]) -> dict[str, Any]:
    """What a template may use: the run's figures and small formatting helpers."""
    sys.path.insert(0, str(ROOT))
    from genai_planner.planning.compute import load_data

    figures, brief = manifest["figures"], manifest["brief"]
    per_usd = load_data("fx")["per_usd"]
    scores = {s["model"]: s for s in figures["scores"]}
    costs = {c["model"]: c for c in figures["costs"]}
    chosen = {g["model"]: g for g in figures["gpu_fit"] if g.get("chosen")}
    weights = {w["category"]: w["weight"] for w in figures["weights"]}
    targets = {t["metric"]: t for t in figures["targets"]}

    def lines(items: list[Any], fmt: Any, first: str = "") -> str:
        return "\n".join(fmt(item) + (first if i == 0 else "") for i, item in enumerate(items))

    def set_name(name: str, value: Any) -> str:
        names[name] = value
        return ""

    def money(usd: float, currency: str = "USD", digits: int = 0) -> str:
        value = usd * float(per_usd[currency]) if currency != "USD" else usd
        return f"{currency} {value:,.{digits}f}"

    names: dict[str, Any] = {
        "f": figures,
        "brief": brief,
        "rec": figures["recommended"],
        "runner": figures["runner_up"],
        "top": [s["model"] for s in figures["scores"]],
        "score": lambda model, cat: scores[model]["scores"][cat],
        "total": lambda model: f"{scores[model]['total']:.2f}",
        "weight": lambda cat: weights[cat],
        "cost": lambda model: costs[model]["monthly_usd"],
        "money": money,
        "gpus": lambda model: chosen[model]["gpus_needed"],
        "gpu": lambda model: chosen[model]["gpu"].split()[0],
        "precision": lambda model: chosen[model]["precision"],
        "target": lambda metric: targets[metric]["target"],
        "metrics": [t["metric"] for t in figures["targets"]],
        "capacity": figures["capacity"],
        "excluded": [g["model"] for g in figures["gates"] if not g["passed"]],
        "lines": lines,
        "set": set_name,
        "CATS": ["quality", "cost", "latency", "privacy", "language", "licence"],
        "EN_CAT": {
            "quality": "Quality", "cost": "Cost", "latency": "Latency", "privacy": "Privacy and hosting", "language": "Language support", "licence": "Licence",
        },
        "KO_CAT": {"quality": "품질", "cost": "비용", "latency": "응답 속도", "privacy": "개인정보·호스팅", "language": "언어 지원", "licence": "라이선스"},
    }
    return names


def render(template: str, names: dict[str, Any]) -> str:
    """Replace each `<% expression %>` with its value (a Python expression over `helpers`)."""
    return re.sub(r"<%(.*?)%>", lambda m: str(eval(m.group(1).strip(), names)), template, flags=re.DOTALL)  # noqa: S307 - our own templates


def trimmed(manifest: dict[str, Any]) -> dict[str, Any]:
    """What the checks read of a run's manifest.json."""
    return {
        "language": manifest["language"],
        "brief": manifest["brief"],
        "figures": manifest["figures"],
        "documents": [{"id": d["id"], "sources": d["sources"]} for d in manifest["documents"]],
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for case, scenario in CASES.items():
            subprocess.run(
                ["genai-planner", "run", str(ROOT / "scenarios" / f"{scenario}.yaml"), "--engine", "offline", "--no-memory", "-o", tmp],
                check=True, capture_output=True,
            )
            run_dir = max((p for p in Path(tmp).iterdir() if p.is_dir() and (p / "manifest.json").is_file()), key=lambda p: p.stat().st_mtime)
            manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
            saved = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
            out = HERE / "cases" / case
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            (out / "manifest.json").write_text(json.dumps(trimmed(manifest), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            use_case = {"scenario": {"use_case": saved["scenario"]["use_case"]}}
            (out / "run.json").write_text(json.dumps(use_case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            names = helpers(manifest)
            for template in sorted((HERE / "templates" / case).glob("*.md.tmpl")):
                text = render(template.read_text(encoding="utf-8"), names)
                (out / template.name.removesuffix(".tmpl")).write_text(text, encoding="utf-8")
            print(f"{case}: {run_dir.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
