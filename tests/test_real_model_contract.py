"""The document contract on the real-model path: a model that answers differently from the offline engine.

ChatOpenAI talks over real HTTP to the loopback OpenAI-compatible server (tests/fake_openai.py),
which answers through the offline engine and then lets each test rewrite chosen replies, the way
a real model would differ: a brief that corrects the rule-based draft, a rubric whose totals do
not add up, a gated runner-up, metrics in plain text, generic sections, a reviewer that rejects a
draft every check passes. Each test proves that the product, not the offline engine, holds the
run to the brief, the figures and the contract.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from langchain_core.messages import AIMessage
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.planning.brief import Brief
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief, stated_quotes
from genai_planner.tools.catalog import load_catalog
from tests.conftest import ROOT, run_offline
from tests.fake_openai import FakeOpenAI, forced_tool, prompt_of

pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]

STORE = yaml.safe_load((ROOT / "scenarios" / "electronics_store.yaml").read_text(encoding="utf-8"))
LEEDS = "Processing happens in our Leeds data hall and nowhere else."
"""A residency rule the rule-based reading misses and a careful model reads: on premises."""


def _point_at(monkeypatch, server: FakeOpenAI) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-contract-1234567890")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
    monkeypatch.setenv("GENAI_PLANNER_MAX_RETRIES", "2")


def _events(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]


def _scenario(tmp_path: Path, **changes: Any) -> Path:
    data = {**STORE, **changes}
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _with_args(reply: AIMessage, change) -> AIMessage:
    """The structured reply (a forced tool call) with its arguments changed by `change(args)`."""
    call = reply.tool_calls[0]
    args = json.loads(json.dumps(call["args"]))
    change(args)
    return reply.model_copy(update={"tool_calls": [{**call, "args": args}]})


def _with_text(reply: AIMessage, text: str) -> AIMessage:
    return reply.model_copy(update={"content": text})


# --------------------------------------------------------------------------- issue 14: the brief


def test_model_brief_is_used_end_to_end(tmp_path, monkeypatch):
    scenario = _scenario(tmp_path, name="brightwave-leeds", use_case=STORE["use_case"].strip() + " " + LEEDS)
    draft = extract_brief(yaml.safe_load(scenario.read_text(encoding="utf-8")), "en")
    assert draft.constraints.data_residency.value == "unspecified"  # the rule-based reading misses it

    def rewrite(body, reply):
        if forced_tool(body) != "Brief":
            return None

        def on_premises(args):
            args["constraints"]["data_residency"] = {"value": "on_premises", "evidence": {"source": "stated", "quote": LEEDS}}

        return _with_args(reply, on_premises)

    with FakeOpenAI(rewrite=rewrite) as server:
        _point_at(monkeypatch, server)
        result = run_offline(scenario, tmp_path / "runs", documents=["2"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 1
    assert result.status == "completed", result.manifest
    brief = result.manifest["brief"]
    residency = brief["constraints"]["data_residency"]
    assert residency["value"] == "on_premises" and residency["evidence"]["source"] == "stated" and residency["evidence"]["quote"] == LEEDS
    ready = next(e for e in _events(result.run_dir) if e["event"] == "brief_ready")
    assert ready["source"] == "model" and {"name": "data residency", "value": "on_premises"}.items() <= ready["hard_constraints"][0].items()

    # The figures' gates read the model's brief: every API-only model is excluded, and why.
    api_only = {m["name"] for m in load_catalog() if not m.get("open_weights")}
    gates = {g["model"]: g for g in result.manifest["figures"]["gates"]}
    assert api_only and api_only <= set(gates)
    for name in api_only:
        assert not gates[name]["passed"] and any("API-only" in r for r in gates[name]["reasons"]), gates[name]
    figures = result.manifest["figures"]
    assert figures["recommended"] not in api_only and figures["runner_up"] not in api_only
    assert not api_only & {s["model"] for s in figures["scores"]}

    # The catalog tool the researcher called filtered by the same brief: the catalog sources it returned name no API-only model.
    doc2 = next(d for d in result.manifest["documents"] if d["id"] == "2")
    listed = {s["title"].split(" — ", 1)[1] for s in doc2["sources"] if s["kind"] == "catalog"}
    assert listed and not api_only & listed, listed

    # Document 2 states the gate, lists the API-only models as excluded, and recommends from what passes.
    doc2 = (result.run_dir / "02_model_selection.md").read_text(encoding="utf-8")
    gates_section = doc2.split("## Hard gates and excluded models", 1)[1].split("\n## ", 1)[0]
    excluded = next(ln for ln in gates_section.splitlines() if "**Excluded:**" in ln)  # models sharing a reason are named together
    assert "(on-premises)" in gates_section and "GPT-4o mini" in excluded and "API-only (no open weights)" in excluded, gates_section
    recommendation = doc2.split("## Recommendation", 1)[1]
    assert f"**Recommended model:** {figures['recommended']}" in recommendation and not [n for n in api_only if n in recommendation]


MISREAD = "grounded in our own catalogue and policy documents"
"""Words of the use case a model may misread as permission for a cloud API."""


@pytest.mark.parametrize(
    "evidence",
    [
        pytest.param({"source": "scenario", "reason": "scenario field 'constraints.on_premises'"}, id="draft_evidence_kept"),
        pytest.param({"source": "stated", "quote": MISREAD}, id="misread_quote"),
    ],
)
def test_model_brief_is_held_to_the_use_case_and_the_yaml(tmp_path, monkeypatch, evidence):
    """The model flips the YAML's residency (keeping the draft's evidence, or quoting words it misread), names the
    languages the YAML fixes otherwise, and quotes a law the use case never mentions."""
    invented = "Customer questions are covered by HIPAA."
    budget = {"amount": 4000, "currency": "EUR"}
    scenario = _scenario(tmp_path, name="brightwave-yaml", constraints={"on_premises": True, "languages": ["en"], "monthly_budget": budget})

    def rewrite(body, reply):
        if forced_tool(body) != "Brief":
            return None

        def contradict(args):
            c = args["constraints"]
            assert c["data_residency"]["value"] == "on_premises"  # the draft has the YAML's value
            c["data_residency"] = {"value": "cloud_ok", "evidence": evidence}
            assert c["monthly_budget"]["value"] == budget
            c["monthly_budget"] = {"value": {"amount": 40000, "currency": "EUR"}, "evidence": evidence}
            c["languages"] = {"value": ["en", "fr"], "evidence": {"source": "stated", "quote": "Staff answer in English and French."}}
            c["regulations"] = [{"name": "HIPAA", "evidence": {"source": "stated", "quote": invented}}]
            args["conflicts"] = []

        return _with_args(reply, contradict)

    with FakeOpenAI(rewrite=rewrite) as server:
        _point_at(monkeypatch, server)
        result = run_offline(scenario, tmp_path / "runs", documents=["1"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 1
    assert result.status == "completed", result.manifest
    brief = result.manifest["brief"]
    c = brief["constraints"]
    # The YAML wins, and the disagreement is reported.
    assert c["data_residency"]["value"] == "on_premises" and c["data_residency"]["evidence"]["source"] == "scenario"
    assert c["languages"]["value"] == ["en"] and c["languages"]["evidence"]["source"] == "scenario"
    assert c["monthly_budget"]["value"] == {"amount": 4000, "currency": "EUR"} and c["monthly_budget"]["evidence"]["source"] == "scenario"
    residency_conflicts = [x for x in brief["conflicts"] if x.startswith("data residency")]
    assert len(residency_conflicts) == 1 and "on-premises" in residency_conflicts[0] and "cloud" in residency_conflicts[0], brief["conflicts"]
    budget_conflicts = [x for x in brief["conflicts"] if x.startswith("monthly budget")]
    assert len(budget_conflicts) == 1 and "4,000 EUR" in budget_conflicts[0] and "40,000 EUR" in budget_conflicts[0], brief["conflicts"]
    ready = next(e for e in _events(result.run_dir) if e["event"] == "brief_ready")
    assert ready["conflicts"] == brief["conflicts"]
    # A quote that is not in the use case is no evidence: the fact is downgraded to 'inferred' and says why.
    hipaa = next(r for r in c["regulations"] if r["name"] == "HIPAA")
    assert hipaa["evidence"]["source"] == "inferred" and hipaa["evidence"]["quote"] is None
    assert "not found in the use case" in hipaa["evidence"]["reason"] and invented[:40] in hipaa["evidence"]["reason"]
    use_case = yaml.safe_load(scenario.read_text(encoding="utf-8"))["use_case"]
    assert all(q in use_case for q in stated_quotes(Brief.model_validate(brief)))


# --------------------------------------------------------------------------- issue 15: the figures' checks


def _decisions(run_dir: Path, doc_id: str) -> list[dict]:
    return [e for e in _events(run_dir) if e["event"] == "review_decision" and e.get("document") == doc_id]


def _revision_of(prompt: str, doc_id: str) -> int | None:
    """The iteration a writer's revision prompt asks for (None for any other call)."""
    match = re.search(rf"^Revise document {doc_id} \(.*?\), iteration (\d+):", prompt, re.MULTILINE)
    return int(match.group(1)) if match else None


