"""The command line: parse arguments, build settings, call the runner, render results.

No planning logic lives here. Bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from genai_planner.core.config import RunConfig
from genai_planner.core.errors import InputError, PlannerError
from genai_planner.core.settings import load_settings
from genai_planner.terminal_review import make_terminal_reviewer

# typer may bundle its own copy of click: take its exception classes from typer itself.
UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
NoArgsIsHelpError = getattr(sys.modules[UsageError.__module__], "NoArgsIsHelpError", ())


class OneLineUsageErrors(typer.core.TyperGroup):
    """A bad flag or argument is bad input too: one line on stderr and exit code 2, not typer's usage box."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "genai-planner"
            message = " ".join(exc.format_message().split())
            err.print(f"error: {message} (see `{command} --help`)", markup=False, highlight=False)
            sys.exit(2)


app = typer.Typer(
    cls=OneLineUsageErrors, add_completion=False, no_args_is_help=True, help="Plan generative-AI adoption: five checked documents per use case."
)
tools_app = typer.Typer(no_args_is_help=True, help="Inspect the tools agents can call.")
memory_app = typer.Typer(no_args_is_help=True, help="See or wipe cross-run lessons.")
app.add_typer(tools_app, name="tools")
app.add_typer(memory_app, name="memory")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

MESSAGES = {
    "en": {
        "engine": "Engine: {engine} ({model})",
        "offline_note": "offline engine: no API key or network needed",
        "engine_why": {
            "key": "using {engine} because OPENAI_API_KEY is set: this run spends tokens on that key (add --engine offline for the offline engine)",
            "flag": "using {engine} as chosen (--engine or GENAI_PLANNER_ENGINE)",
            "no_key": "using {engine}: no OPENAI_API_KEY is set",
        },
        "plan": "Plan ready: documents {docs} (sector: {domain})",
        "understood": "Understood:",
        "evidence": {"stated": "stated", "scenario": "scenario", "inferred": "inferred", "default": "assumed"},
        "conflict": "  conflict (the scenario YAML wins): {text}",
        "assumed": "  assumed: {text}",
        "fallback": "warning: the planner's reply was unusable, so the plan comes from the rules alone ({what})",
        "figures": "Figures: {passed} models pass every gate, {excluded} excluded; recommended {model} (runner-up {runner})",
        "started": "[{doc}] started: research",
        "version": "[{doc}] v{version} written ({words} words)",
        "accepted": "[{doc}] v{iteration} accepted",
        "rejected": "[{doc}] v{iteration} sent back: {checks}",
        "failed": "[{doc}] failed: {reason}",
        "sent_back": "[{doc}] consistency review sent it back: {checks}",
        "doc": "Document", "status": "Status", "revisions": "Revisions", "file": "File",
        "run_dir": "Run directory: {path}",
        "resume": "Resume with: genai-planner resume {run_id}",
        "interrupted": "Interrupted. Work so far is saved.",
        "paused": "Paused for your review. Work so far is saved.",
    },
    "ko": {
        "engine": "엔진: {engine} ({model})",
        "offline_note": "오프라인 엔진: API 키와 네트워크가 필요 없습니다",
        "engine_why": {
            "key": "OPENAI_API_KEY가 설정되어 {engine} 엔진을 씁니다: 이 실행은 그 키로 토큰을 사용합니다 (오프라인 엔진은 --engine offline)",
            "flag": "지정한 {engine} 엔진을 씁니다 (--engine 또는 GENAI_PLANNER_ENGINE)",
            "no_key": "OPENAI_API_KEY가 없어 {engine} 엔진을 씁니다",
        },
        "plan": "계획 완료: 문서 {docs} (분야: {domain})",
        "understood": "파악한 내용:",
        "evidence": {"stated": "명시", "scenario": "시나리오", "inferred": "추론", "default": "가정"},
        "conflict": "  충돌(시나리오 YAML 우선): {text}",
        "assumed": "  가정: {text}",
        "fallback": "경고: 계획 모델의 응답을 쓸 수 없어 규칙만으로 계획했습니다 ({what})",
        "figures": "수치: 모델 {passed}개가 모든 필수 조건 통과, {excluded}개 제외. 권장 {model} (차선 {runner})",
        "started": "[{doc}] 시작: 조사",
        "version": "[{doc}] v{version} 작성 ({words} 어절)",
        "accepted": "[{doc}] v{iteration} 승인",
        "rejected": "[{doc}] v{iteration} 반려: {checks}",
        "failed": "[{doc}] 실패: {reason}",
        "sent_back": "[{doc}] 일관성 검토에서 반려: {checks}",
        "doc": "문서", "status": "상태", "revisions": "수정 횟수", "file": "파일",
        "run_dir": "실행 디렉터리: {path}",
        "resume": "재개 명령: genai-planner resume {run_id}",
        "interrupted": "중단되었습니다. 지금까지의 작업은 저장되었습니다.",
        "paused": "검토를 기다리며 일시 중지했습니다. 지금까지의 작업은 저장되었습니다.",
    },
}


