"""MCP servers as tool sources: `--mcp FILE` (or `GENAI_PLANNER_MCP`) with the usual `mcpServers` JSON.

The file is the one other MCP clients read, plus three optional keys of ours per server:

```json
{"mcpServers": {
  "wiki":    {"command": "python", "args": ["wiki_server.py"], "env": {"WIKI_TOKEN": "..."},
              "answers": ["problem_statement", "2:*"], "timeout": 20},
  "tickets": {"url": "http://127.0.0.1:8765/mcp", "headers": {"Authorization": "Bearer ..."}}
}}
```

`command`/`args`/`env`/`cwd` start a stdio server; `url` (with optional `headers`) speaks
streamable HTTP (`"type": "sse"` for the older SSE transport). `answers` says which planned
questions the server's tools answer (the registry's `metadata["answers"]` patterns; absent:
every question), `timeout` bounds its start and each call (seconds), `disabled: true` skips it.

Why a hub with its own thread: `langchain-mcp-adapters` sessions are async context managers
that must be entered and left in one task, while tools are listed from sync code (the
registry, `tools list`) and called from the graph's event loop. The hub keeps each run's
sessions open in one background loop, so a stdio server starts once per run, not once per
call; tool calls cross over with `run_coroutine_threadsafe`. The runner closes the run's hub
at the end (`close_mcp_servers`), which ends every session and server process.

A server that does not start, times out or fails mid-run is one `mcp_server_unavailable`
warning and the run goes on without it; an error the tool itself reports is an ordinary
tool error (the runner turns it into a message). Values of `env` and `headers` are
registered as secrets, so they are redacted from every trace, manifest and span.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, ToolException

from genai_planner.core import regex_cache
from genai_planner.core.errors import InputError
from genai_planner.core.tracing import register_secrets, warn
from genai_planner.tools.results import normalise_output, synthetic_ref

DEFAULT_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 10.0
_OUR_KEYS = {"answers", "timeout", "disabled"}
_NAME_RE = regex_cache.compile(r"[^A-Za-z0-9_-]+")
_HTTP_TYPES = {"http", "streamable-http", "streamable_http", "streamablehttp"}


@dataclass(frozen=True)
class McpServer:
    """One entry of `mcpServers`: how to connect, which questions its tools answer, how long to wait."""

    name: str
    connection: dict[str, Any]
    answers: tuple[str, ...] | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def origin(self) -> str:
        """Where its tools come from, as `tools list` shows it."""
        return f"mcp:{self.name}"


_BRACED_VAR_RE = regex_cache.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value: str) -> str:
    """`${VAR}` from the environment (how configs keep tokens out of the file); bare `$` stays as written."""
    return _BRACED_VAR_RE.sub(lambda m: os.environ.get(m.group(1), m.group(0)), value)


def _server(name: str, entry: Any, where: str) -> McpServer | None:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: server {name!r} must be an object with 'command' or 'url'")
    if entry.get("disabled") is True:
        return None
    answers = entry.get("answers")
    if answers is not None and not (isinstance(answers, list) and all(isinstance(a, str) for a in answers)):
        raise InputError(f'{where}: server {name!r}: \'answers\' must be a list of question patterns, e.g. ["key_metrics", "2:*"]')
    timeout = entry.get("timeout", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        raise InputError(f"{where}: server {name!r}: 'timeout' must be a number of seconds between 0 and 3600")
    kind = str(entry.get("type") or entry.get("transport") or "").strip().lower()
    rest = {k: v for k, v in entry.items() if k not in _OUR_KEYS | {"type", "transport"}}
    if "url" in entry:
        if not isinstance(entry["url"], str) or not entry["url"].startswith(("http://", "https://")):
            raise InputError(f"{where}: server {name!r}: 'url' must be an http(s) URL")
        transport = "sse" if kind == "sse" else "streamable_http"
        if kind and kind not in _HTTP_TYPES | {"sse"}:
            raise InputError(f"{where}: server {name!r}: unknown type {kind!r} for a url (streamable-http or sse)")
        connection = {"transport": transport, "url": entry["url"], "timeout": float(timeout)}
        if rest.get("headers"):
            connection["headers"] = {str(k): _expand(str(v)) for k, v in dict(rest["headers"]).items()}
            register_secrets(list(connection["headers"].values()))
    elif "command" in entry:
        if not isinstance(entry["command"], str) or not entry["command"].strip():
            raise InputError(f"{where}: server {name!r}: 'command' must be a program name")
        args = entry.get("args") or []
        if not isinstance(args, list):
            raise InputError(f"{where}: server {name!r}: 'args' must be a list")
        connection = {"transport": "stdio", "command": entry["command"], "args": [str(a) for a in args]}
        if entry.get("env"):
            if not isinstance(entry["env"], dict):
                raise InputError(f"{where}: server {name!r}: 'env' must be an object")
            connection["env"] = {str(k): _expand(str(v)) for k, v in entry["env"].items()}
            register_secrets(list(connection["env"].values()))
        if entry.get("cwd"):
            connection["cwd"] = str(entry["cwd"])
    else:
        raise InputError(f"{where}: server {name!r} needs 'command' (stdio) or 'url' (streamable HTTP)")
    return McpServer(name=name, connection=connection, answers=tuple(answers) if answers is not None else None, timeout_s=float(timeout))


def load_mcp_config(path: str | Path) -> list[McpServer]:
    """The servers of an `mcpServers` file; `InputError` (one line) for a file that cannot be used."""
    where = f"--mcp {path}"
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot read it ({type(exc).__name__})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg} at line {exc.lineno})") from None
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        raise InputError(f'{where}: expected {{"mcpServers": {{"name": {{"command": ...}} or {{"url": ...}}}}}}')
    return [s for name, entry in servers.items() if (s := _server(str(name), entry, where)) is not None]


def _text_of(content: Any) -> Any:
    """An adapter tool's content as what the tool-result contract reads: its text parts (JSON is parsed there)."""
    if isinstance(content, str):
        return content
    texts = [b["text"] for b in content if isinstance(b, dict) and b.get("type") == "text" and b.get("text")] if isinstance(content, list) else []
    other = [b.get("type", "?") for b in content if isinstance(b, dict) and b.get("type") != "text"] if isinstance(content, list) else []
    if len(texts) == 1 and not other:
        return texts[0]
    payload: dict[str, Any] = {"results": texts}
    if other:
        payload["warnings"] = [f"{len(other)} non-text part(s) ({', '.join(sorted(set(other)))}) not used"]
    return payload


