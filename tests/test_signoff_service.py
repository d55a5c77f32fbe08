"""The sign-off service over a real run folder, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pg
import pytest
from pg import Run, make_run
from sqlalchemy import event, func, select

from settlesync_nb.errors import FileProblem, UsageError
from settlesync_nb.signoff import InvalidCheckedOrder, NotAnError, SignoffRefused, SignoffService
from settlesync_nb.signoff.schema import approvals, audit_log, resolutions, runs, sync_state

NOW = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)

db_url = pg.db_url  # the database fixture: SQLite, and PostgreSQL when SETTLESYNC_TEST_PG_URL is set


def service(url: str, **options: object) -> SignoffService:
    return SignoffService(url, clock=lambda: NOW, **options)  # type: ignore[arg-type]


def count(svc: SignoffService, table: object) -> int:
    with svc.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def resolve_all(svc: SignoffService, run: Run, d_action: str = "rectified") -> None:
    svc.resolve(run.dir, reviewer="alice", action="rectified", note="fixed", order_id="C", transaction_type="Order")
    svc.resolve(run.dir, reviewer="alice", action=d_action, note="dropped", order_id="D", transaction_type="Order")


def approve(svc: SignoffService, run: Run, **changes: object) -> None:
    answers: dict[str, object] = {"reviewer": "bob", "cutoff": "2026-08-01", "checked_order": "B"}
    answers |= {"checked_refund": "A", "connector_live": True, "ack_cancelled": False, **changes}
    svc.approve(run.dir, **answers)  # type: ignore[arg-type]


def test_full_flow_enables_then_disables(tmp_path: Path, db_url: str) -> None:
    """Resolving every error, approving and enabling turns sync on; disabling turns it off."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        assert not svc.status(run.dir).gate.passed
        resolve_all(svc, run)
        approve(svc, run)
        state = svc.enable(run.dir, "carol")
        assert state.enabled and state.cutoff == date(2026, 8, 1) and state.reviewer == "carol"
        status = svc.status(run.dir)
        assert status.gate.passed and status.sync_enabled and status.enabled_for_this_run
        assert status.describe_dict()["enabled_by"] == "carol"
        assert status.describe_dict()["enabled_at"] == NOW.isoformat(timespec="microseconds")
        svc.disable("dave")
        assert not svc.status(run.dir).sync_enabled
        assert [e.action for e in svc.log()] == ["register", "resolve", "resolve", "approve", "enable", "disable"]
        assert svc.verify().ok


def test_enable_is_refused_with_unmet_conditions_and_records_nothing(tmp_path: Path, db_url: str) -> None:
    """Enabling before the checklist is done raises SignoffRefused naming what is unmet; nothing is written."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        resolve_all(svc, run)
        before = count(svc, audit_log)
        with pytest.raises(SignoffRefused) as refused:
            svc.enable(run.dir, "carol")
        assert {c.name for c in refused.value.unmet} == {
            "orders_compared",
            "connector_live",
            "cutoff_set",
            "approval_current",
        }
        assert "cutoff_set" in str(refused.value)
        assert count(svc, audit_log) == before and count(svc, sync_state) == 0


def test_resolve_refuses_what_is_not_an_error(tmp_path: Path, db_url: str) -> None:
    """A resolution for an order that is no error of the run is refused, listing the errors."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        with pytest.raises(NotAnError) as wrong:
            svc.resolve(run.dir, reviewer="alice", action="rectified", note="x", order_id="A", transaction_type="Order")
        assert "order C (Order): amount_mismatch" in str(wrong.value)
        with pytest.raises(NotAnError):
            svc.resolve(
                run.dir, reviewer="alice", action="rectified", note="x", order_id="C", transaction_type="Refund"
            )
        with pytest.raises(UsageError):
            svc.resolve(run.dir, reviewer="alice", action="fixed", note="x", order_id="C", transaction_type="Order")
        with pytest.raises(UsageError):
            svc.resolve(run.dir, reviewer=" ", action="rectified", note="x", order_id="C", transaction_type="Order")
        assert count(svc, audit_log) == 0