def one_line_errors(fn: F) -> F:
    """Turn user-facing errors into one line on stderr and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PlannerError as exc:
            err.print(f"error: {exc}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            err.print(f"error: invalid value for {where}: {first['msg'].replace('Value error, ', '')}", markup=False, highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class Progress:
    """Renders run events as progress lines in the run's language."""

    def __init__(self, language: str, console: Console):
        self.m = MESSAGES.get(language, MESSAGES["en"])
        self.console = console

    def __call__(self, e: dict[str, Any]) -> None:
        kind, doc = e.get("event"), e.get("document")
        m = self.m
        if kind == "run_start":
            self.console.print(m["engine"].format(engine=e.get("engine"), model=e.get("model")), style="bold")
            why = m["engine_why"].get(e.get("engine_reason") or "")
            if why:  # said before anything is spent
                self.console.print(why.format(engine=e.get("engine")), style="bold yellow" if e.get("engine_reason") == "key" else "dim", markup=False)
            if e.get("engine") == "offline":
                self.console.print(m["offline_note"], style="dim")
        elif kind == "brief_ready":
            self.understood(e)
        elif kind in {"brief_fallback", "plan_fallback"}:
            self.console.print(m["fallback"].format(what=kind.split("_")[0]), style="bold yellow", markup=False)
        elif kind == "plan_ready":
            self.console.print(m["plan"].format(docs=", ".join(e.get("documents", [])), domain=e.get("sector")))
        elif kind == "figures_ready":
            self.console.print(
                m["figures"].format(passed=e.get("passed"), excluded=e.get("excluded"), model=e.get("recommended") or "—", runner=e.get("runner_up") or "—"),
                markup=False,
            )
        elif kind == "document_started":
            self.console.print(m["started"].format(doc=doc))
        elif kind == "document_version":
            self.console.print(m["version"].format(doc=doc, version=e.get("version"), words=e.get("words")))
        elif kind == "review_decision":
            key = "accepted" if e.get("accepted") else "rejected"
            self.console.print(
                m[key].format(doc=doc, iteration=e.get("iteration"), checks=", ".join(e.get("failed_checks") or [])),
                style="green" if e.get("accepted") else "yellow",
            )
        elif kind == "document_failed":
            self.console.print(m["failed"].format(doc=doc, reason=e.get("reason")), style="red")
        elif kind == "consistency_send_back":
            self.console.print(m["sent_back"].format(doc=doc, checks=", ".join(e.get("checks") or [])), style="yellow")


    def understood(self, e: dict[str, Any]) -> None:
        """The hard constraints the planner read, each with its evidence, before anything is spent."""
        m = self.m
        self.console.print(m["understood"], style="bold")
        for item in e.get("hard_constraints") or []:
            evidence = item.get("evidence") or {}
            source = m["evidence"].get(evidence.get("source"), evidence.get("source"))
            why = evidence.get("quote") or evidence.get("reason") or ""
            self.console.print(f"  {item['name']}: {item['value']}  [{source}{': ' + repr(why) if why else ''}]", markup=False, highlight=False)
        for text in e.get("conflicts") or []:
            self.console.print(m["conflict"].format(text=text), style="yellow", markup=False)
        for text in (e.get("assumed") or [])[:6]:
            self.console.print(m["assumed"].format(text=text), style="dim", markup=False)


