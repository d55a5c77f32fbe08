"""Tampering with the store is detected by ``verify``: the audit chain and the tables it recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pg
import pytest
from pg import make_run
from sqlalchemy import text

import settlesync_nb.cli.signoff_cmd  # noqa: F401  (registers `settlesync signoff`)
from settlesync_nb.cli import main
from settlesync_nb.signoff import SignoffRefused, SignoffService
from settlesync_nb.signoff.chain import canonical, entry_hash

NOW = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)

db_url = pg.db_url  # the database fixture: SQLite, and PostgreSQL when SETTLESYNC_TEST_PG_URL is set


@pytest.fixture
def signed(tmp_path: Path, db_url: str) -> Iterator[SignoffService]:
    """A store holding a whole sign-off: register 1, resolve 2 and 3, approve 4, enable 5, disable 6."""
    run = make_run(tmp_path)
    svc = SignoffService(db_url, clock=lambda: NOW)
    svc.resolve(run.dir, reviewer="alice", action="rectified", note="fixed", order_id="C", transaction_type="Order")
    svc.resolve(run.dir, reviewer="alice", action="rectified", note="fixed", order_id="D", transaction_type="Order")
    svc.approve(
        run.dir, reviewer="bob", cutoff="2026-08-01", checked_order="B", checked_refund="A", connector_live=True
    )
    svc.enable(run.dir, "carol")
    svc.disable("dave")
    assert [e.seq for e in svc.log()] == [1, 2, 3, 4, 5, 6]
    yield svc
    svc.close()


def sql(svc: SignoffService, statement: str, **params: object) -> None:
    with svc.engine.begin() as connection:
        connection.execute(text(statement), params)


def problems(svc: SignoffService) -> list[str]:
    result = svc.verify()
    assert not result.ok
    return [p.describe() for p in result.problems]


def test_untouched_store_verifies(signed: SignoffService) -> None:
    """A store written only through the service is intact, and the head is the last row."""
    result = signed.verify()
    assert result.ok and result.entries == 6 and result.head_seq == 6
    assert result.head_hash == signed.log()[-1].hash


def test_edited_audit_payload_is_found(signed: SignoffService) -> None:
    """Changing what an audit row says breaks its hash; verify names that seq first."""
    sql(signed, "UPDATE audit_log SET payload = replace(payload, 'fixed', 'nothing') WHERE seq = 2")
    result = signed.verify()
    assert result.first is not None and result.first.seq == 2 and result.first.where == "audit_log"
    assert "edited" in result.first.reason


def test_rehashed_edit_breaks_the_next_link(signed: SignoffService) -> None:
    """An edit whose hash is recomputed still breaks the next row's prev_hash (and the table disagrees)."""
    entry = signed.log()[1]
    payload = {**entry.payload, "note": "forged"}
    digest = entry_hash(entry.prev_hash, 2, entry.recorded_at, entry.actor, entry.action, entry.run, payload)
    sql(signed, "UPDATE audit_log SET payload = :p, hash = :h WHERE seq = 2", p=canonical(payload), h=digest)
    found = problems(signed)
    assert any(p.startswith("audit_log seq 3: prev_hash does not match") for p in found)
    assert any(p.startswith("resolutions seq 2: differs") and "'forged' recorded" in p for p in found)


def test_deleted_audit_row_is_found(signed: SignoffService) -> None:
    """Removing a row from the middle leaves a gap before the next seq."""
    sql(signed, "DELETE FROM audit_log WHERE seq = 3")
    found = problems(signed)
    assert "audit_log seq 4: follows seq 2: 1 row(s) missing before it (deleted?)" in found
    assert "resolutions seq 3: has no audit row (inserted directly?)" in found


def test_deleted_last_row_is_found_through_its_table_row(signed: SignoffService) -> None:
    """The chain alone cannot see a truncated tail; the orphaned sync_state row gives it away."""
    sql(signed, "DELETE FROM audit_log WHERE seq = 6")
    assert problems(signed) == ["sync_state seq 6: has no audit row (inserted directly?)"]


def test_reordered_rows_are_found(signed: SignoffService) -> None:
    """Swapping two audit rows' positions breaks the chain where they were swapped."""
    sql(signed, "UPDATE audit_log SET seq = 100 WHERE seq = 4")
    sql(signed, "UPDATE audit_log SET seq = 4 WHERE seq = 5")
    sql(signed, "UPDATE audit_log SET seq = 5 WHERE seq = 100")
    assert problems(signed)[0].startswith("audit_log seq 4: prev_hash does not match")


def test_edited_approval_row_is_found(signed: SignoffService) -> None:
    """Editing an approval with SQL, the audit log untouched, is found by comparing with the audit payload."""
    sql(signed, "UPDATE approvals SET cutoff = '2026-01-01' WHERE seq = 4")
    assert problems(signed) == [
        "approvals seq 4: differs from what its audit row recorded: "
        "cutoff: '2026-08-01' recorded, '2026-01-01' in the table"
    ]


def test_tampered_store_cannot_enable_sync(signed: SignoffService, tmp_path: Path) -> None:
    """An approval edited in the database directly blocks enabling until the store verifies again."""
    sql(signed, "UPDATE approvals SET connector_live = :yes WHERE seq = 4", yes=True)
    assert signed.verify().ok  # the same value written again is no change
    sql(signed, "UPDATE approvals SET checked_order = 'A' WHERE seq = 4")
    status = signed.status(tmp_path / "run")
    assert [c.name for c in status.gate.unmet] == ["orders_compared", "store_intact"]
    with pytest.raises(SignoffRefused, match="store_intact: tampering found: approvals seq 4"):
        signed.enable(tmp_path / "run", "carol")


def test_deleted_resolution_row_is_found(signed: SignoffService) -> None:
    """A recorded resolution whose row is gone is reported."""
    sql(signed, "DELETE FROM resolutions WHERE seq = 2")
    assert problems(signed) == [
        "resolutions seq 2: the resolve recorded in the audit log has no row in resolutions (deleted?)"
    ]


def test_forged_table_row_is_found(signed: SignoffService) -> None:
    """An approval inserted without the service has no audit row behind it."""
    sql(
        signed,
        "INSERT INTO approvals (seq, run_id, reviewer, cutoff, checked_order, checked_refund, connector_live, "
        "ack_cancelled, cancelled_count, recorded_at) SELECT 99, run_id, 'mallory', '2026-08-01', 'B', 'A', "
        "connector_live, ack_cancelled, 0, recorded_at FROM approvals WHERE seq = 4",
    )
    assert problems(signed) == ["approvals seq 99: has no audit row (inserted directly?)"]


def test_edited_stored_report_is_found(signed: SignoffService) -> None:
    """The stored test report must still hash to its run id."""
    sql(signed, "UPDATE runs SET report_json = replace(report_json, 'Errors', 'Complete')")
    assert problems(signed) == ["runs seq 1: report_json does not match its sha256 run_id (edited)"]


def test_cli_verify_exits_1_and_says_where(signed: SignoffService, capsys: pytest.CaptureFixture[str]) -> None:
    """`signoff verify` exits 0 when intact, and 1 naming the first bad seq after tampering."""
    url = signed.engine.url.render_as_string(hide_password=False)
    assert main(["signoff", "verify", "--db", url]) == 0
    assert "audit log intact: 6 entries" in capsys.readouterr().out
    sql(signed, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 5")
    assert main(["signoff", "verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "TAMPERING DETECTED: first at audit_log seq 5: hash does not match" in err