def test_settlement_level_error_is_resolved_by_settlement_and_kind(tmp_path: Path, db_url: str) -> None:
    """An inconsistent settlement is resolved with its settlement id and kind."""
    run = make_run(tmp_path, inconsistent=True)
    with service(db_url) as svc:
        resolve_all(svc, run)
        assert not svc.status(run.dir).gate.conditions[0].met
        svc.resolve(
            run.dir,
            reviewer="alice",
            action="rectified",
            note="reserve",
            settlement_id="1001",
            kind="settlement_inconsistent",
        )
        assert svc.status(run.dir).gate.conditions[0].met


def test_approve_refuses_orders_that_were_not_suggested(tmp_path: Path, db_url: str) -> None:
    """Checked orders must be among the report's suggestions; the error lists the valid ones."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        with pytest.raises(InvalidCheckedOrder) as wrong:
            approve(svc, run, checked_order="C")
        assert wrong.value.valid == ("B",)
        with pytest.raises(InvalidCheckedOrder, match="valid options are: A"):
            approve(svc, run, checked_refund="B")
        with pytest.raises(UsageError, match="YYYY-MM-DD"):
            approve(svc, run, cutoff="2026-02-30")
        assert count(svc, approvals) == 0


def test_changed_input_makes_the_approval_stale(tmp_path: Path, db_url: str) -> None:
    """After an input file changes (or goes missing) the gate fails and enabling is refused."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        resolve_all(svc, run)
        approve(svc, run)
        assert svc.status(run.dir).gate.passed
        run.netsuite.write_text(run.netsuite.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        with pytest.raises(SignoffRefused) as refused:
            svc.enable(run.dir, "carol")
        assert [c.name for c in refused.value.unmet] == ["inputs_unchanged"]
        assert "changed:" in refused.value.unmet[0].detail
        run.netsuite.unlink()
        assert "missing:" in svc.status(run.dir).gate.unmet[0].detail


def test_relative_input_paths_are_found_beside_the_run_folder(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths recorded relative to where reconcile ran are found from the run folder's parent."""
    from settlesync_nb.cli import main

    monkeypatch.chdir(tmp_path)
    make_run(tmp_path / "first")
    inputs = tmp_path / "first" / "inputs"
    assert main(["reconcile", "--amazon", "first/inputs/s.txt", "--netsuite", "first/inputs/ns.csv", "--out", "r"]) == 1
    monkeypatch.chdir(inputs)  # neither path exists relative to here
    with service(db_url) as svc:
        states = svc.status(tmp_path / "r").inputs
    assert all(s.ok for s in states) and states[0].location == str(inputs / "s.txt")


def test_resolution_after_approval_makes_it_stale(tmp_path: Path, db_url: str) -> None:
    """Resolving an error again after approving requires a new approval."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        resolve_all(svc, run)
        approve(svc, run)
        svc.resolve(run.dir, reviewer="alice", action="rectified", note="again", order_id="C", transaction_type="Order")
        assert [c.name for c in svc.status(run.dir).gate.unmet] == ["approval_current"]
        approve(svc, run)
        assert svc.enable(run.dir, "carol").enabled


def test_cancelled_postings_need_an_acknowledgement_of_their_count(tmp_path: Path, db_url: str) -> None:
    """A cancelled posting must be acknowledged; the count is recorded with the approval."""
    run = make_run(tmp_path)
    with service(db_url) as svc:
        resolve_all(svc, run, d_action="cancelled")
        approve(svc, run)
        status = svc.status(run.dir)
        assert status.cancelled_postings == 1
        assert [c.name for c in status.gate.unmet] == ["cancelled_acknowledged"]
        approve(svc, run, ack_cancelled=True)
        status = svc.status(run.dir)
        assert status.gate.passed and status.approval is not None and status.approval.cancelled_count == 1
        assert any("will not be complete" in w for w in status.gate.warnings)


def test_disable_is_always_allowed_and_recorded(tmp_path: Path, db_url: str) -> None:
    """Disabling when sync was never on still succeeds and is audited, each time."""
    with service(db_url) as svc:
        svc.disable("dave")
        svc.disable("dave")
        assert [e.action for e in svc.log()] == ["disable", "disable"]
        assert count(svc, sync_state) == 2 and svc.verify().ok


def test_same_report_in_two_folders_is_one_run(tmp_path: Path, db_url: str) -> None:
    """A run is its test report: a copy elsewhere shares its resolutions; a new report does not."""
    run = make_run(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "test_report.json").write_bytes((run.dir / "test_report.json").read_bytes())
    with service(db_url) as svc:
        resolve_all(svc, run)
        assert svc.status(copy).gate.conditions[0].met
        other = make_run(tmp_path / "elsewhere")  # same content, other paths: another report
        assert not svc.status(other.dir).gate.conditions[0].met
        assert count(svc, runs) == 1


def test_audit_failure_rolls_back_the_table_row(tmp_path: Path, db_url: str) -> None:
    """When the audit insert fails mid-operation, neither the resolution nor the run registration remains."""
    run = make_run(tmp_path)
    with service(db_url) as svc:

        def fail(conn: object, cursor: object, statement: str, *args: object) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG") and "resolve" in str(args[0]):
                raise RuntimeError("disk died")

        event.listen(svc.engine, "before_cursor_execute", fail)
        with pytest.raises(RuntimeError, match="disk died"):
            svc.resolve(run.dir, reviewer="alice", action="rectified", note="x", order_id="C", transaction_type="Order")
        event.remove(svc.engine, "before_cursor_execute", fail)
        assert count(svc, resolutions) == 0 and count(svc, runs) == 0 and count(svc, audit_log) == 0
        resolve_all(svc, run)
        assert svc.verify().ok and [e.seq for e in svc.log()] == [1, 2, 3]


CRASH = """
import os, sys
from sqlalchemy import event
from settlesync_nb.signoff import SignoffService

service = SignoffService(sys.argv[1])


def die(conn, cursor, statement, *args):
    if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
        os._exit(9)  # the process dies with the table row written and nothing committed


event.listen(service.engine, "before_cursor_execute", die)
service.resolve(sys.argv[2], reviewer="alice", action="rectified", note="x", order_id="C", transaction_type="Order")
"""


def test_process_killed_mid_write_leaves_nothing(tmp_path: Path, db_url: str) -> None:
    """A writer process that dies between its table row and its audit row leaves no trace and no lock."""
    run = make_run(tmp_path)
    done = subprocess.run([sys.executable, "-c", CRASH, db_url, str(run.dir)], timeout=120, check=False)
    assert done.returncode == 9
    with service(db_url) as svc:
        assert count(svc, runs) == 0 and count(svc, resolutions) == 0 and count(svc, audit_log) == 0
        resolve_all(svc, run)
        assert [e.seq for e in svc.log()] == [1, 2, 3] and svc.verify().ok


def test_unknown_run_folder_is_an_input_error(tmp_path: Path, db_url: str) -> None:
    """A folder without a test report is refused with a hint."""
    with service(db_url) as svc, pytest.raises(FileProblem, match="reconcile"):
        svc.status(tmp_path)


def test_default_database_is_a_file_in_the_run_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --db or SETTLESYNC_DB the store is settlesync.db inside the run folder; the variable wins over it."""
    monkeypatch.delenv("SETTLESYNC_DB", raising=False)
    run = make_run(tmp_path)
    with SignoffService.open(run.dir) as svc:
        svc.disable("dave")
    assert (run.dir / "settlesync.db").is_file()
    monkeypatch.setenv("SETTLESYNC_DB", f"sqlite:///{tmp_path / 'env.db'}")
    with SignoffService.open(run.dir) as svc:
        assert svc.log() == ()
    assert (tmp_path / "env.db").is_file()
    assert os.environ["SETTLESYNC_DB"].endswith("env.db")