def resume_target(run_id: str, output_dir: Path | None) -> str:
    """What to type after `genai-planner resume`: the run id, and `-o DIR` when its runs are not in the default place."""
    import shlex

    if output_dir is None or Path(output_dir).resolve() == Path(load_settings().genai_planner_home).resolve():
        return run_id
    return f"{run_id} -o {shlex.quote(str(Path(output_dir).resolve()))}"


def render_result(result: Any, language: str) -> None:
    """The closing table: documents, status, revisions, file; then the run directory."""
    m = MESSAGES.get(language, MESSAGES["en"])
    table = Table(title=f"{result.manifest.get('scenario')} — {result.status}")
    for col in (m["doc"], m["status"], m["revisions"], m["file"]):
        table.add_column(col)
    for d in result.manifest.get("documents", []):
        style = {"passed": "green", "failed": "red"}.get(d["status"], "yellow")
        table.add_row(f"{d['id']}. {d['title']}", f"[{style}]{d['status']}[/{style}]", str(d["revisions"]), d.get("file") or "-")
    out.print(table)
    totals = result.manifest.get("totals", {})
    out.print(
        f"engine={result.engine} model={result.manifest.get('model')} llm_calls={totals.get('llm_calls')} "
        f"tokens={totals.get('input_tokens', 0) + totals.get('output_tokens', 0)} tool_calls={totals.get('tool_calls')} "
        f"wall={result.manifest.get('wall_seconds')}s",
        highlight=False,
    )
    if result.manifest.get("reason"):
        out.print(f"reason: {result.manifest['reason']}", highlight=False)
    out.print(m["run_dir"].format(path=result.run_dir), highlight=False)
    target = resume_target(result.run_id, result.run_dir.parent)
    if result.status == "interrupted":
        err.print(m["interrupted"] + " " + m["resume"].format(run_id=target), markup=False, highlight=False)
    if result.status == "awaiting_review":
        err.print(m["paused"] + " " + m["resume"].format(run_id=target), markup=False, highlight=False)


def _drive_and_render(start: Callable[[], Any], run_id: str, language: str, output_dir: Path | None = None) -> None:
    """Run a planning coroutine, render its result and exit with its code; Ctrl-C says how to resume."""
    try:
        result = asyncio.run(start())
    except KeyboardInterrupt:
        m = MESSAGES.get(language, MESSAGES["en"])
        err.print(m["interrupted"] + " " + m["resume"].format(run_id=resume_target(run_id, output_dir)), markup=False, highlight=False)
        raise typer.Exit(130) from None
    render_result(result, language)
    raise typer.Exit(result.exit_code)


def _output_dir(value: Path | None) -> Path:
    return value if value is not None else load_settings().genai_planner_home


def run_option(field: str, *flags: str) -> Any:
    """A typer option for a `RunConfig` field: its help, shown default and environment variable come from the field.

    Every such option defaults to None (not given), so `RunConfig.from_cli` lets the
    environment, then the field's default, decide; the flag only names and parses it.
    """
    info = RunConfig.model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    default = extra.get("cli_default", info.default if info.default not in (None, ()) else "none")
    env = RunConfig.env_name(field)
    shown = f"default: {default}" + (f"; env {env}" if env else "")
    return typer.Option(*flags, help=f"{info.description} ({shown})", show_default=False)


def uncropped_console(wide: bool = True) -> Console:
    """A console that never crops a line: it wraps in a terminal; piped (`wide`) every line is printed whole."""
    if out.is_terminal or not wide:
        return Console(soft_wrap=False, highlight=False)
    return Console(soft_wrap=False, width=100_000, highlight=False)


OutputDir = Annotated[Path | None, typer.Option("--output-dir", "-o", help="Where runs live (default: $GENAI_PLANNER_HOME or ./runs).")]


