"""The one entry point for a planning run: the CLI, batch and tests all call `run_planning`.

It prepares the run directory, opens the SQLite checkpointer and store, streams the graph
(writing each document the moment it is final), and always leaves a manifest behind,
whether the run completed, failed its checks, ran out of budget or was interrupted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from genai_planner.core.config import RunContext
from genai_planner.core.errors import InputError, PlannerError, StorageError
from genai_planner.core.scenario import Scenario
from genai_planner.core.settings import RunOptions, Settings, load_settings
from genai_planner.core.tracing import Listener, emit, read_trace, redact, register_secrets, trace_run
from genai_planner.documents.specs import load_document_specs
from genai_planner.graph.builder import RECURSION_LIMIT, build_graph
from genai_planner.graph.nodes import LEDGER_KEY
from genai_planner.memory.decisions import restore_decisions
from genai_planner.models.calls import BudgetExceeded, RunUsage
from genai_planner.models.factory import known_engines, resolve_engine
from genai_planner.run.lease import backend_for, hold_lease
from genai_planner.run.manifest import FILE_MODE, build_manifest, totals_from_trace, write_outputs
from genai_planner.run.preflight import check_constraints_satisfiable, check_contradictions, check_currency
from genai_planner.run.report import write_report
from genai_planner.run.tool_sources import check_tool_sources, close_tool_sources, open_tool_sources

RUN_FILE = "run.json"
CHECKPOINT_DB = "checkpoints.sqlite"
MEMORY_DB = "memory.sqlite"
SERVED_ORIGIN = "langgraph-server"
"""run.json's `origin` for a run LangGraph Server drove (`run/served.py`): its checkpoints live on the server."""
CONTEXT_EXCLUDE = {"output_dir"}  # where the run lives is not part of what it does; resume is told the folder


@dataclass
class RunResult:
    """What a finished (or stopped) run produced."""

    run_id: str
    run_dir: Path
    status: str
    engine: str
    manifest: dict[str, Any] = field(default_factory=dict)
    already_finished: bool = False
    """A resume found the run finished: nothing was run or written (unless forced to re-render)."""
    rerendered: bool = False
    """`resume --force` wrote a finished run's documents, manifest and report again."""
    kept_edits: list[Path] = field(default_factory=list)
    """Hand-edited documents moved aside (NAME.edited.md) before the run wrote over them."""

    @property
    def exit_code(self) -> int:
        """0 all passed; 3 paused for a person's review; 130 interrupted (Ctrl-C); 1 otherwise."""
        if self.status == "interrupted":
            return 130
        if self.status == "awaiting_review":
            return 3
        if self.already_finished:
            return 0  # nothing to do is not a failure, whatever the run's own outcome was
        return 0 if self.status == "completed" else 1


def new_run_id(scenario: Scenario) -> str:
    """A sortable, unique, path-safe run id."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    salt = hashlib.sha1(f"{time.time_ns()}{os.getpid()}".encode()).hexdigest()[:6]
    return f"{stamp}-{scenario.slug}-{salt}"


def prepare_output_dir(output_dir: Path) -> Path:
    """Create the output directory and prove it is writable, or raise `InputError`."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        # A probe of its own: runs started at the same moment into one folder must not
        # delete each other's (a shared '.write-test' failed 36 of 1,200 concurrent probes).
        with tempfile.NamedTemporaryFile("w", dir=output_dir, prefix=".write-test-", suffix=".tmp") as probe:
            probe.write("ok")
            probe.flush()
    except OSError as exc:
        raise InputError(f"output directory is not writable: {output_dir} ({exc.strerror or exc})") from None
    return output_dir.resolve()


def run_dir_for(output_dir: Path, run_id: str) -> Path:
    """The run directory, guaranteed to be inside `output_dir`."""
    base = output_dir.resolve()
    path = (base / run_id).resolve()
    if path.parent != base:
        raise InputError(f"run id {run_id!r} would leave the output directory")
    return path


def check_database(path: Path) -> None:
    """Raise `InputError` when an existing SQLite file is not a usable database."""
    if not path.exists():
        return
    try:
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
            result = conn.execute("PRAGMA quick_check").fetchone()
        if result and result[0] != "ok":
            raise sqlite3.DatabaseError(result[0])
    except sqlite3.DatabaseError as exc:
        raise InputError(f"checkpoint database is corrupt: {path} ({exc})") from None