@dataclass
class _Session:
    """One server's open session (held by its serving task) and what it offers."""

    server: McpServer
    tools: list[BaseTool] = field(default_factory=list)
    stop: asyncio.Event | None = None
    task: asyncio.Future[Any] | None = None
    failed: str | None = None


class McpHub:
    """One run's MCP sessions, open in a background event loop until `close`."""

    def __init__(self, servers: list[McpServer]):
        self.servers = servers
        self.sessions: dict[str, _Session] = {}
        self.failures: list[tuple[str, str]] = []
        self._warned: set[str] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mcp-hub", daemon=True)
        self._thread.start()

    def open(self) -> None:
        """Start every server and list its tools, all at once; each failure is one warning."""
        futures = {s.name: asyncio.run_coroutine_threadsafe(self._start(s), self._loop) for s in self.servers}
        for server in self.servers:
            try:
                self.sessions[server.name] = futures[server.name].result(timeout=server.timeout_s + 5)
            except TimeoutError:  # the start's own limit, or ours on top of it (one class since Python 3.11)
                futures[server.name].cancel()
                self._fail(server.name, f"timed out after {server.timeout_s:g} s")
            except BaseException as exc:  # noqa: BLE001 - a server that does not start must not stop the run
                self._fail(server.name, str(exc) if isinstance(exc, ServerUnavailable) else _reason(exc))

    def _fail(self, name: str, reason: str) -> None:
        self.failures.append((name, reason))
        if name not in self._warned:
            self._warned.add(name)
            warn("mcp_server_unavailable", server=name, error=reason, message=f"MCP server {name!r} is unavailable ({reason}); the run goes on without it")

    async def _start(self, server: McpServer) -> _Session:
        """Open the session in a task that keeps it open (anyio scopes must close in the task that opened them)."""
        ready: asyncio.Future[_Session] = self._loop.create_future()
        session = _Session(server=server, stop=asyncio.Event())
        session.task = asyncio.ensure_future(self._serve(session, ready))
        try:
            return await asyncio.wait_for(asyncio.shield(ready), timeout=server.timeout_s)
        except BaseException:
            session.task.cancel()
            raise

    async def _serve(self, session: _Session, ready: asyncio.Future[_Session]) -> None:
        from langchain_mcp_adapters.tools import load_mcp_tools

        errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # a stdio server's stderr, off the console
        try:
            async with _session(session.server.connection, errlog) as client:
                await client.initialize()
                session.tools = await load_mcp_tools(client, server_name=session.server.name, handle_tool_errors=False)
                ready.set_result(session)
                await session.stop.wait()  # type: ignore[union-attr]
        except asyncio.CancelledError:
            ready.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - reported to whoever waits on it
            reason = _with_stderr(_reason(exc), errlog)
            if not ready.done():
                ready.set_exception(ServerUnavailable(reason))
            else:
                session.failed = reason
        finally:
            errlog.close()

    def call(self, server: str, tool: BaseTool, args: dict[str, Any]) -> Future[Any]:
        """Call `tool` of `server` in the hub's loop; the future carries what the tool returned."""
        session = self.sessions[server]

        async def _call() -> Any:
            return await asyncio.wait_for(tool.ainvoke(args), timeout=session.server.timeout_s)

        return asyncio.run_coroutine_threadsafe(_call(), self._loop)

    def tools(self) -> list[tuple[BaseTool, McpServer]]:
        """Every tool the started servers offer, wrapped for the tool runner, with its server."""
        taken: set[str] = set()
        out = []
        for name, session in self.sessions.items():
            for tool in session.tools:
                out.append((self._wrap(name, tool, taken), session.server))
        return out

    def _wrap(self, server: str, tool: BaseTool, taken: set[str]) -> BaseTool:
        spec = self.sessions[server].server
        name = _NAME_RE.sub("_", tool.name)[:64] or "tool"
        if name in taken:
            name = _NAME_RE.sub("_", f"{server}_{tool.name}")[:64]
        taken.add(name)

        async def _run(**kwargs: Any) -> Any:
            try:
                content = await asyncio.wrap_future(self._guarded(server, tool, kwargs))
            except Exception as exc:
                raise self._call_failed(server, exc) from None
            return self._result(server, name, content)

        def _run_sync(**kwargs: Any) -> Any:
            try:
                content = self._guarded(server, tool, kwargs).result()
            except Exception as exc:
                raise self._call_failed(server, exc) from None
            return self._result(server, name, content)

        metadata = {**(tool.metadata or {}), "mcp_server": server}
        if spec.answers is not None:
            metadata["answers"] = list(spec.answers)
        return StructuredTool(
            name=name,
            description=tool.description or f"{tool.name} (MCP server {server})",
            args_schema=tool.args_schema,
            func=_run_sync,
            coroutine=_run,
            metadata=metadata,
        )

    def _guarded(self, server: str, tool: BaseTool, args: dict[str, Any]) -> Future[Any]:
        """The call's future, or one that fails at once when the server is gone."""
        session = self.sessions[server]
        if session.failed or (session.task is not None and session.task.done()):
            done: Future[Any] = Future()
            done.set_exception(ToolException(f"MCP server {server!r} is unavailable ({session.failed or 'it stopped'})"))
            return done
        return self.call(server, tool, args)

    def _result(self, server: str, name: str, content: Any) -> dict[str, Any]:
        """Normalised by the contract, with results that have no ref cited as `mcp:<server>/<tool>#<hash>`."""
        payload = normalise_output(name, _text_of(content))
        for r in payload["results"]:
            if r["ref"] == synthetic_ref(name, r["text"]):
                r["ref"] = f"mcp:{server}/{name}#{r['ref'].rsplit('#', 1)[1]}"
        return payload

    def _call_failed(self, server: str, exc: Exception) -> ToolException:
        """The tool error the runner reports; a timeout or a broken session also takes the server out of the run (one warning)."""
        if isinstance(exc, ToolException):  # the tool reported an error, or the server was already out
            return exc
        session = self.sessions[server]
        session.failed = session.failed or _reason(exc)
        self._fail(server, session.failed)
        return ToolException(f"MCP server {server!r} is unavailable ({session.failed})")

    def close(self) -> None:
        """End every session (stdio servers exit), then the loop and its thread."""

        async def _stop_all() -> None:
            tasks = []
            for session in self.sessions.values():
                if session.stop is not None:
                    session.stop.set()
                if session.task is not None:
                    tasks.append(session.task)
            if tasks:
                await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT_S)
            for task in tasks:
                task.cancel()

        if self._loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(_stop_all(), self._loop).result(timeout=CLOSE_TIMEOUT_S + 2)
            except BaseException:  # noqa: BLE001,S110 - closing must never fail a finished run
                pass
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=CLOSE_TIMEOUT_S)
        if not self._thread.is_alive():
            self._loop.close()