@app.command()
@one_line_errors
def run(
    scenario: Annotated[Path | None, typer.Argument(help="Scenario YAML file (or give --example).")] = None,
    example: Annotated[str | None, typer.Option("--example", help="Run a shipped example scenario by name (see `genai-planner examples`).")] = None,
    lang: Annotated[str | None, run_option("language", "--lang")] = None,
    documents: Annotated[str | None, run_option("documents", "--documents")] = None,
    max_revisions: Annotated[int | None, run_option("max_revisions", "--max-revisions")] = None,
    max_tool_calls: Annotated[int | None, run_option("max_tool_calls", "--max-tool-calls")] = None,
    engine: Annotated[str | None, run_option("engine", "--engine")] = None,
    model: Annotated[str | None, run_option("model", "--model")] = None,
    docs: Annotated[Path | None, run_option("docs_dir", "--docs")] = None,
    memory: Annotated[bool | None, run_option("use_memory", "--memory/--no-memory")] = None,
    max_tokens: Annotated[int | None, run_option("max_tokens", "--max-tokens")] = None,
    max_cost: Annotated[float | None, run_option("max_cost", "--max-cost")] = None,
    review: Annotated[list[str] | None, run_option("review", "--review")] = None,
    output_dir: OutputDir = None,
) -> None:
    """Run a planning run on a scenario (a YAML file or a shipped example) and write its documents."""
    from genai_planner.run.runner import new_run_id, run_planning

    options = RunConfig.from_cli(
        language=lang,
        documents=documents,
        max_revisions=max_revisions,
        max_tool_calls=max_tool_calls,
        engine=engine,
        model=model,
        docs_dir=docs,
        use_memory=memory,
        max_tokens=max_tokens,
        max_cost=max_cost,
        review=",".join(review) if review else None,
        output_dir=_output_dir(output_dir),
    )
    loaded = _scenario(scenario, example)
    language = options.language if options.given("language") else loaded.language
    run_id = new_run_id(loaded)
    _drive_and_render(
        lambda: run_planning(loaded, options, listeners=[Progress(language, out)], run_id=run_id, reviewer=make_terminal_reviewer(language, out)),
        run_id,
        language,
        options.output_dir,
    )


def _scenario(path: Path | None, example: str | None) -> Any:
    """The scenario from a file or a shipped example: exactly one of the two."""
    if (path is None) == (example is None):
        raise InputError("give a scenario file or --example NAME (one of the two)")
    if example is not None:
        from genai_planner.run.examples import load_example

        return load_example(example)
    from genai_planner.core.scenario import load_scenario

    return load_scenario(path)  # type: ignore[arg-type]


@app.command()
@one_line_errors
def examples() -> None:
    """List the example scenarios shipped with the package; run one with `run --example NAME`."""
    from genai_planner.run.examples import list_examples

    table = Table()
    table.add_column("example", no_wrap=True)
    table.add_column("sector / language")
    table.add_column("use case")
    for e in list_examples():
        table.add_row(e.name, f"{e.sector} / {e.language}", e.summary)
    out.print(table)


@app.command()
@one_line_errors
def resume(run_id: Annotated[str, typer.Argument(help="The run to continue.")], output_dir: OutputDir = None) -> None:
    """Continue an interrupted run from its last checkpoint (RUN_ID: an id, a unique prefix, or 'latest')."""
    from genai_planner.run.inspection import resolve_run_id
    from genai_planner.run.runner import load_run, resume_planning

    directory = _output_dir(output_dir)
    run_id = resolve_run_id(directory.resolve(), run_id)
    saved = load_run(directory.resolve(), run_id)
    language = saved["context"].get("language", "en")
    _drive_and_render(
        lambda: resume_planning(run_id, directory, listeners=[Progress(language, out)], reviewer=make_terminal_reviewer(language, out)),
        run_id,
        language,
        directory,
    )


@app.command()
@one_line_errors
def replay(run_id: Annotated[str, typer.Argument(help="A recorded (real-model) run.")], output_dir: OutputDir = None) -> None:
    """Re-execute a recorded run from its recording, with no model or network access (RUN_ID: an id, a unique prefix, or 'latest')."""
    from genai_planner.run.inspection import resolve_run_id
    from genai_planner.run.runner import load_run, replay_planning

    directory = _output_dir(output_dir)
    run_id = resolve_run_id(directory.resolve(), run_id)
    language = load_run(directory.resolve(), run_id)["context"].get("language", "en")
    result = asyncio.run(replay_planning(run_id, directory, listeners=[Progress(language, out)]))
    render_result(result, language)
    raise typer.Exit(result.exit_code)


