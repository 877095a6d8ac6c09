"""The command line: parse arguments, build settings, call the runner, render results.

No planning logic lives here. Bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import re
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from genai_planner.core.cold_imports import cold_imports
from genai_planner.core.config import RunConfig
from genai_planner.core.errors import InputError, PlannerError
from genai_planner.core.settings import load_settings
from genai_planner.documents.grammar import english
from genai_planner.run.screen import assumed_line, check_detail, constraint_line, print_rows, send_back_reason, word
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
        "answer_rejected": "Your review answer was not used: {reason}",
        "reason": "reason: {reason}",
        "no_documents": "No document was started: the run stopped before its plan was ready (see the reason below; resume it to go on).",
        "doc": "Document", "status": "Status", "revisions": "Revisions", "file": "File",
        "run_dir": "Run directory: {path}",
        "resume": "Resume with: genai-planner resume {run_id}",
        "interrupted": "Interrupted. Work so far is saved.",
        "paused": "Paused for your review. Work so far is saved.",
        "answer_hint": "Without a terminal, answer with: genai-planner resume {run_id} --accept (or --comment TEXT, or --edit-plan FILE for the plan)",
        "already": "Run {run_id} has already finished ({status}); nothing to resume, nothing changed (re-render its documents with --force).",
        "rerendered": "Re-rendered run {run_id} ({status}) from its last checkpoint: no model was called.",
        "kept_edit": "Your edits to {file} are kept in {kept}; {file} holds the run's text again.",
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
        "answer_rejected": "검토 답변이 반영되지 않았습니다: {reason}",
        "reason": "사유: {reason}",
        "no_documents": "시작된 문서가 없습니다: 계획이 준비되기 전에 실행이 멈췄습니다(아래 사유 참고, 재개하면 이어집니다).",
        "doc": "문서", "status": "상태", "revisions": "수정 횟수", "file": "파일",
        "run_dir": "실행 디렉터리: {path}",
        "resume": "재개 명령: genai-planner resume {run_id}",
        "interrupted": "중단되었습니다. 지금까지의 작업은 저장되었습니다.",
        "paused": "검토를 기다리며 일시 중지했습니다. 지금까지의 작업은 저장되었습니다.",
        "answer_hint": "터미널 없이 답하려면: genai-planner resume {run_id} --accept (또는 --comment 내용, 계획은 --edit-plan 파일)",
        "already": "실행 {run_id}은(는) 이미 끝났습니다({status}). 재개할 것이 없어 아무것도 바꾸지 않았습니다(문서를 다시 쓰려면 --force).",
        "rerendered": "실행 {run_id}({status})을(를) 마지막 체크포인트에서 다시 썼습니다. 모델은 호출하지 않았습니다.",
        "kept_edit": "{file}에 직접 고친 내용은 {kept}에 보관했습니다. {file}에는 실행이 쓴 내용이 다시 들어 있습니다.",
    },
}


def one_line_errors(fn: F) -> F:
    """Turn user-facing errors into one line on stderr and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with sigterm_as_interrupt():
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
            raise typer.Exit(interrupt_exit_code()) from None
        except (OSError, sqlite3.Error) as exc:  # a full disk or an unwritable path outside any run: one line too
            from genai_planner.run.runner import disk_full

            what = "the disk is full" if disk_full(exc) else f"cannot write or read a file ({getattr(exc, 'strerror', None) or exc})"
            if disk_full(exc) and getattr(exc, "errno", None) == errno.EFBIG:
                what = "the disk is full (a file-size limit was reached)"
            where = getattr(exc, "filename", None)
            err.print(f"error: {what}" + (f": {where}" if where else ""), markup=False, highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


WARNING_EVENTS = {"mcp_server_unavailable", "otel_export_failed"}
"""Warnings shown as they happen (their `message` is in English: they name servers and endpoints)."""


_TERMINATED = {"by": None}


def interrupt_exit_code() -> int:
    """130 after Ctrl-C (SIGINT), 143 after SIGTERM: the shell's convention for each signal."""
    return 143 if _TERMINATED["by"] == "SIGTERM" else 130


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C: the run stops at once, writes its manifest and says how to resume.

    asyncio.run turns SIGINT into a cancellation of the running task that the runner
    records as 'interrupted'; SIGTERM (a service manager, `timeout`, `kill`) used to kill the
    process silently with no manifest. Handing it to the SIGINT handler gives it the same path.
    """

    def on_term(signum: int, frame: Any) -> None:
        _TERMINATED["by"] = "SIGTERM"
        on_int = signal.getsignal(signal.SIGINT)
        if callable(on_int):  # asyncio.run's handler (cancel the run) or Python's default (KeyboardInterrupt)
            on_int(signal.SIGINT, frame)
        else:  # SIGINT ignored (a background job): SIGTERM still stops the process
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (an embedding application): leave its handlers alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Progress:
    """Renders run events as progress lines in the run's language."""

    def __init__(self, language: str, console: Console):
        self.m = MESSAGES.get(language, MESSAGES["en"])
        self.language = language if language in MESSAGES else "en"
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
            self.console.print(m["plan"].format(docs=", ".join(e.get("documents", [])), domain=word(e.get("sector"), self.language)), markup=False)
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
                m[key].format(doc=doc, iteration=e.get("iteration"), checks=send_back_reason(e, self.language)),
                style="green" if e.get("accepted") else "yellow",
                markup=False,
            )
        elif kind == "document_failed":
            self.console.print(m["failed"].format(doc=doc, reason=check_detail(e.get("reason"), self.language)), style="red", markup=False)
        elif kind == "human_decision_rejected":
            self.console.print(m["answer_rejected"].format(reason=e.get("reason")), style="red", markup=False)
        elif kind == "consistency_send_back":
            self.console.print(m["sent_back"].format(doc=doc, checks=", ".join(e.get("checks") or [])), style="yellow")
        elif kind in WARNING_EVENTS:  # a tool source or the trace export is missing; the run goes on
            self.console.print(f"warning: {e.get('message')}", style="yellow", markup=False, highlight=False)


    def understood(self, e: dict[str, Any]) -> None:
        """The hard constraints the planner read, each with its evidence, before anything is spent."""
        m = self.m
        self.console.print(m["understood"], style="bold")
        for item in e.get("hard_constraints") or []:
            self.console.print(f"  {constraint_line(item, self.language)}", markup=False, highlight=False)
        for text in e.get("conflicts") or []:
            self.console.print(m["conflict"].format(text=text), style="yellow", markup=False)
        for text in (e.get("assumed") or [])[:6]:
            self.console.print(m["assumed"].format(text=assumed_line(text, self.language)), style="dim", markup=False)