class ServerUnavailable(Exception):
    """A server that could not start, with its reason (and its last line on stderr)."""


@asynccontextmanager
async def _session(connection: dict[str, Any], errlog: Any) -> AsyncIterator[Any]:
    """An MCP client session: stdio with the server's stderr in `errlog`, other transports through the adapters."""
    if connection["transport"] != "stdio":
        from langchain_mcp_adapters.sessions import create_session

        async with create_session(connection) as client:  # type: ignore[arg-type]
            yield client
        return
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=connection["command"], args=connection["args"], env=connection.get("env"), cwd=connection.get("cwd"))
    async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as client:
        yield client


def _with_stderr(reason: str, errlog: Any) -> str:
    """The reason, with the server's last line on stderr when it wrote one (why it crashed, usually)."""
    try:
        errlog.flush()
        errlog.seek(0)
        lines = [line.strip() for line in errlog.read()[-4000:].splitlines() if line.strip()]
    except (OSError, ValueError):
        return reason
    return f"{reason}; stderr: {lines[-1][:200]}" if lines else reason


def _reason(exc: BaseException) -> str:
    """A short, single-line reason, looking inside exception groups (anyio wraps transport errors in them)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = " ".join(str(exc).split())
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


_HUBS: dict[tuple[str, str], McpHub] = {}
_HUBS_LOCK = threading.Lock()


def mcp_hub(path: str, owner: str) -> McpHub:
    """The open hub of `owner` (a run id) for the config at `path`, started on first use."""
    key = (owner, str(Path(path).resolve()))
    with _HUBS_LOCK:
        hub = _HUBS.get(key)
        if hub is None:
            hub = _HUBS[key] = McpHub(load_mcp_config(path))
            hub.open()
        return hub


def close_mcp_servers(owner: str) -> None:
    """Close every hub `owner` opened (the runner calls it when a run ends)."""
    with _HUBS_LOCK:
        hubs = [_HUBS.pop(k) for k in [k for k in _HUBS if k[0] == owner]]
    for hub in hubs:
        hub.close()