@app.command()
@one_line_errors
def batch(
    folder: Annotated[Path, typer.Argument(help="Folder of scenario YAML files.")],
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Runs at once.")] = 4,
    max_revisions: Annotated[int | None, run_option("max_revisions", "--max-revisions")] = None,
    engine: Annotated[str | None, run_option("engine", "--engine")] = None,
    memory: Annotated[bool | None, run_option("use_memory", "--memory/--no-memory")] = None,
    output_dir: OutputDir = None,
) -> None:
    """Run every scenario in a folder, a few at a time, and print a summary."""
    from genai_planner.run.batch import run_batch, scenario_files

    files = scenario_files(folder)
    options = RunConfig.from_cli(max_revisions=max_revisions, engine=engine, use_memory=memory, output_dir=_output_dir(output_dir))
    done = {"n": 0}

    def progress(event: dict[str, Any]) -> None:
        done["n"] += 1
        out.print(f"[{done['n']}/{len(files)}] {event['scenario']}: {event['status']}", highlight=False)

    rows = asyncio.run(run_batch(files, options, concurrency, on_done=progress))
    table = Table(title=f"batch of {len(rows)} scenarios")
    for col in ("scenario", "status", "passed", "run id", "detail"):
        if col == "run id":  # a run id is what the next command needs: never cut it
            table.add_column(col, no_wrap=True, min_width=max((len(r.run_id or "") for r in rows), default=6))
        else:
            table.add_column(col)
    for r in rows:
        table.add_row(r.scenario, r.status, r.passed, r.run_id or "-", r.detail[:80])
    out.print(table)
    raise typer.Exit(0 if all(r.status == "completed" for r in rows) else 1)


@app.command()
@one_line_errors
def runs(output_dir: OutputDir = None) -> None:
    """List runs: id, scenario, engine, status, documents passed, duration, tokens."""
    from genai_planner.run.inspection import list_runs

    columns = ("run id", "scenario", "engine", "status", "passed", "seconds", "tokens")
    rows = [
        (r["run_id"], r["scenario"], r["engine"], r["status"], r["passed"], str(r["wall_seconds"] or "-"), str(r["tokens"] or "-"))
        for r in list_runs(_output_dir(output_dir))
    ]
    if not out.is_terminal:  # piped: whole values, one tab-separated line per run
        sys.stdout.write("\n".join("\t".join(row) for row in [columns, *rows]) + "\n")
        return
    table = Table()
    whole = {"no_wrap": True, "min_width": max((len(r[0]) for r in rows), default=6)}
    for col in columns:  # the run id is what the next command needs: never cut it, let the others wrap
        table.add_column(col, **(whole if col == "run id" else {}))
    for row in rows:
        table.add_row(*row)
    out.print(table)


