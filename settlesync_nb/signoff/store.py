"""Where the sign-off is stored: the database URL, the engine, and audited transactions.

The URL is ``--db``, else ``SETTLESYNC_DB``, else ``sqlite:///<run folder>/settlesync.db``. It is
shown only through :func:`safe_url` (password hidden). Each audited operation is one
transaction (:func:`transaction`) in which a :class:`Ledger` writes the table rows and their
audit rows: two writers never fork the chain because the audit ``seq`` is the primary key (the
loser gets IntegrityError and the whole operation is retried); SQLite takes its write lock at
``BEGIN IMMEDIATE`` and waits up to :data:`BUSY_SECONDS` for it.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, create_engine, event, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from ..errors import UsageError
from .chain import GENESIS, AuditEntry, canonical, entry_hash
from .errors import StoreBusy, StoreUnavailable
from .schema import AUDITED, audit_log, metadata, payload_of

ENV_VAR = "SETTLESYNC_DB"
DB_FILE = "settlesync.db"
BUSY_SECONDS = 30
ATTEMPTS = 40
T = TypeVar("T")


def database_url(db: str | None = None, run_dir: str | Path | None = None) -> URL:
    """The sign-off database: ``db``, else ``$SETTLESYNC_DB``, else a SQLite file in ``run_dir``.

    Raises:
        UsageError: the URL is malformed, or there is neither a URL nor a run folder.
    """
    text = db or os.environ.get(ENV_VAR) or ""
    if text:
        try:
            return make_url(text)
        except ArgumentError:
            # Never echo the text: it may hold a password.
            raise UsageError(
                f"--db / {ENV_VAR} is not a database URL (expected dialect+driver://user:password@host:port/database)"
            ) from None
    if run_dir is None:
        raise UsageError(f"no sign-off database: pass --db URL, set {ENV_VAR}, or name a run folder with --run")
    return URL.create("sqlite", database=str(Path(run_dir).resolve() / DB_FILE))


def safe_url(url: URL) -> str:
    """The URL with its password hidden: the only form ever shown."""
    return url.render_as_string(hide_password=True)


def scrub(text: str, url: URL) -> str:
    """``text`` with the URL's password, should a driver echo it, replaced by ``***``."""
    return text.replace(url.password, "***") if isinstance(url.password, str) and url.password else text


def make_engine(url: URL) -> Engine:
    """An engine for ``url``; SQLite gets BEGIN IMMEDIATE, a busy timeout and foreign keys."""
    try:
        if url.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(safe_url(url), scrub(str(exc), url)) from None
    _sqlite_hooks(engine)
    return engine


def _sqlite_hooks(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions, and begin them IMMEDIATE (write lock)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def reachable(engine: Engine) -> Iterator[None]:
    """Turn a failure to reach or open the database into :class:`StoreUnavailable` (password hidden)."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        reason = scrub(str(exc.orig or exc).strip().splitlines()[0], engine.url)
        raise StoreUnavailable(safe_url(engine.url), reason) from None


def ensure_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet (two processes at once: the loser retries once)."""
    with reachable(engine):
        try:
            metadata.create_all(engine, checkfirst=True)
        except (IntegrityError, ProgrammingError):  # another process created them meanwhile
            time.sleep(0.2)
            metadata.create_all(engine, checkfirst=True)


def transaction(engine: Engine, work: Callable[[Connection], T], attempts: int = ATTEMPTS) -> T:
    """Run ``work`` in one transaction, again from the start when a concurrent writer won the seq.

    Raises:
        StoreBusy: every attempt collided (nothing was recorded).
    """
    for attempt in range(1, attempts + 1):
        try:
            with reachable(engine), engine.begin() as connection:
                return work(connection)
        except IntegrityError:
            if attempt == attempts:
                break
            time.sleep(random.uniform(0.001, 0.005 * attempt))
    raise StoreBusy(f"gave up after {attempts} attempts: other writers kept taking the next audit seq; try again")


def read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one read transaction."""
    with reachable(engine), engine.begin() as connection:
        return work(connection)


class Ledger:
    """Audited writes inside one transaction; the chain head is read once, when it is created.

    Read the head before reading anything a decision depends on: any write committed after that
    takes the same next seq, so this transaction then fails and is retried with fresh data.
    """

    def __init__(self, connection: Connection, recorded_at: str) -> None:
        self.connection = connection
        self.recorded_at = recorded_at
        head = connection.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        self.seq, self.prev_hash = (int(head.seq), str(head.hash)) if head else (0, GENESIS)

    def record(self, action: str, actor: str, run: str | None, row: dict[str, Any]) -> AuditEntry:
        """Insert ``row`` into the action's table, then its audit row chained to the head."""
        table: Table = AUDITED[action]
        seq = self.seq + 1
        full = {**row, "seq": seq, "recorded_at": self.recorded_at}
        self.connection.execute(insert(table).values(**full))
        payload = payload_of(full)
        digest = entry_hash(self.prev_hash, seq, self.recorded_at, actor, action, run, payload)
        entry = AuditEntry(seq, self.recorded_at, actor, action, run, payload, self.prev_hash, digest)
        self.connection.execute(
            insert(audit_log).values(
                seq=seq,
                recorded_at=self.recorded_at,
                actor=actor,
                action=action,
                run=run,
                payload=canonical(payload),
                prev_hash=self.prev_hash,
                hash=digest,
            )
        )
        self.seq, self.prev_hash = seq, digest
        return entry