def resume_target(run_id: str, output_dir: Path | None) -> str:
    """What to type after `genai-planner resume`: the run id, and `-o DIR` when its runs are not in the default place."""
    import shlex

    if output_dir is None or Path(output_dir).resolve() == Path(load_settings().genai_planner_home).resolve():
        return run_id
    return f"{run_id} -o {shlex.quote(str(Path(output_dir).resolve()))}"


def render_result(result: Any, language: str) -> None:
    """The closing table: documents, status, revisions, file; then the run directory.

    A resume that found the run finished says so in one line instead (and, forced, what it re-wrote).
    """
    m = MESSAGES.get(language, MESSAGES["en"])
    for kept in getattr(result, "kept_edits", None) or []:
        original = re.sub(r"\.edited(?:\.\d+)?(?=\.[^.]+$)", "", kept.name)
        err.print(m["kept_edit"].format(file=original, kept=kept.name), style="bold yellow", markup=False, highlight=False)
    if getattr(result, "already_finished", False):
        key = "rerendered" if result.rerendered else "already"
        out.print(m[key].format(run_id=result.run_id, status=word(result.status, language)), markup=False, highlight=False)
        if not result.rerendered:
            return
    out.print(f"{result.manifest.get('scenario')} — {word(result.status, language)}", style="bold", markup=False, highlight=False)
    print_rows(
        out,
        (m["doc"], m["status"], m["revisions"], m["file"]),
        [
            (f"{d['id']}. {d['title']}", word(d["status"], language), str(d["revisions"]), d.get("file") or "-")
            for d in result.manifest.get("documents", [])
        ],
        whole=(m["file"],),
        empty=m["no_documents"],
    )
    totals = result.manifest.get("totals", {})
    out.print(
        f"engine={result.engine} model={result.manifest.get('model')} llm_calls={totals.get('llm_calls')} "
        f"tokens={totals.get('input_tokens', 0) + totals.get('output_tokens', 0)} tool_calls={totals.get('tool_calls')} "
        f"wall={result.manifest.get('wall_seconds')}s",
        highlight=False,
    )
    if result.manifest.get("reason"):
        out.print(m["reason"].format(reason=check_detail(result.manifest["reason"], language)), highlight=False, markup=False)
    out.print(m["run_dir"].format(path=result.run_dir), highlight=False)
    target = resume_target(result.run_id, result.run_dir.parent)
    if result.status == "interrupted":
        err.print(m["interrupted"] + " " + m["resume"].format(run_id=target), markup=False, highlight=False)
    if result.status == "awaiting_review":
        err.print(m["paused"] + " " + m["resume"].format(run_id=target), markup=False, highlight=False)
        err.print(m["answer_hint"].format(run_id=target), markup=False, highlight=False)