@app.command()
@one_line_errors
def trace(
    run_id: str,
    agent: Annotated[str | None, typer.Option(help="Only this agent: planner, researcher, writer, reviewer.")] = None,
    document: Annotated[str | None, typer.Option(help="Only this document id.")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Only failures: failed checks, rejections, tool errors.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Emit the events as JSON lines.")] = False,
    output_dir: OutputDir = None,
) -> None:
    """Show a run's trace as a tree: document → iteration → agent steps → tool calls."""
    from genai_planner.core.tracing import read_trace
    from genai_planner.run.inspection import existing_run, filter_events, trace_tree

    run_dir = existing_run(_output_dir(output_dir).resolve(), run_id)
    events = filter_events(read_trace(run_dir / "trace.jsonl"), agent=agent, document=document, failed=failed)
    if as_json:
        for e in events:
            sys.stdout.write(json.dumps(e, ensure_ascii=False) + "\n")
        return
    uncropped_console().print(trace_tree(run_dir.name, events))


@app.command()
@one_line_errors
def show(
    run_id: str,
    document: Annotated[str, typer.Option(help="Document id (1-5).")],
    diff: Annotated[bool, typer.Option("--diff", help="Show diffs between versions instead of full drafts.")] = False,
    output_dir: OutputDir = None,
) -> None:
    """Show a document's version chain: drafts, failed checks, critiques, diffs."""
    from genai_planner.run.inspection import existing_run, version_chain

    run_dir = existing_run(_output_dir(output_dir).resolve(), run_id)
    uncropped_console(wide=diff).print(version_chain(run_dir, document, diff=diff))


@app.command("check")
@one_line_errors
def check_cmd(
    run_id: Annotated[str, typer.Argument(help="The run whose brief, figures, sources and decisions to check against.")],
    document: Annotated[str, typer.Option("--document", help="Document id (1-5).")],
    file: Annotated[Path | None, typer.Option("--file", help="A hand-edited Markdown file to check instead of the run's document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every result as JSON.")] = False,
    output_dir: OutputDir = None,
) -> None:
    """Check a document of a run again, or a hand-edited copy of it: exit 0 all pass, 1 any fails, 2 bad input."""
    from genai_planner.run.checking import check_document
    from genai_planner.run.inspection import existing_run

    run_dir = existing_run(_output_dir(output_dir).resolve(), run_id)
    result = check_document(run_dir, document, file)
    if as_json:
        payload = {"document": result.doc_id, "file": result.file, "passed": not result.failed, "results": [r.model_dump() for r in result.results]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in result.failed:
            out.print(f"FAIL {r.id}: {r.detail}", markup=False, highlight=False)
        for r in result.advice:
            out.print(f"ADVICE {r.id}: {r.detail}", markup=False, highlight=False)
        passed = sum(r.passed for r in result.results)
        out.print(f"{result.file}: {passed}/{len(result.results)} checks pass, {len(result.failed)} fail", markup=False, highlight=False)
    raise typer.Exit(1 if result.failed else 0)


@app.command("export")
@one_line_errors
def export(
    run_id: Annotated[str, typer.Argument(help="The run to export.")],
    fmt: Annotated[str, typer.Option("--format", help="docx (one Word document) or md (one Markdown file).")] = "docx",
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write (default: <run dir>/<run id>.<format>).")] = None,
    output_dir: OutputDir = None,
) -> None:
    """Write a run's five documents as one Word document or one Markdown file."""
    from genai_planner.run.export import export_run
    from genai_planner.run.inspection import existing_run

    run_dir = existing_run(_output_dir(output_dir).resolve(), run_id)
    out.print(f"wrote {export_run(run_dir, fmt, out_file)}", highlight=False)


@tools_app.command("list")
@one_line_errors
def tools_list() -> None:
    """Every tool, where it came from, and which agents may call it."""
    from genai_planner.tools.base import ToolContext
    from genai_planner.tools.registry import discover_tools

    table = Table()
    for col in ("tool", "origin", "agents", "description"):
        table.add_column(col)
    for t in discover_tools(ToolContext()):
        table.add_row(t.tool.name, t.origin, ", ".join(t.agents) or "-", (t.tool.description or "").split("\n")[0][:80])
    out.print(table)


@memory_app.command("show")
@one_line_errors
def memory_show(user: Annotated[str, typer.Option(help="Whose lessons.")] = "local", output_dir: OutputDir = None) -> None:
    """Show the lessons the writer receives before its first drafts."""
    from genai_planner.memory.lessons import all_lessons

    async def _show() -> list[dict[str, Any]]:
        from genai_planner.run.runner import open_persistence, prepare_output_dir

        async with open_persistence(prepare_output_dir(_output_dir(output_dir))) as (_, store):
            return await all_lessons(store, user)

    table = Table()
    for col in ("document", "check", "times", "last detail"):
        table.add_column(col)
    for v in asyncio.run(_show()):
        table.add_row(v["doc_id"], v["check_id"], str(v["count"]), v["detail"])
    out.print(table)


@memory_app.command("clear")
@one_line_errors
def memory_clear(user: Annotated[str, typer.Option(help="Whose lessons.")] = "local", output_dir: OutputDir = None) -> None:
    """Delete every lesson."""
    from genai_planner.memory.lessons import clear_lessons

    async def _clear() -> int:
        from genai_planner.run.runner import open_persistence, prepare_output_dir

        async with open_persistence(prepare_output_dir(_output_dir(output_dir))) as (_, store):
            return await clear_lessons(store, user)

    out.print(f"deleted {asyncio.run(_clear())} lesson(s)")


if __name__ == "__main__":  # pragma: no cover
    app()
