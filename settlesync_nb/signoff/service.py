"""The sign-off service: the one API the CLI and the sign-off panel call.

Every write (resolve, approve, enable, disable) is one transaction writing its table row and its
audit row; the run is registered in the same transaction the first time it is written about.
``enable`` evaluates the gate inside that transaction and refuses with :class:`SignoffRefused`:
the backend enforces the checklist whatever a user interface shows. Disabling is always allowed
and always recorded, even when sync is already off (each is a reviewer's explicit act).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

from ..errors import FileProblem
from .answers import check_compared, parse_cutoff, required, resolution_key
from .chain import AuditEntry
from .errors import SignoffRefused
from .facts import Approval, GateInput, InputState, StoredResolution, SyncState
from .gate import count_cancelled, evaluate
from .queries import (
    approval_from_row,
    current_sync,
    latest_approval,
    raw_entries,
    run_registered,
    stored_resolutions,
    sync_from_row,
)
from .runfolder import RUN_HINT, RunFolder, input_states, read_run
from .schema import APPROVE, DISABLE, ENABLE, REGISTER, RESOLVE
from .status import SignoffStatus, error_statuses
from .store import ENV_VAR, Ledger, database_url, ensure_schema, make_engine, read, safe_url, transaction
from .verify import VerifyResult, verify_store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


class SignoffService:
    """Sign-off of runs against one database.

    Args:
        db: A SQLAlchemy URL (text or ``URL``) or an engine (then the caller disposes of it).
        clock: Returns the current time, timezone-aware; tests pass a fixed one.
        cwd: Where relative input paths of a report are looked for first (default: the current
            directory at the time of the check).
    """

    def __init__(self, db: str | URL | Engine, *, clock: Clock = utc_now, cwd: str | Path | None = None) -> None:
        if isinstance(db, Engine):
            self.engine, self._owned = db, False
        else:
            self.engine, self._owned = make_engine(database_url(db) if isinstance(db, str) else db), True
        self.clock = clock
        self.cwd = Path(cwd) if cwd is not None else None
        ensure_schema(self.engine)

    @classmethod
    def open(
        cls,
        run_dir: str | Path | None = None,
        db: str | None = None,
        *,
        clock: Clock = utc_now,
        cwd: str | Path | None = None,
    ) -> SignoffService:
        """The service for ``db``, else ``$SETTLESYNC_DB``, else ``<run_dir>/settlesync.db``.

        Raises:
            FileProblem: the default database is wanted but ``run_dir`` is not a folder.
            UsageError: a malformed URL, or no URL and no run folder.
            StoreUnavailable: the database cannot be reached or opened.
        """
        if not (db or os.environ.get(ENV_VAR)) and run_dir is not None and not Path(run_dir).is_dir():
            raise FileProblem(str(run_dir), "is not a folder", RUN_HINT)
        return cls(database_url(db, run_dir), clock=clock, cwd=cwd)

    @property
    def database(self) -> str:
        """The database URL, password hidden."""
        return safe_url(self.engine.url)

    def close(self) -> None:
        """Release the connections (of an engine this service created)."""
        if self._owned:
            self.engine.dispose()

    def __enter__(self) -> SignoffService:
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _stamp(self) -> tuple[str, date]:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return a timezone-aware datetime")
        now = now.astimezone(UTC)
        return now.isoformat(timespec="microseconds"), now.date()

    def _inputs(self, run: RunFolder) -> tuple[InputState, ...]:
        return input_states(run.facts.inputs, run.path, self.cwd or Path.cwd())

    def _ensure_run(self, ledger: Ledger, run: RunFolder, reviewer: str) -> None:
        if run_registered(ledger.connection, run.run_id):
            return
        row = {
            "run_id": run.run_id,
            "fingerprint": run.facts.fingerprint,
            "run_dir": str(run.path),
            "report_json": run.report_text,
            "reviewer": reviewer,
        }
        ledger.record(REGISTER, reviewer, run.run_id, row)

    def _gate_input(self, connection: Connection, run: RunFolder, inputs: tuple[InputState, ...]) -> GateInput:
        return GateInput(
            report=run.facts,
            resolutions=stored_resolutions(connection, run.run_id),
            approval=latest_approval(connection, run.run_id),
            inputs=inputs,
            today=self._stamp()[1],
            store_problems=tuple(p.describe() for p in verify_store(connection).problems),
        )

    def register_run(self, run_dir: str | Path, reviewer: str) -> str:
        """Record the run's test report (once); returns its run id (sha256 of test_report.json)."""
        reviewer = required(reviewer, "reviewer")
        run = read_run(run_dir)

        def work(connection: Connection) -> str:
            self._ensure_run(Ledger(connection, self._stamp()[0]), run, reviewer)
            return run.run_id

        return transaction(self.engine, work)

    def resolve(
        self,
        run_dir: str | Path,
        *,
        reviewer: str,
        action: str,
        note: str,
        order_id: str | None = None,
        transaction_type: str | None = None,
        settlement_id: str | None = None,
        kind: str | None = None,
    ) -> StoredResolution:
        """Record that an error was rectified in NetSuite or its posting cancelled.

        Name an order error by ``order_id`` and ``transaction_type`` (Order or Refund), or a
        settlement-level one by ``settlement_id`` and ``kind``.

        Raises:
            UsageError: bad action, blank reviewer or note, or neither/both targets named.
            NotAnError: the target is not an error of the run (the message lists those that are).
        """
        reviewer, note = required(reviewer, "reviewer"), required(note, "note")
        run = read_run(run_dir)
        key = resolution_key(run.facts, action, order_id, transaction_type, settlement_id, kind)

        def work(connection: Connection) -> StoredResolution:
            ledger = Ledger(connection, self._stamp()[0])
            self._ensure_run(ledger, run, reviewer)
            row = {"run_id": run.run_id, "scope": key[0], "target": key[1], "detail": key[2]}
            row |= {"action": action, "reviewer": reviewer, "note": note}
            entry = ledger.record(RESOLVE, reviewer, run.run_id, row)
            return StoredResolution(key, action, reviewer, note, entry.recorded_at, entry.seq)

        return transaction(self.engine, work)

    def approve(
        self,
        run_dir: str | Path,
        *,
        reviewer: str,
        cutoff: date | str,
        checked_order: str,
        checked_refund: str,
        connector_live: bool,
        ack_cancelled: bool = False,
    ) -> Approval:
        """Record the reviewer's answers to Oracle's checklist for the run.

        The cancelled postings counted now are recorded with the acknowledgement, so a later
        change of that count leaves the acknowledgement unmet.

        Raises:
            UsageError: blank reviewer or a cutoff that is not ``YYYY-MM-DD``.
            InvalidCheckedOrder: a checked order is not among the report's suggestions.
        """
        reviewer, day = required(reviewer, "reviewer"), parse_cutoff(cutoff)
        run = read_run(run_dir)
        check_compared(run.facts, checked_order, checked_refund)

        def work(connection: Connection) -> Approval:
            ledger = Ledger(connection, self._stamp()[0])
            self._ensure_run(ledger, run, reviewer)
            count = count_cancelled(run.facts.errors, stored_resolutions(connection, run.run_id))
            row: dict[str, Any] = {"run_id": run.run_id, "reviewer": reviewer, "cutoff": day.isoformat()}
            row |= {"checked_order": checked_order, "checked_refund": checked_refund}
            row |= {"connector_live": bool(connector_live), "ack_cancelled": bool(ack_cancelled)}
            entry = ledger.record(APPROVE, reviewer, run.run_id, {**row, "cancelled_count": count})
            return approval_from_row({**entry.payload, "seq": entry.seq})

        return transaction(self.engine, work)

    def enable(self, run_dir: str | Path, reviewer: str) -> SyncState:
        """Switch Settlement Sync on for the run, if the gate passes now.

        Raises:
            SignoffRefused: the gate has unmet conditions (``unmet`` lists them); nothing is recorded.
        """
        reviewer = required(reviewer, "reviewer")
        run = read_run(run_dir)
        inputs = self._inputs(run)

        def work(connection: Connection) -> SyncState:
            ledger = Ledger(connection, self._stamp()[0])  # the head first: see Ledger
            gate = evaluate(self._gate_input(connection, run, inputs))
            approval = latest_approval(connection, run.run_id)
            if not gate.passed or approval is None:
                raise SignoffRefused(gate.unmet)
            row = {"run_id": run.run_id, "enabled": True, "cutoff": approval.cutoff.isoformat(), "reviewer": reviewer}
            entry = ledger.record(ENABLE, reviewer, run.run_id, row)
            return sync_from_row({**entry.payload, "seq": entry.seq})

        return transaction(self.engine, work)

    def disable(self, reviewer: str) -> SyncState:
        """Switch Settlement Sync off: always allowed, always recorded (even when already off)."""
        reviewer = required(reviewer, "reviewer")

        def work(connection: Connection) -> SyncState:
            ledger = Ledger(connection, self._stamp()[0])
            current = current_sync(connection)
            run_id = current.run_id if current is not None else None
            row = {"run_id": run_id, "enabled": False, "cutoff": None, "reviewer": reviewer}
            entry = ledger.record(DISABLE, reviewer, run_id, row)
            return sync_from_row({**entry.payload, "seq": entry.seq})

        return transaction(self.engine, work)

    def status(self, run_dir: str | Path) -> SignoffStatus:
        """The gate for the run as it stands now, its errors and the sync state (writes nothing)."""
        run = read_run(run_dir)
        inputs = self._inputs(run)

        def work(connection: Connection) -> SignoffStatus:
            g = self._gate_input(connection, run, inputs)
            return SignoffStatus(
                run_dir=str(run.path),
                database=self.database,
                registered=run_registered(connection, run.run_id),
                report=run.facts,
                gate=evaluate(g),
                errors=error_statuses(run.facts.errors, g.resolutions),
                cancelled_postings=count_cancelled(run.facts.errors, g.resolutions),
                inputs=inputs,
                approval=g.approval,
                sync=current_sync(connection),
            )

        return read(self.engine, work)

    def log(self, run_id: str | None = None) -> tuple[AuditEntry, ...]:
        """The audit log, oldest first (only one run's entries when ``run_id`` is given)."""
        return tuple(row.parsed() for row in read(self.engine, lambda c: raw_entries(c, run_id)))

    def verify(self) -> VerifyResult:
        """Check the hash chain and that the tables still match what the audit log recorded."""
        return read(self.engine, verify_store)