def _drive_and_render(start: Callable[[], Any], run_id: str, language: str, output_dir: Path | None = None) -> None:
    """Run a planning coroutine, render its result and exit with its code; Ctrl-C says how to resume."""
    try:
        result = asyncio.run(start())
    except KeyboardInterrupt:
        m = MESSAGES.get(language, MESSAGES["en"])
        err.print(m["interrupted"] + " " + m["resume"].format(run_id=resume_target(run_id, output_dir)), markup=False, highlight=False)
        raise typer.Exit(interrupt_exit_code()) from None
    render_result(result, language)
    raise typer.Exit(interrupt_exit_code() if result.status == "interrupted" else result.exit_code)


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
CatalogFile = Annotated[
    Path | None,
    typer.Option("--catalog", help="Your own catalog file: models, routes, prices and rates laid over the shipped ones (env GENAI_PLANNER_CATALOG)."),
]


@app.command("catalog")
@one_line_errors
def catalog_list(
    as_json: Annotated[bool, typer.Option("--json", help="Emit the catalog as JSON.")] = False,
    example: Annotated[bool, typer.Option("--example", help="Print a commented catalog file with one new model to copy and edit.")] = False,
    catalog: CatalogFile = None,
) -> None:
    """List the models, routes and rates a run would use, with their sources and dates."""
    from genai_planner.run.catalog_view import catalog_rows, example_text

    if example:
        out.print(example_text(), markup=False, highlight=False, soft_wrap=True)
        return
    from genai_planner.tools.catalog import use_catalog_file

    use_catalog_file(catalog)
    rows = catalog_rows()
    if as_json:
        out.print_json(data=rows)
        return
    table = Table()
    for col in ("id", "name", "provider", "routes", "price in/out (USD/Mtok)", "languages", "as of", "source"):
        table.add_column(col)
    for row in rows["models"]:
        price = f"{row['price_input_per_mtok']}/{row['price_output_per_mtok']}" if row["price_input_per_mtok"] is not None else "self-hosted"
        table.add_row(
            row["id"], row["name"], row["provider"], ", ".join(row["routes"]), price, row["languages"], row["as_of"], row["catalog_source"]
        )
    uncropped_console().print(table)
    out.print(f"routes: {rows['routes']['source']}, as of {rows['routes']['as_of']}; FX: {rows['fx']['source']}, as of {rows['fx']['as_of']}", highlight=False)


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
    mcp: Annotated[Path | None, run_option("mcp", "--mcp")] = None,
    memory: Annotated[bool | None, run_option("use_memory", "--memory/--no-memory")] = None,
    max_tokens: Annotated[int | None, run_option("max_tokens", "--max-tokens")] = None,
    max_cost: Annotated[float | None, run_option("max_cost", "--max-cost")] = None,
    review: Annotated[list[str] | None, run_option("review", "--review")] = None,
    output_dir: OutputDir = None,
    catalog: CatalogFile = None,
) -> None:
    """Run a planning run on a scenario (a YAML file or a shipped example) and write its documents."""
    with cold_imports("genai_planner.run.runner"):
        from genai_planner.run.runner import new_run_id, run_planning
        from genai_planner.tools.catalog import use_catalog_file

    use_catalog_file(catalog)
    options = RunConfig.from_cli(
        language=lang,
        documents=documents,
        max_revisions=max_revisions,
        max_tool_calls=max_tool_calls,
        engine=engine,
        model=model,
        docs_dir=docs,
        mcp=mcp,
        use_memory=memory,
        max_tokens=max_tokens,
        max_cost=max_cost,
        review=",".join(review) if review else None,
        output_dir=_output_dir(output_dir),
    )
    loaded = _scenario(scenario, example)
    language = options.language if options.given("language") else loaded.language
    if docs is not None and docs.is_dir():  # what cannot be read is said here, not only in the trace
        from genai_planner.tools.user_docs import load_user_documents

        for warning in load_user_documents(docs)[1]:
            err.print(f"warning: {warning}", markup=False, highlight=False)
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


RESUME_HELP = {
    "accept": "Answer the review pause the run waits at: accept the plan or the document(s).",
    "comment": "Answer the review pause with a comment: instructions for the plan, or send the document(s) back with it.",
    "edit_plan": "Answer a plan pause with an edited plan: a YAML file (documents, rationale, brief).",
    "force": "Re-render a finished run's documents, manifest and report (hand-edited documents are kept as NAME.edited.md).",
}