def _is_writer(body: dict, doc_id: str) -> bool:
    prompt = prompt_of(body)
    return forced_tool(body) is None and (f"Compile document {doc_id}:" in prompt or _revision_of(prompt, doc_id) is not None)


def _bump_first_total(text: str, seen: dict) -> str:
    """The candidate table's first weighted total, 0.09 too high (its scores and weights unchanged)."""
    lines = text.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("| Model |") and "Weighted score" in ln)
    col = [c.strip() for c in lines[header].strip("|").split("|")].index("Weighted score")
    cells = [c.strip() for c in lines[header + 2].strip().strip("|").split("|")]
    seen.update(model=cells[0], right=cells[col], wrong=f"{float(cells[col]) + 0.09:.2f}")
    cells[col] = seen["wrong"]
    lines[header + 2] = "| " + " | ".join(cells) + " |"
    return "\n".join(lines)


def test_model_rubric_errors_are_rejected_with_feedback_and_the_revision_passes(tmp_path, monkeypatch):
    """Document 2 from a model: first its weighted total does not add up, then it names a gated model as
    runner-up (in every line, table rows included, so the arithmetic still holds); the third reply is right."""
    figures = compute_figures(extract_brief(STORE, "en"), load_catalog(), "en")
    gated = next(g.model for g in figures.gates if not g.passed)
    runner = figures.runner_up
    assert runner and gated
    seen: dict = {}

    def rewrite(body, reply):
        if not _is_writer(body, "2"):
            return None
        iteration = _revision_of(prompt_of(body), "2") or 1
        if iteration == 1:
            return _with_text(reply, _bump_first_total(str(reply.content), seen))
        if iteration == 2:
            return _with_text(reply, str(reply.content).replace(runner, gated))
        return None

    with FakeOpenAI(rewrite=rewrite) as server:
        _point_at(monkeypatch, server)
        result = run_offline(ROOT / "scenarios" / "electronics_store.yaml", tmp_path / "runs", documents=["2"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 2
    assert result.status == "completed", result.manifest
    first, second, third = _decisions(result.run_dir, "2")

    assert not first["accepted"] and first["failed_checks"] == ["rubric_arithmetic"]
    wrong = f"- FAILED check 'rubric_arithmetic': row '{seen['model']}': weighted total {seen['wrong']} should be {seen['right']} (= ("
    assert wrong in first["feedback"], first["feedback"]

    # The gated model is caught as runner-up (and, its row copied, by its own monthly cost); the feedback names the
    # models to choose from best first, so the first two are the recommendation and runner-up the totals support.
    assert not second["accepted"] and "gates_respected" in second["failed_checks"], second
    assert f"- FAILED check 'gates_respected': '{gated}' fails a hard gate (" in second["feedback"]
    assert f"named as the runner-up model; choose from the models that pass, best first: {figures.recommended}, {runner}, " in second["feedback"]

    assert third["accepted"] and third["failed_checks"] == []
    # The writer was told: each revision prompt carries the feedback the reviewer gave.
    revisions = {_revision_of(prompt_of(b), "2"): prompt_of(b) for b in server.requests if _is_writer(b, "2") and _revision_of(prompt_of(b), "2")}
    assert sorted(revisions) == [2, 3]
    assert f"<feedback>\n{first['feedback']}\n</feedback>" in revisions[2]
    assert f"<feedback>\n{second['feedback']}\n</feedback>" in revisions[3]
    doc2 = (result.run_dir / "02_model_selection.md").read_text(encoding="utf-8")
    assert f"**Runner-up:** {runner}" in doc2 and gated not in doc2.split("## Hard gates", 1)[0]
    assert f"| {seen['right']} |" in doc2 and {d["id"]: d.get("revisions") for d in result.manifest["documents"]}["2"] == 2


# --------------------------------------------------------------------------- issue 16: the contract, not the offline engine's formats


def _plain_text(text: str) -> str:
    """Markdown without emphasis: no bold, no italics (a model that ignores the formatting)."""
    return re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text.replace("**", ""))


RENAMED = {
    "Answer accuracy": "Correct-answer share",
    "Groundedness": "Source support",
    "Handover precision": "Escalation precision",
    "Time per item": "Handling minutes",
    "Weekly adoption": "Active-user share",
}
"""The electronics store's five metrics under names a model chose itself (none contains the figures' name)."""


@pytest.mark.parametrize("names", ["figures", "own"])
def test_metrics_written_in_plain_text_are_still_the_run_decisions(tmp_path, monkeypatch, names):
    """Document 1 with no bold and no italics: its metrics are still what document 4 must cover, all five. With
    `own`, the model also renamed the metrics (in documents 1 and 4 alike): the decisions are its names."""
    figures = compute_figures(extract_brief(STORE, "en"), load_catalog(), "en")
    assert [t.metric for t in figures.targets] == list(RENAMED)
    expected = list(RENAMED.values()) if names == "own" else list(RENAMED)

    def rename(text: str) -> str:
        for old, new in RENAMED.items() if names == "own" else ():
            text = re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
        return text

    def rewrite(body, reply):
        if _is_writer(body, "1"):
            plain = rename(_plain_text(str(reply.content)))
            assert "*" not in plain
            return _with_text(reply, plain)
        if names == "own" and _is_writer(body, "4"):
            return _with_text(reply, rename(str(reply.content)))
        return None

    with FakeOpenAI(rewrite=rewrite) as server:
        _point_at(monkeypatch, server)
        result = run_offline(ROOT / "scenarios" / "electronics_store.yaml", tmp_path / "runs", documents=["1", "4"], use_memory=False)
    assert not server.failures and server.rewritten
    assert result.status == "completed", result.manifest
    doc1 = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert "*" not in doc1.split("## Sources")[0]
    [decision] = _decisions(result.run_dir, "1")
    assert decision["accepted"], decision
    events = _events(result.run_dir)
    recorded = next(e for e in events if e["event"] == "decisions_recorded" and e.get("document") == "1")
    assert "metrics" in recorded["keys"]
    # What the run stored, and document 4's writer was given, is the five metrics' names, read from plain text.
    prompts = [prompt_of(b) for b in server.requests if _is_writer(b, "4")]
    decisions = json.loads(re.search(r"^<decisions>\n(.*?)\n</decisions>$", prompts[-1], re.DOTALL | re.MULTILINE).group(1))
    assert decisions["metrics"] == expected
    # Document 4's consistency check reads those decisions: it covers all five, not vacuously zero.
    covers = [e for e in events if e["event"] == "check_result" and e["check"] == "doc4_covers_doc1_metrics"]
    assert covers and all(e["passed"] for e in covers)
    assert covers[-1]["detail"] == "covers all 5 key metrics of document 1"


GENERIC = {
    "Trade-offs": (
        "- **Hosting:** a managed API reaches a pilot fastest; a self-hosted model keeps control of the data but needs an operations team. [S4]\n"
        "- **Cost and quality:** a larger model costs more per request; the weighted scores show whether the extra quality is worth the price.\n"
        "- **Size and speed:** a smaller model answers faster and a larger one handles harder requests; latency counts in the rubric."
    ),
    "Evaluation process": (
        "1. Collect a representative test set with reference outputs approved by domain experts. [S6]\n"
        "2. Shortlist the two models with the highest weighted scores.\n"
        "3. Run both models with the same prompts, retrieval settings and decoding parameters.\n"
        "4. Score every output automatically against the reference outputs.\n"
        "5. Collect blind ratings from reviewers on a sample of outputs per model.\n"
        "6. Decide: adopt the model that meets the targets at the lower cost, and record why the other lost."
    ),
}
"""Two sections of document 2 as a model writes them for any client: well formed, and naming nothing of the brief."""


def _generic(text: str) -> str:
    for title, body in GENERIC.items():
        text, n = re.subn(rf"(^## {re.escape(title)}\n\n).*?(?=\n\n## )", lambda m, body=body: m.group(1) + body, text, count=1, flags=re.DOTALL | re.MULTILINE)
        assert n == 1, title
    return text


def test_generic_sections_are_rejected_by_name_and_the_specific_revision_passes(tmp_path, monkeypatch):
    def rewrite(body, reply):
        if _is_writer(body, "2") and _revision_of(prompt_of(body), "2") is None:
            return _with_text(reply, _generic(str(reply.content)))
        return None

    with FakeOpenAI(rewrite=rewrite) as server:
        _point_at(monkeypatch, server)
        result = run_offline(ROOT / "scenarios" / "electronics_store.yaml", tmp_path / "runs", documents=["2"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 1
    assert result.status == "completed", result.manifest
    first, second = _decisions(result.run_dir, "2")
    # Only the contract's floor for specificity fails, and its feedback names exactly the generic sections.
    assert not first["accepted"] and first["failed_checks"] == ["specific_to_use_case"], first
    assert "- FAILED check 'specific_to_use_case': sections that fit any client: Trade-offs, Evaluation process (name this client's" in first["feedback"]
    assert "'BrightWave Electronics'" in first["feedback"]
    [revision] = [prompt_of(b) for b in server.requests if _is_writer(b, "2") and _revision_of(prompt_of(b), "2") == 2]
    assert f"<feedback>\n{first['feedback']}\n</feedback>" in revision
    assert second["accepted"] and second["failed_checks"] == []
    doc2 = (result.run_dir / "02_model_selection.md").read_text(encoding="utf-8")
    assert GENERIC["Trade-offs"].splitlines()[1] not in doc2 and "BrightWave Electronics" in doc2.split("## Trade-offs", 1)[1].split("## Evaluation process")[0]


# --------------------------------------------------------------------------- issue 16: the reviewer's voice

CRITIQUE = "The problem statement never says how long a product lookup takes the store staff today; a manager cannot size the gain."
ASK = {"section": "problem_statement", "instruction": "Say how many minutes a lookup takes today and how often staff do one per shift."}


def _reviewer_rejects(iterations: set[int] | None = None):
    """A reviewer model that rejects document 1 (at `iterations`, or always) although every check passes."""

    def rewrite(body, reply):
        if forced_tool(body) != "ReviewVerdict":
            return None
        match = re.search(r"^Review document (\d+): .*, iteration (\d+)\. Reply with", prompt_of(body), re.MULTILINE)
        assert match, "a reviewer prompt names its document and iteration"
        if match.group(1) != "1" or (iterations is not None and int(match.group(2)) not in iterations):
            return None
        assert reply.tool_calls[0]["args"]["accept"], "the offline reviewer accepts: every check passes"
        return _with_args(reply, lambda args: args.update(accept=False, critique=CRITIQUE, revisions=[ASK]))

    return rewrite


def test_reviewer_rejects_a_passing_draft_and_the_writer_gets_its_critique(tmp_path, monkeypatch):
    with FakeOpenAI(rewrite=_reviewer_rejects({1})) as server:
        _point_at(monkeypatch, server)
        result = run_offline(ROOT / "scenarios" / "electronics_store.yaml", tmp_path / "runs", documents=["1"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 1
    assert result.status == "completed", result.manifest
    first, second = _decisions(result.run_dir, "1")
    assert not first["accepted"] and first["failed_checks"] == [] and first["critique"] == CRITIQUE
    assert f"- Reviewer (problem_statement): {ASK['instruction']}" in first["feedback"] and f"Critique: {CRITIQUE}" in first["feedback"]
    critique = next(e for e in _events(result.run_dir) if e["event"] == "review_critique")
    assert critique["rejected"] and not critique["at_limit"]
    # The writer's next prompt carries the critique as the feedback to address.
    [revision] = [prompt_of(b) for b in server.requests if _is_writer(b, "1") and _revision_of(prompt_of(b), "1") == 2]
    assert f"<feedback>\n{first['feedback']}\n</feedback>" in revision
    assert second["accepted"]
    [doc1] = result.manifest["documents"]
    assert doc1["status"] == "passed" and doc1["revisions"] == 1
    rejected, accepted = doc1["iterations"]
    assert rejected["critique"] == CRITIQUE and not rejected["accepted"] and all(c["passed"] for c in rejected["checks"])
    assert accepted["accepted"] and accepted["critique"] != CRITIQUE


def _writer_rewords(rewrite):
    """`rewrite`, plus a writer whose revision differs from its draft (a real model rewords when criticised).

    An identical revision is not reviewed again (agents/reviewer.py), so without a change the
    limit would never be reached by a second review.
    """

    def both(body, reply):
        if forced_tool(body) is None and re.search(r'"kind": "revise"', prompt_of(body)) and isinstance(reply.content, str) and ", " in reply.content:
            return reply.model_copy(update={"content": reply.content.replace(", ", "; ", 1)})
        return rewrite(body, reply)

    return both


def test_at_the_revision_limit_a_passing_draft_is_accepted_whatever_the_reviewer_says(tmp_path, monkeypatch):
    with FakeOpenAI(rewrite=_writer_rewords(_reviewer_rejects())) as server:
        _point_at(monkeypatch, server)
        out = tmp_path / "runs"
        args = ["run", str(ROOT / "scenarios" / "electronics_store.yaml"), "--documents", "1", "--max-revisions", "1", "--no-memory", "-o", str(out)]
        run = CliRunner().invoke(app, args)
    assert not server.failures and len(server.rewritten) == 3  # two reviews, one reworded revision
    assert run.exit_code == 0, run.output
    run_dir = next(p for p in out.iterdir() if p.is_dir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "completed"
    [doc1] = manifest["documents"]
    assert doc1["status"] == "passed" and doc1["revisions"] == 1
    assert [(it["accepted"], it["critique"]) for it in doc1["iterations"]] == [(False, CRITIQUE), (True, CRITIQUE)]
    critiques = [(e["rejected"], e["at_limit"]) for e in _events(run_dir) if e["event"] == "review_critique"]
    assert critiques == [(True, False), (False, True)]