@asynccontextmanager
async def open_persistence(output_dir: Path, settings: Settings | None = None, *, memory: bool = True) -> AsyncIterator[tuple[Any, Any]]:
    """The checkpointer and store: Postgres when a database URL is set, else SQLite in the output directory.

    Opening and setting up is one step whose failures are one line (an unreachable or
    malformed Postgres URL, a corrupt or unopenable SQLite file, a full disk); failures of
    the body that uses them are the body's own and pass through unchanged.

    With memory off (`memory=False`, SQLite) the store only carries this run's decisions
    between documents, so it is an in-process `InMemoryStore`: the SQLite store (and the numpy
    its vector extension imports, ~0.3 s of every start) is imported only when lessons are
    read or kept. A resumed run rebuilds its decisions from the checkpoint (`restore_decisions`).
    """
    settings = settings or load_settings()
    async with AsyncExitStack() as stack:
        if settings.genai_planner_database_url is not None:
            opened = await _open_postgres(stack, settings.genai_planner_database_url.get_secret_value())
        else:
            opened = await _open_sqlite(stack, output_dir, memory=memory)
        yield opened


async def _open_postgres(stack: AsyncExitStack, url: str) -> tuple[Any, Any]:
    try:
        import psycopg
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from langgraph.store.postgres.aio import AsyncPostgresStore
    except ImportError:
        raise InputError("GENAI_PLANNER_DATABASE_URL is set but the Postgres extra is not installed (pip install 'genai-planner[postgres]')") from None
    try:
        saver = await stack.enter_async_context(AsyncPostgresSaver.from_conn_string(url))
        store = await stack.enter_async_context(AsyncPostgresStore.from_conn_string(url))
        await saver.setup()
        await store.setup()
    except (psycopg.Error, OSError) as exc:
        first = redact(re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", " ".join(str(exc).split())))[:200] or type(exc).__name__
        raise InputError(f"cannot use the Postgres database in GENAI_PLANNER_DATABASE_URL ({type(exc).__name__}: {first})") from None
    return saver, store


async def _open_sqlite(stack: AsyncExitStack, output_dir: Path, *, memory: bool = True) -> tuple[Any, Any]:
    check_database(output_dir / CHECKPOINT_DB)
    if memory:
        check_database(output_dir / MEMORY_DB)
    try:
        saver = await stack.enter_async_context(AsyncSqliteSaver.from_conn_string(str(output_dir / CHECKPOINT_DB)))
        if memory:
            from langgraph.store.sqlite.aio import AsyncSqliteStore

            store: Any = await stack.enter_async_context(AsyncSqliteStore.from_conn_string(str(output_dir / MEMORY_DB)))
        else:
            from langgraph.store.memory import InMemoryStore

            store = InMemoryStore()
        with _setup_lock(output_dir):  # runs started at once on a new folder must not race the migrations
            await saver.setup()
            if memory:
                await store.setup()
    except (sqlite3.Error, OSError) as exc:
        if disk_full(exc):
            raise StorageError(f"the disk is full setting up the databases in {output_dir}; free some space and try again") from None
        raise InputError(f"cannot set up the checkpoint database in {output_dir} ({type(exc).__name__}: {exc})") from None
    return saver, store


@contextmanager
def _setup_lock(output_dir: Path) -> Iterator[None]:
    """An exclusive lock on the output directory's databases while their schema is set up."""
    with (output_dir / ".setup.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_context(run_id: str, run_dir: Path, scenario: Scenario, options: RunOptions, engine: str) -> RunContext:
    """The per-run context: the options plus what the run decides (a language given explicitly wins over the scenario's)."""
    return options.model_copy(
        update={
            "run_id": run_id,
            "run_dir": str(run_dir),
            "engine": engine,
            "language": options.language if options.given("language") else scenario.language,
            "docs_dir": str(Path(options.docs_dir).resolve()) if options.docs_dir else None,
        }
    )


def _validate_engine(engine: str, settings: Settings) -> None:
    if engine not in known_engines():
        raise InputError(f"unknown engine {engine!r} (known: {', '.join(known_engines())})")
    if engine == "openai" and settings.openai_api_key is None:
        raise InputError("engine 'openai' needs OPENAI_API_KEY (set it, or use --engine offline)")


async def run_planning(
    scenario: Scenario,
    options: RunOptions | None = None,
    *,
    settings: Settings | None = None,
    listeners: list[Listener] | None = None,
    run_id: str | None = None,
    persistence: tuple[Any, Any] | None = None,
    reviewer: Reviewer | None = None,
) -> RunResult:
    """Start a new planning run and drive it to the end (`persistence` shares an open checkpointer and store)."""
    options = options or RunOptions()
    settings = settings or load_settings()
    register_secrets(settings.secret_values())
    engine = resolve_engine(options.engine if options.given("engine") else None, settings)
    engine_reason = "flag" if options.given("engine") else ("key" if engine == "openai" else "no_key")
    _validate_engine(engine, settings)
    if options.docs_dir is not None and not Path(options.docs_dir).is_dir():
        raise InputError(f"--docs must be a directory: {options.docs_dir}")
    options = options.model_copy(update={"mcp": check_tool_sources(options.mcp)})
    # Refused before anything is spent, the most specific reason first.
    check_currency(scenario)
    check_contradictions(scenario, options.language if options.given("language") else scenario.language)
    check_constraints_satisfiable(scenario, list(options.documents) if options.documents else scenario.documents)
    output_dir = prepare_output_dir(options.output_dir)
    run_id = run_id or new_run_id(scenario)
    run_dir = run_dir_for(output_dir, run_id)
    try:
        run_dir.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        raise InputError(f"run {run_id} already exists in {output_dir}; resume it with `genai-planner resume {run_id}`") from None
    except OSError as exc:
        if disk_full(exc):
            raise StorageError(f"the disk is full ({exc.strerror}) starting run {run_id} in {output_dir}; free some space and run it again") from None
        raise
    if options.documents:
        scenario = scenario.model_copy(update={"documents": list(options.documents)})
    ctx = build_context(run_id, run_dir, scenario, options, engine)
    if engine not in {"offline", "replay"} and "record" not in ctx.wrappers:
        ctx = ctx.model_copy(update={"wrappers": (*ctx.wrappers, "record")})  # every real-model run is recorded
    started = dt.datetime.now(dt.UTC).isoformat()
    description = {
        "run_id": run_id,
        "scenario": scenario.model_dump(),
        "context": ctx.model_dump(mode="json", exclude=CONTEXT_EXCLUDE),
        "started_at": started,
        "model": model_label(ctx, settings),
        "engine_reason": engine_reason,
    }
    try:
        write_json_atomic(run_dir / RUN_FILE, description)  # whole or absent: a torn run.json once broke `runs` for the folder
    except OSError as exc:
        if disk_full(exc):
            raise StorageError(f"the disk is full ({exc.strerror}) starting run {run_id} in {output_dir}; free some space and run it again") from None
        raise
    return await _drive(run_dir, output_dir, ctx, {"scenario": scenario.model_dump()}, listeners, settings, persistence, reviewer)


def run_recursion_limit() -> int:
    """Super-steps a run may take (tests lower it to prove the bound holds)."""
    return RECURSION_LIMIT


def load_run(output_dir: Path, run_id: str) -> dict[str, Any]:
    """The saved run description, or `InputError` for an unknown run id."""
    run_dir = run_dir_for(output_dir, run_id)
    path = run_dir / RUN_FILE
    if not path.is_file():
        raise InputError(f"unknown run id: {run_id} (no such run in {output_dir})")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(f"run {run_id} has a damaged {RUN_FILE} (torn or not JSON)") from None
    if not isinstance(saved, dict) or not isinstance(saved.get("context"), dict) or not isinstance(saved.get("scenario"), dict):
        raise InputError(f"run {run_id} has a {RUN_FILE} that is not a run description (no context or scenario)")
    return saved


async def resume_planning(
    run_id: str,
    output_dir: Path = Path("runs"),
    *,
    settings: Settings | None = None,
    listeners: list[Listener] | None = None,
    reviewer: Reviewer | None = None,
    mcp: str | Path | None = None,
    answer: dict[str, Any] | None = None,
    force: bool = False,
    max_tokens: int | None = None,
    max_cost: float | None = None,
) -> RunResult:
    """Continue an interrupted or paused run from its last checkpoint (`mcp`: another MCP servers file than the run's).

    `max_tokens`/`max_cost` replace its budget, recorded in the manifest.

    A finished run is left as it is (`already_finished`), unless `force` re-renders its
    documents from the checkpoint. `answer` answers the review pauses the run waits at now
    (`{"action": "accept"}`, `{"action": "comment", "comment": ...}`, `{"action": "edit", "plan": {...}}`).
    """
    settings = settings or load_settings()
    register_secrets(settings.secret_values())
    output_dir = output_dir.resolve()
    saved = load_run(output_dir, run_id)
    if saved.get("origin") == SERVED_ORIGIN:
        raise InputError(f"run {run_id} ran on LangGraph Server: its checkpoints are the server's; resume thread {saved.get('thread_id')} there")
    saved_ctx = saved["context"]
    ctx = RunContext(**saved_ctx)
    if mcp is not None:
        ctx = ctx.model_copy(update={"mcp": check_tool_sources(mcp)})
    if max_tokens is not None and max_tokens < 1:
        raise InputError(f"--max-tokens must be at least 1, not {max_tokens}")
    if max_cost is not None and not (0 < max_cost < float("inf")):
        raise InputError(f"--max-cost must be a positive finite amount, not {max_cost}")
    budget = {"max_tokens": max_tokens, "max_cost": max_cost}
    run_dir = run_dir_for(output_dir, run_id)
    async with open_persistence(output_dir, settings, memory=ctx.use_memory) as (saver, store):
        finished = await _finished_status(saver, store, ctx.run_id)
        if finished is not None:
            if answer is not None:
                raise InputError(f"run {run_id} is not waiting for a review: it has finished ({finished})")
            return await _rerender(run_dir, ctx, saved, saver, store, finished) if force else _finished_result(run_dir, ctx, finished)
        if force:
            raise InputError(f"run {run_id} has not finished: --force only re-renders a finished run; resume it without --force")
        _validate_engine(ctx.engine, settings)
        if answer is not None:
            reviewer = await _answering(saver, store, ctx.run_id, run_id, answer)
        if not ctx.use_memory:  # an in-process store starts empty: the checkpoint holds what the documents decided
            snapshot = await build_graph().compile(checkpointer=saver, store=store).aget_state({"configurable": {"thread_id": ctx.run_id}})
            await restore_decisions(store, ctx.run_id, snapshot.values or {}, load_document_specs(), ctx.language)
        return await _drive(run_dir, output_dir, ctx, None, listeners, settings, (saver, store), reviewer, budget)


async def _finished_status(saver: Any, store: Any, thread_id: str) -> str | None:
    """The final status of a run whose graph has reached its end (None while it has steps or pauses left)."""
    snapshot = await build_graph().compile(checkpointer=saver, store=store).aget_state({"configurable": {"thread_id": thread_id}})
    values = snapshot.values or {}
    if not values or snapshot.next or not values.get("status"):
        return None
    return str(values["status"])


def _finished_result(run_dir: Path, ctx: RunContext, status: str) -> RunResult:
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    return RunResult(run_id=ctx.run_id, run_dir=run_dir, status=status, engine=ctx.engine, manifest=manifest, already_finished=True)


async def _rerender(run_dir: Path, ctx: RunContext, saved: dict[str, Any], saver: Any, store: Any, status: str) -> RunResult:
    """Write a finished run's documents, manifest and report again from its last checkpoint: no model call.

    A document a person edited since the run wrote it is kept as NAME.edited.md first.
    """
    specs = load_document_specs()
    snapshot = await build_graph().compile(checkpointer=saver, store=store).aget_state({"configurable": {"thread_id": ctx.run_id}})
    values = dict(snapshot.values or {})
    with trace_run(ctx.run_id, run_dir / "trace.jsonl"):
        kept = write_outputs(run_dir, specs, values, ctx.language, final=True)
    previous = _finished_result(run_dir, ctx, status).manifest
    manifest = build_manifest(run_dir, specs, values, ctx, saved, status, previous.get("reason"))
    write_report(run_dir)
    return RunResult(
        run_id=ctx.run_id, run_dir=run_dir, status=status, engine=ctx.engine, manifest=manifest, already_finished=True, rerendered=True, kept_edits=kept
    )


def _pause_key(payload: dict[str, Any]) -> tuple[str, str]:
    return (str(payload.get("kind") or "document"), str(payload.get("doc_id") or ""))


async def _answering(saver: Any, store: Any, thread_id: str, run_id: str, answer: dict[str, Any]) -> Reviewer:
    """A reviewer that gives `answer` to each pause the run is waiting at now, once; a later pause waits again.

    This is how a review is answered without a terminal (`resume RUN --accept`, `--comment`,
    `--edit-plan`): the person answers what they have seen, not pauses still to come.
    """
    graph = build_graph().compile(checkpointer=saver, store=store)
    pending = [i.value for i in await _pending_interrupts(graph, {"configurable": {"thread_id": thread_id}})]
    if not pending:
        raise InputError(f"run {run_id} is not waiting for a review; resume it without an answer")
    waiting = {_pause_key(p) for p in pending}
    if answer.get("action") == "edit" and ("plan", "") not in waiting:
        raise InputError(f"run {run_id} waits for a document's review, not the plan's: --edit-plan answers a plan pause (use --accept or --comment)")

    async def reviewer(payload: dict[str, Any]) -> dict[str, Any] | None:
        key = _pause_key(payload)
        if key not in waiting:
            return None
        waiting.discard(key)
        if key[0] == "plan":
            return {"action": "instruct", "instructions": answer["comment"]} if answer.get("action") == "comment" else answer
        if answer.get("action") == "comment":
            return {"action": "revise", "comment": answer["comment"]}
        return answer

    return reviewer


async def replay_planning(
    run_id: str, output_dir: Path = Path("runs"), *, listeners: list[Listener] | None = None
) -> RunResult:
    """Re-execute a recorded run from its recording: no model, no network, a new run directory."""
    output_dir = output_dir.resolve()
    saved = load_run(output_dir, run_id)
    source = run_dir_for(output_dir, run_id)
    if not (source / "recording" / "models.jsonl").is_file():
        raise InputError(f"run {run_id} has no recording (only real-model runs are recorded)")
    ctx = saved["context"]
    options = RunOptions(
        language=ctx["language"],
        max_revisions=ctx["max_revisions"],
        max_tool_calls=ctx["max_tool_calls"],
        max_consistency_rounds=ctx["max_consistency_rounds"],
        engine="replay",
        replay_from=source,
        use_memory=False,
        docs_dir=Path(ctx["docs_dir"]) if ctx.get("docs_dir") else None,
        mcp=ctx.get("mcp"),
        output_dir=output_dir,
    )
    scenario = Scenario.model_validate(saved["scenario"])
    return await run_planning(scenario, options, listeners=listeners, run_id=f"{run_id}-replay-{new_run_id(scenario)[-6:]}")


PAUSED = object()
Reviewer = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]
"""Answers one review pause (the interrupt's payload) with a decision, or None to pause the run."""


async def _answer(graph: Any, config: dict[str, Any], reviewer: Reviewer | None) -> Any:
    """Ask the reviewer about every pending pause; PAUSED when nobody answers now."""
    pending = await _pending_interrupts(graph, config)
    if reviewer is None:
        return PAUSED
    answers = {}
    for intr in pending:
        answer = await reviewer(intr.value)
        if answer is None:
            return PAUSED
        answers[intr.id] = answer
    return Command(resume=answers)


def _document_finished(update: dict[str, Any]) -> bool:
    """Whether a streamed update marks some document passed or failed (so it is written now)."""
    for node_update in update.values():
        for record in ((node_update or {}).get("documents") or {}).values() if isinstance(node_update, dict) else []:
            if record.get("status") in {"passed", "failed"}:
                return True
    return False


def model_label(ctx: RunContext, settings: Settings) -> str:
    """The model a run's description names: the offline engine's name, the writer's model, or the engine."""
    if ctx.engine == "offline":
        from genai_planner.models.offline import OFFLINE_MODEL_NAME

        return OFFLINE_MODEL_NAME
    if ctx.engine == "openai":
        return settings.model_for("writer", ctx.model)
    return ctx.model or ctx.engine


async def _drive(
    run_dir: Path,
    output_dir: Path,
    ctx: RunContext,
    graph_input: dict[str, Any] | None,
    listeners: list[Listener] | None,
    settings: Settings,
    persistence: tuple[Any, Any] | None = None,
    reviewer: Reviewer | None = None,
    budget: dict[str, Any] | None = None,
) -> RunResult:
    url = settings.genai_planner_database_url.get_secret_value() if settings.genai_planner_database_url is not None else None
    try:
        if persistence is not None:
            async with hold_lease(backend_for(output_dir, url, CHECKPOINT_DB), ctx.run_id):
                ctx = _apply_budget(run_dir, ctx, budget)
                return await _drive_with(run_dir, ctx, graph_input, listeners, *persistence, reviewer=reviewer)
        async with open_persistence(output_dir, settings, memory=ctx.use_memory) as (saver, store):
            # Held before the checkpoint or the ledger is read: one process drives a run at a time.
            async with hold_lease(backend_for(output_dir, url, CHECKPOINT_DB), ctx.run_id):
                ctx = _apply_budget(run_dir, ctx, budget)
                return await _drive_with(run_dir, ctx, graph_input, listeners, saver, store, reviewer=reviewer)
    finally:
        await close_tool_sources(ctx)  # every MCP session and server process ends with the run


def write_json_atomic(path: Path, data: Any) -> None:
    """Write a JSON state file whole or not at all: a temp file beside it, flushed, then renamed over it."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _apply_budget(run_dir: Path, ctx: RunContext, budget: dict[str, Any] | None) -> RunContext:
    """A resume's new `--max-tokens`/`--max-cost`: into the context, and recorded in run.json (the manifest copies it).

    Taken under the lease, so two resumes cannot interleave their edits of run.json.
    """
    changes = {k: v for k, v in (budget or {}).items() if v is not None and v != getattr(ctx, k)}
    if not changes:
        return ctx
    saved = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    saved["context"].update(changes)
    saved.setdefault("budget_changes", []).append(
        {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **{k: {"from": getattr(ctx, k), "to": v} for k, v in changes.items()}}
    )
    write_json_atomic(run_dir / RUN_FILE, saved)
    return ctx.model_copy(update=changes)


DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""No room to write: a full disk, a quota, or a file-size limit (EFBIG, as under `ulimit -f`)."""


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says there is no room to write.

    OSError ENOSPC/EDQUOT/EFBIG, or SQLite's 'database or disk is full' and 'disk I/O error'
    (what SQLite reports when a write past a file-size limit fails).
    """
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.OperationalError) and ("disk is full" in str(exc) or "disk I/O error" in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _storage_error(run_dir: Path, run_id: str, exc: BaseException) -> StorageError:
    reason = getattr(exc, "strerror", None) or str(exc)
    what = "writing to disk failed" if "I/O" in reason or "too large" in reason else "the disk is full"
    return StorageError(
        f"{what} ({reason}) writing run {run_id}; every step checkpointed so far is saved: "
        f"free some space, then `genai-planner resume {run_id} -o {run_dir.parent}`"
    )


def run_ledger(ctx: RunContext, checkpointed: dict[str, Any] | None, trace: Path) -> RunUsage:
    """The run's live usage ledger, continuing from what the run has spent.

    The state's `usage` holds what checkpointed steps spent. A kill also loses the calls in
    flight, which were paid for: their `llm_call` events are in the trace, so a resumed run
    starts from whichever total is larger and its budget covers the whole run.
    """
    ledger = RunUsage.from_totals(checkpointed, ctx.max_tokens, ctx.max_cost)
    traced = totals_from_trace(read_trace(trace)) if trace.is_file() else {}
    if traced.get("llm_calls", 0) > ledger.calls:
        ledger.input_tokens = max(ledger.input_tokens, traced["input_tokens"])
        ledger.output_tokens = max(ledger.output_tokens, traced["output_tokens"])
        ledger.cost = max(ledger.cost, traced.get("cost_usd") or 0.0)
        ledger.calls = traced["llm_calls"]
    return ledger


async def _pending_interrupts(graph: Any, config: dict[str, Any]) -> list[Any]:
    snapshot = await graph.aget_state(config)
    return [i for task in snapshot.tasks for i in task.interrupts]


async def _drive_with(
    run_dir: Path,
    ctx: RunContext,
    graph_input: Any,
    listeners: list[Listener] | None,
    saver: Any,
    store: Any,
    *,
    reviewer: Reviewer | None = None,
) -> RunResult:
    specs = load_document_specs()
    config: dict[str, Any] = {"configurable": {"thread_id": ctx.run_id}, "recursion_limit": run_recursion_limit()}
    saved = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    start = time.perf_counter()
    stop_reason: str | None = None
    fatal: PlannerError | None = None
    status = "running"
    kept_edits: list[Path] = []
    graph = build_graph().compile(checkpointer=saver, store=store)
    checkpointed = (await graph.aget_state(config)).values
    if graph_input is None and not checkpointed:
        graph_input = {"scenario": saved["scenario"]}  # killed before the first checkpoint: start over
    config["configurable"][LEDGER_KEY] = run_ledger(ctx, (checkpointed or {}).get("usage"), run_dir / "trace.jsonl")
    with trace_run(ctx.run_id, run_dir / "trace.jsonl", listeners):
        emit(
            "run_start",
            engine=ctx.engine,
            engine_reason=saved.get("engine_reason"),
            model=saved.get("model"),
            language=ctx.language,
            resumed=graph_input is None,
        )
        await open_tool_sources(ctx)
        # Resuming a run whose documents are still pending or in flight continues at the
        # last completed super-step; finished documents are not redone. Durability is
        # "sync": each super-step's checkpoint (and each finished task's writes) is on disk
        # before the next step starts, so a SIGKILL loses only the work in flight. The
        # default ("async") let a kill drop a whole finished step (measured: up to 24
        # model calls redone on resume, against at most 7 with "sync"; it costs ~35 ms per offline run).
        try:
            if graph_input is None and await _pending_interrupts(graph, config):
                graph_input = await _answer(graph, config, reviewer)  # a paused run: ask again
            while graph_input is not PAUSED:
                async for update in graph.astream(graph_input, config, context=ctx, stream_mode="updates", durability="sync"):
                    if _document_finished(update):
                        snapshot = await graph.aget_state(config)
                        kept_edits += write_outputs(run_dir, specs, snapshot.values, ctx.language, final=False) or []
                if not await _pending_interrupts(graph, config):
                    break
                graph_input = await _answer(graph, config, reviewer)
            if graph_input is PAUSED:
                status, stop_reason = "awaiting_review", "waiting for a person's review; resume to answer"
        except BudgetExceeded as exc:
            status, stop_reason = "budget_exhausted", str(exc)
        except PlannerError as exc:  # a configuration the endpoint refuses (key, model): one line, exit 2
            status, stop_reason, fatal = "error", str(exc), exc
        except (KeyboardInterrupt, asyncio.CancelledError):
            status, stop_reason = "interrupted", "stopped by the user"
        except Exception as exc:  # noqa: BLE001 - the manifest must say why the run stopped
            status, stop_reason = "error", f"{type(exc).__name__}: {exc}"[:500]
            if disk_full(exc):
                fatal = _storage_error(run_dir, ctx.run_id, exc)
        snapshot = await graph.aget_state(config)
        values = dict(snapshot.values or {})
        if status == "running":
            status = values.get("status") or ("interrupted" if snapshot.next else "error")
        try:
            kept_edits += write_outputs(run_dir, specs, values, ctx.language, final=True) or []
            wall = time.perf_counter() - start
            emit("run_end", status=status, reason=stop_reason, wall_s=round(wall, 3))
        except OSError as exc:
            if not disk_full(exc):
                raise
            fatal = fatal or _storage_error(run_dir, ctx.run_id, exc)
    try:
        manifest = build_manifest(run_dir, specs, values, ctx, saved, status, stop_reason)
    except OSError as exc:
        if not disk_full(exc):
            raise
        raise fatal or _storage_error(run_dir, ctx.run_id, exc) from None
    try:
        write_report(run_dir)
    except Exception as exc:  # noqa: BLE001 - a report problem must not lose a finished run
        manifest["report_error"] = f"{type(exc).__name__}: {exc}"[:300]
    if fatal is not None:
        raise fatal  # after the manifest: what was done stays on disk
    return RunResult(run_id=ctx.run_id, run_dir=run_dir, status=status, engine=ctx.engine, manifest=manifest, kept_edits=kept_edits)