def _review_answer(accept: bool, comment: str | None, edit_plan: Path | None) -> dict[str, Any] | None:
    """The answer `resume` gives a review pause from its flags (at most one), or None to ask at the terminal."""
    given = [name for name, value in (("--accept", accept), ("--comment", comment is not None), ("--edit-plan", edit_plan is not None)) if value]
    if len(given) > 1:
        raise InputError(f"give one answer to a review: {' or '.join(given)}, not both")
    if accept:
        return {"action": "accept"}
    if comment is not None:
        if not comment.strip():
            raise InputError("--comment needs some text: what should change")
        return {"action": "comment", "comment": comment.strip()}
    if edit_plan is not None:
        import yaml

        try:
            edited = yaml.safe_load(edit_plan.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read --edit-plan file {edit_plan}: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise InputError(f"--edit-plan file {edit_plan} is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(edited, dict):
            raise InputError(f"--edit-plan file {edit_plan} must be a mapping (documents, rationale, brief), as the plan review shows it")
        return {"action": "edit", "plan": edited}
    return None


RESUME_BUDGET_HELP = "A new {what} for the whole run (to finish a run that spent its budget); recorded in the manifest."


@app.command()
@one_line_errors
def resume(
    run_id: Annotated[str, typer.Argument(help="The run to continue.")],
    accept: Annotated[bool, typer.Option("--accept", help=RESUME_HELP["accept"])] = False,
    comment: Annotated[str | None, typer.Option("--comment", help=RESUME_HELP["comment"])] = None,
    edit_plan: Annotated[Path | None, typer.Option("--edit-plan", help=RESUME_HELP["edit_plan"])] = None,
    force: Annotated[bool, typer.Option("--force", help=RESUME_HELP["force"])] = False,
    output_dir: OutputDir = None,
    mcp: Annotated[Path | None, typer.Option("--mcp", help="MCP servers file to use instead of the run's own (see `run --mcp`).")] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1, help=RESUME_BUDGET_HELP.format(what="token budget"))] = None,
    max_cost: Annotated[float | None, typer.Option("--max-cost", min=0.000001, help=RESUME_BUDGET_HELP.format(what="cost budget (USD)"))] = None,
) -> None:
    """Continue an interrupted or paused run from its last checkpoint (RUN_ID: an id, a unique prefix, or 'latest')."""
    with cold_imports("genai_planner.run.runner"):
        from genai_planner.run.inspection import resolve_run_id
        from genai_planner.run.runner import load_run, resume_planning

    answer = _review_answer(accept, comment, edit_plan)
    directory = _output_dir(output_dir)
    run_id = resolve_run_id(directory.resolve(), run_id)
    saved = load_run(directory.resolve(), run_id)
    language = saved["context"].get("language", "en")
    reviewer = None if answer is not None else make_terminal_reviewer(language, out)
    _drive_and_render(
        lambda: resume_planning(
            run_id,
            directory,
            listeners=[Progress(language, out)],
            reviewer=reviewer,
            answer=answer,
            force=force,
            mcp=mcp,
            max_tokens=max_tokens,
            max_cost=max_cost,
        ),
        run_id,
        language,
        directory,
    )


@app.command()
@one_line_errors
def replay(run_id: Annotated[str, typer.Argument(help="A recorded (real-model) run.")], output_dir: OutputDir = None) -> None:
    """Re-execute a recorded run from its recording, with no model or network access (RUN_ID: an id, a unique prefix, or 'latest')."""
    with cold_imports("genai_planner.run.runner"):
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
    mcp: Annotated[Path | None, run_option("mcp", "--mcp")] = None,
    output_dir: OutputDir = None,
) -> None:
    """Run every scenario in a folder, a few at a time, and print a summary."""
    with cold_imports("genai_planner.run.runner"):
        from genai_planner.run.batch import run_batch, scenario_files

    files = scenario_files(folder)
    options = RunConfig.from_cli(max_revisions=max_revisions, engine=engine, use_memory=memory, mcp=mcp, output_dir=_output_dir(output_dir))
    done = {"n": 0}

    def progress(event: dict[str, Any]) -> None:
        done["n"] += 1
        out.print(f"[{done['n']}/{len(files)}] {event['scenario']}: {event['status']}", highlight=False)

    rows = asyncio.run(run_batch(files, options, concurrency, on_done=progress))
    out.print(f"batch of {len(rows)} scenarios", style="bold", highlight=False)
    print_rows(
        out,
        ("scenario", "status", "passed", "run id", "detail"),
        [(r.scenario, r.status, r.passed, r.run_id or "-", r.detail) for r in rows],
        empty=f"No scenario files in {folder}: put one or more *.yaml scenarios there (see scenarios/ for examples).",
    )
    if any(r.status == "interrupted" for r in rows):
        raise typer.Exit(interrupt_exit_code())
    raise typer.Exit(0 if all(r.status == "completed" for r in rows) else 1)


