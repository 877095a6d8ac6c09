"""One process drives a run at a time: a lease row per run in the checkpoint database.

Three `resume`s of one run started together each drove it with a ledger of their own: 68
model calls and 262,086 tokens against `--max-tokens 100000`, and 200 duplicate trace
sequence numbers. The lease lives where the checkpoints live (the SQLite file in the
output folder, or the Postgres database), so every process that could drive the run sees
it. Taking it is one transaction (SQLite `BEGIN IMMEDIATE`, a Postgres advisory lock), so of
runs started together exactly one wins; the others stop with one line naming the holder
(pid, host, start) before they read a checkpoint or spend anything.

A lease is stale, and taken over, when its holder is gone: on the same host its process no
longer exists (or the pid now belongs to a process started later), or, from anywhere, its
heartbeat (renewed every `HEARTBEAT_S` while the run is driven) is older than `TTL_S`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_planner.core.errors import InputError, PlannerError

TTL_S = 120.0
HEARTBEAT_S = 10.0
TABLE = "genai_planner_run_leases"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (run_id TEXT PRIMARY KEY, token TEXT NOT NULL, pid INTEGER NOT NULL, "
    "host TEXT NOT NULL, proc_start TEXT, started_at TEXT NOT NULL, heartbeat_at DOUBLE PRECISION NOT NULL)"
)
_COLUMNS = ("run_id", "token", "pid", "host", "proc_start", "started_at", "heartbeat_at")


class RunBusy(PlannerError):
    """Another live process holds the run's lease (exit code 75: try again later)."""

    exit_code = 75


@dataclass(frozen=True)
class Holder:
    """Who holds a lease."""

    token: str
    pid: int
    host: str
    proc_start: str | None
    started_at: str
    heartbeat_at: float

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started_at}"


def _proc_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid from its first owner."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def holder_alive(holder: Holder, now: float) -> bool:
    """Whether the holder may still be driving the run (see the module docstring)."""
    if now - holder.heartbeat_at > TTL_S:
        return False
    if holder.host != socket.gethostname():
        return True  # another machine: only its heartbeat can tell
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    start = _proc_start(holder.pid)
    return not (holder.proc_start and start and start != holder.proc_start)


class _Backend:
    """Runs the lease's statements in one exclusive transaction."""

    def transact(self, fn: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class _Sqlite(_Backend):
    def __init__(self, path: Path):
        self.path = path

    def transact(self, fn: Any) -> Any:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # the write lock first: two takers cannot both see the row free
            conn.execute(_SCHEMA)
            result = fn(lambda sql, args=(): conn.execute(sql.replace("%s", "?"), args).fetchall())
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()


class _Postgres(_Backend):
    def __init__(self, url: str):
        self.url = url

    def transact(self, fn: Any) -> Any:
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (TABLE,))
            conn.execute(_SCHEMA)

            def query(sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
                cursor = conn.execute(sql, args)
                return cursor.fetchall() if cursor.description else []

            return fn(query)


def _holder(rows: list[Any]) -> Holder | None:
    if not rows:
        return None
    row = dict(zip(_COLUMNS, rows[0], strict=True))
    return Holder(row["token"], int(row["pid"]), row["host"], row["proc_start"], row["started_at"], float(row["heartbeat_at"]))


class Lease:
    """This process's claim on one run; `acquire`, `renew` and `release` it."""

    def __init__(self, backend: _Backend, run_id: str):
        self.backend = backend
        self.run_id = run_id
        self.token = uuid.uuid4().hex
        self.pid = os.getpid()
        self.took_over: Holder | None = None

    def _select(self, q: Any) -> Holder | None:
        return _holder(q(f"SELECT {', '.join(_COLUMNS)} FROM {TABLE} WHERE run_id = %s", (self.run_id,)))

    def acquire(self) -> None:
        """Take the lease, or raise `RunBusy` naming the live holder."""

        def take(q: Any) -> None:
            now = dt.datetime.now(dt.UTC)
            current = self._select(q)
            if current is not None and current.token != self.token and holder_alive(current, now.timestamp()):
                raise RunBusy(
                    f"run {self.run_id} is already being driven by {current.describe()}; wait for it to finish, "
                    f"or stop that process (a dead holder's lease is taken over at once, a silent one after {TTL_S:.0f} s)"
                )
            self.took_over = current if current is not None and current.token != self.token else None
            q(f"DELETE FROM {TABLE} WHERE run_id = %s", (self.run_id,))
            q(
                f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (self.run_id, self.token, self.pid, socket.gethostname(), _proc_start(self.pid), now.isoformat(timespec="seconds"), now.timestamp()),
            )

        self.backend.transact(take)

    def renew(self) -> bool:
        """Refresh the heartbeat; False when the lease is no longer ours."""

        def beat(q: Any) -> bool:
            q(f"UPDATE {TABLE} SET heartbeat_at = %s WHERE run_id = %s AND token = %s", (dt.datetime.now(dt.UTC).timestamp(), self.run_id, self.token))
            current = self._select(q)
            return current is not None and current.token == self.token

        return bool(self.backend.transact(beat))

    def release(self) -> None:
        """Give the lease up (only if it is still ours)."""
        self.backend.transact(lambda q: q(f"DELETE FROM {TABLE} WHERE run_id = %s AND token = %s", (self.run_id, self.token)))


def backend_for(output_dir: Path, database_url: str | None, checkpoint_db: str) -> _Backend:
    """The lease store beside the checkpoints: Postgres when a URL is set, else the output folder's SQLite file."""
    return _Postgres(database_url) if database_url else _Sqlite(output_dir / checkpoint_db)


@asynccontextmanager
async def hold_lease(backend: _Backend, run_id: str) -> AsyncIterator[Lease]:
    """Hold the run's lease while the body runs, renewing it in the background; released at the end, however it ends."""
    lease = Lease(backend, run_id)
    try:
        await asyncio.to_thread(lease.acquire)
    except RunBusy:
        raise
    except Exception as exc:  # noqa: BLE001 - sqlite3 or psycopg: the database refused the lease table; one line
        raise InputError(f"cannot take the lease on run {run_id} in the checkpoint database ({type(exc).__name__}: {exc})"[:400]) from None

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            try:
                await asyncio.to_thread(lease.renew)
            except Exception:  # noqa: BLE001,S112 - a missed beat only shortens the lease; the next one retries
                continue

    beating = asyncio.create_task(heartbeat())
    try:
        yield lease
    finally:
        beating.cancel()
        try:
            await asyncio.shield(asyncio.to_thread(lease.release))
        except Exception:  # noqa: BLE001,S110 - an unreleased lease goes stale with its process
            pass
