"""Concurrent writers never fork the audit chain nor lose a write; collisions are retried."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pg
import pytest
from pg import make_run
from sqlalchemy import Connection, insert
from sqlalchemy.exc import IntegrityError

from settlesync_nb.signoff import SignoffService, StoreBusy
from settlesync_nb.signoff.chain import AuditEntry
from settlesync_nb.signoff.schema import DISABLE, audit_log
from settlesync_nb.signoff.store import Ledger, transaction

NOW = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)
THREADS = 6
EACH = 4

db_url = pg.db_url  # the database fixture: SQLite, and PostgreSQL when SETTLESYNC_TEST_PG_URL is set


def test_concurrent_approvals_keep_one_chain(tmp_path: Path, db_url: str) -> None:
    """Reviewers approving at once, each with their own connection, get distinct seqs and a valid chain."""
    run = make_run(tmp_path)
    SignoffService(db_url).close()  # create the tables once, as a deployed database would have them
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def reviewer(number: int) -> None:
        try:
            with SignoffService(db_url, clock=lambda: NOW) as svc:
                barrier.wait()
                for _ in range(EACH):
                    svc.approve(
                        run.dir,
                        reviewer=f"reviewer-{number}",
                        cutoff="2026-08-01",
                        checked_order="B",
                        checked_refund="A",
                        connector_live=True,
                    )
        except BaseException as exc:  # report it in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with SignoffService(db_url) as svc:
        log = svc.log()
        assert [e.seq for e in log] == list(range(1, THREADS * EACH + 2))  # no gap, no duplicate
        assert [e.action for e in log].count("register") == 1
        assert sorted(e.actor for e in log if e.action == "approve") == sorted(
            f"reviewer-{n}" for n in range(THREADS) for _ in range(EACH)
        )
        assert svc.verify().ok


def test_collision_on_the_next_seq_is_retried(tmp_path: Path, db_url: str) -> None:
    """When another writer takes the next seq first, the whole operation runs again and succeeds."""
    attempts: list[int] = []
    with SignoffService(db_url) as svc:

        def work(connection: Connection) -> AuditEntry:
            ledger = Ledger(connection, NOW.isoformat())
            attempts.append(ledger.seq)
            if len(attempts) == 1:  # a concurrent writer's row at the seq this one is about to take
                values = {"seq": 1, "recorded_at": "x", "actor": "other", "action": "disable", "payload": "{}"}
                connection.execute(insert(audit_log).values(**values, prev_hash="0" * 64, hash="0" * 64))
            return ledger.record(
                DISABLE, "dave", None, {"run_id": None, "enabled": False, "cutoff": None, "reviewer": "dave"}
            )

        entry = transaction(svc.engine, work)
        assert attempts == [0, 0] and entry.seq == 1
        assert [e.actor for e in svc.log()] == ["dave"] and svc.verify().ok


def test_endless_collisions_give_up_without_recording(tmp_path: Path, db_url: str) -> None:
    """A write that keeps colliding stops after its attempts with StoreBusy."""

    def work(connection: Connection) -> None:
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    with SignoffService(db_url) as svc, pytest.raises(StoreBusy, match="try again"):
        transaction(svc.engine, work, attempts=3)