@app.command()
@one_line_errors
def runs(output_dir: OutputDir = None) -> None:
    """List runs: id, scenario, engine, status, documents passed, duration, tokens."""
    from genai_planner.run.inspection import list_runs

    directory = _output_dir(output_dir)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"-o must be a folder of runs, not a file: {directory}")
    skipped: list[str] = []
    rows = [
        (r["run_id"], r["scenario"], r["engine"], r["status"], r["passed"], str(r["wall_seconds"] or "-"), str(r["tokens"] or "-"))
        for r in list_runs(directory, skipped=skipped)
    ]
    for line in skipped:
        err.print(f"warning: {line}", markup=False, highlight=False)
    print_rows(
        out,
        ("run id", "scenario", "engine", "status", "passed", "seconds", "tokens"),
        rows,
        empty=f"No runs in {directory} yet: start one with `genai-planner run SCENARIO` (or `--example NAME`), or point -o at the folder your runs are in.",
    )


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
    from genai_planner.run.inspection import existing_run, filter_events, no_events_sentence, trace_tree

    run_dir = existing_run(_output_dir(output_dir).resolve(), run_id)
    events = filter_events(read_trace(run_dir / "trace.jsonl"), agent=agent, document=document, failed=failed)
    if as_json:
        for e in events:
            sys.stdout.write(json.dumps(e, ensure_ascii=False) + "\n")
        return
    if not events:
        out.print(no_events_sentence(run_dir.name, agent=agent, document=document, failed=failed), markup=False, highlight=False)
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
def tools_list(
    mcp: Annotated[Path | None, run_option("mcp", "--mcp")] = None,
) -> None:
    """Every tool, where it came from (a package, or mcp:<server>), and which agents may call it."""
    from genai_planner.tools.base import ToolContext
    from genai_planner.tools.registry import discover_tools

    config = RunConfig.from_cli(mcp=mcp).mcp
    owner = "tools-list"
    try:
        found = discover_tools(ToolContext(mcp_config=config, run_id=owner))
        if config:
            from genai_planner.tools.mcp import mcp_hub

            for server, reason in mcp_hub(config, owner).failures:
                err.print(f"warning: MCP server {server!r} is unavailable ({reason})", markup=False, highlight=False)
    finally:
        if config:
            from genai_planner.tools.mcp import close_mcp_servers

            close_mcp_servers(owner)
    rows = [
        (t.tool.name, t.origin, ", ".join(t.agents) or "-", " ".join((t.tool.description or "").strip().split("\n\n")[0].split()))  # its first paragraph, whole
        for t in found
    ]
    empty = "No tools found: the package's built-in tools are missing; reinstall genai-planner."
    print_rows(out, ("tool", "origin", "agents", "description"), rows, whole=("tool",), empty=empty)


@memory_app.command("show")
@one_line_errors
def memory_show(user: Annotated[str, typer.Option(help="Whose lessons.")] = "local", output_dir: OutputDir = None) -> None:
    """Show the lessons the writer receives before its first drafts."""
    from genai_planner.memory.lessons import all_lessons

    async def _show() -> list[dict[str, Any]]:
        from genai_planner.run.runner import open_persistence, prepare_output_dir

        async with open_persistence(prepare_output_dir(_output_dir(output_dir))) as (_, store):
            return await all_lessons(store, user)

    rows = [(v["doc_id"], v["check_id"], str(v["count"]), v["detail"]) for v in asyncio.run(_show())]
    print_rows(
        out,
        ("document", "check", "times", "last detail"),
        rows,
        whole=(),
        empty="No lessons yet: a lesson is kept when a revision fixes a failed check in a run with memory on (the default).",
    )


@memory_app.command("clear")
@one_line_errors
def memory_clear(user: Annotated[str, typer.Option(help="Whose lessons.")] = "local", output_dir: OutputDir = None) -> None:
    """Delete every lesson."""
    from genai_planner.memory.lessons import clear_lessons

    async def _clear() -> int:
        from genai_planner.run.runner import open_persistence, prepare_output_dir

        async with open_persistence(prepare_output_dir(_output_dir(output_dir))) as (_, store):
            return await clear_lessons(store, user)

    out.print(english(f"deleted {asyncio.run(_clear())} lesson(s)"))


if __name__ == "__main__":  # pragma: no cover
    app()
