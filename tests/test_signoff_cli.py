"""`settlesync signoff`: the whole flow in-process, exit codes 0/1/2, and no password in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pg
import pytest
from builders import order, refund, sale, write_netsuite, write_v2
from sqlalchemy.engine import make_url

import settlesync_nb.cli.signoff_cmd  # noqa: F401  (registers `settlesync signoff`)
from settlesync_nb.cli import main

db_url = pg.db_url  # the database fixture: SQLite, and PostgreSQL when SETTLESYNC_TEST_PG_URL is set


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their database explicitly."""
    monkeypatch.delenv("SETTLESYNC_DB", raising=False)


def reconcile(tmp_path: Path) -> Path:
    """Run `settlesync reconcile` on tiny files: errors C (amount) and D (missing); A refunded, B not."""
    rows = order("A", "10.00") + refund("A", "-4.00") + order("B", "5.00") + order("C", "7.00") + order("D", "3.00")
    amazon = write_v2(tmp_path / "s.txt", "1001", rows)
    netsuite = write_netsuite(
        tmp_path / "ns.csv",
        [
            sale("1", "A", "10.00"),
            sale("2", "A", "4.00", kind="Credit Memo"),
            sale("3", "B", "5.00"),
            sale("4", "C", "6.00"),
        ],
    )
    out = tmp_path / "run"
    assert main(["reconcile", "--amazon", str(amazon), "--netsuite", str(netsuite), "--out", str(out)]) == 1
    return out


def signoff(capsys: pytest.CaptureFixture[str], command: str, *extra: str, **values: object) -> tuple[int, str, str]:
    """Run ``settlesync signoff`` with ``command`` split on spaces (each word formatted with ``values``)."""
    capsys.readouterr()
    code = main(["signoff", *(word.format(**values) for word in command.split()), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


APPROVE = "--reviewer bob --cutoff 2026-08-01 --checked-order B --checked-refund A"
RESOLVE = "resolve --run {run} --action rectified --reviewer al --note n"


def test_flow_from_reconcile_to_verify(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """reconcile, resolve, approve, enable, status --json, disable, log and verify all succeed in turn."""
    where = {"run": reconcile(tmp_path), "db": db_url}
    code, out, _ = signoff(
        capsys, "resolve --run {run} --db {db} --order C --type Order --action rectified --reviewer alice",
        "--note", "cash sale corrected", **where,
    )  # fmt: skip
    assert code == 0 and "order C (Order) rectified by alice" in out
    code, out, _ = signoff(
        capsys, "resolve --run {run} --db {db} --order D --type Order --action cancelled --reviewer alice",
        "--note", "posting cancelled in FarApp", **where,
    )  # fmt: skip
    assert code == 0 and "will not be complete" in out
    code, out, _ = signoff(
        capsys, f"approve --run {{run}} --db {{db}} {APPROVE} --connector-live --ack-cancelled", **where
    )
    assert code == 0 and "gate: passed" in out
    code, out, _ = signoff(capsys, "enable --run {run} --db {db} --reviewer carol", **where)
    assert code == 0 and "Settlement Sync enabled by carol" in out
    code, out, _ = signoff(capsys, "status --run {run} --db {db} --json", **where)
    status = json.loads(out)
    assert code == 0 and status["sync_enabled"] is True and status["passed"] is True
    assert (status["cutoff"], status["approved_by"], status["enabled_by"]) == ("2026-08-01", "bob", "carol")
    assert status["enabled_at"] and status["cancelled_postings"] == 1
    assert status["conditions"][0]["name"] == "report_complete"
    assert all(c["met"] for c in status["conditions"])
    assert signoff(capsys, "disable --run {run} --db {db} --reviewer dave", **where)[0] == 0
    code, out, _ = signoff(capsys, "status --run {run} --db {db} --json", **where)
    assert json.loads(out)["sync_enabled"] is False and json.loads(out)["enabled_by"] is None
    code, out, _ = signoff(capsys, "log --db {db}", **where)
    actions = [line.split()[3] for line in out.splitlines()]
    assert code == 0 and actions == ["register", "resolve", "resolve", "approve", "enable", "disable"]
    code, out, _ = signoff(capsys, "log --db {db} --json", **where)
    assert [e["seq"] for e in json.loads(out)] == [1, 2, 3, 4, 5, 6]
    code, out, _ = signoff(capsys, "verify --db {db}", **where)
    assert code == 0 and "audit log intact: 6 entries" in out


def test_enable_refused_exits_1_listing_unmet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Enabling with open errors and no approval exits 1 and lists each unmet condition."""
    run = reconcile(tmp_path)
    code, out, err = signoff(capsys, "enable --run {run} --reviewer carol", run=run)
    assert code == 1 and out == ""
    assert "sync not enabled: 5 condition(s) unmet" in err
    assert "report_complete: 2 of 2 error(s) neither rectified nor cancelled" in err
    assert "Traceback" not in err
    code, out, _ = signoff(capsys, "status --run {run} --json", run=run)
    assert json.loads(out)["sync_enabled"] is False


def test_human_status_lists_each_condition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`status` without --json prints each condition as met or UNMET and the sync state."""
    run = reconcile(tmp_path)
    code, out, _ = signoff(capsys, "status --run {run}", run=run)
    assert code == 0
    assert "[UNMET] test report Complete once resolutions are applied" in out
    assert "[met] input files unchanged since the run" in out
    assert "Settlement Sync: disabled" in out
    assert (run / "settlesync.db").is_file()  # the default database lives in the run folder


def test_settlement_error_resolved_with_settlement_and_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--settlement ID --kind KIND` resolves a settlement-level error; a wrong kind exits 2 listing the errors."""
    amazon = write_v2(tmp_path / "s.txt", "1001", order("A", "10.00"), total="10.01")
    netsuite = write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "10.00")])
    run = tmp_path / "run"
    assert main(["reconcile", "--amazon", str(amazon), "--netsuite", str(netsuite), "--out", str(run)]) == 1
    code, _, err = signoff(capsys, f"{RESOLVE} --settlement 1001 --kind duplicate_settlement", run=run)
    assert code == 2 and "settlement 1001: settlement_inconsistent" in err
    code, out, _ = signoff(capsys, f"{RESOLVE} --settlement 1001 --kind settlement_inconsistent", run=run)
    assert code == 0 and "[met] test report Complete" in out


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("status --run {tmp}/nowhere", "is not a folder"),
        ("status --run {tmp}", "test_report.json: not found"),
        (f"approve --run {{run}} {APPROVE} --cutoff 01/08/2026", "YYYY-MM-DD"),
        (f"approve --run {{run}} {APPROVE} --cutoff 2026-02-30", "YYYY-MM-DD"),
        (f"approve --run {{run}} {APPROVE} --checked-refund C", "valid options are: A"),
        (f"{RESOLVE} --order Q --type Order", "is not an error of this run"),
        (f"{RESOLVE} --order C --type Refund", "order C (Order): amount_mismatch"),
        (f"{RESOLVE} --order C", "--order needs --type"),
        (f"{RESOLVE} --order C --type Order --settlement 1001 --kind k", "name the error with"),
        (f"{RESOLVE} --order C --type Sale", "'Sale' is not one of"),
        ("log --db not-a-url", "is not a database URL"),
        ("log", "no sign-off database"),
    ],
)
def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, message: str) -> None:
    """Unknown run folders, bad dates, unknown orders and bad options exit 2 with one message."""
    run = reconcile(tmp_path)
    code, _, err = signoff(capsys, command, tmp=tmp_path, run=run)
    assert code == 2 and message in err and "Traceback" not in err


def test_password_is_never_printed_for_an_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    """A database that cannot be reached exits 2 naming it with the password hidden."""
    code, out, err = signoff(capsys, "log --db postgresql+psycopg://settlesync:S3cretPW@127.0.0.1:1/none")
    assert code == 2 and "postgresql+psycopg://settlesync:***@127.0.0.1:1/none" in err
    assert "S3cretPW" not in out + err


def test_password_is_never_printed(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Neither status, refusals, log nor verify show the database password; a wrong one is not echoed either."""
    url = make_url(db_url)
    where = {"run": reconcile(tmp_path), "db": db_url}
    outputs = []
    for command in ("status", "status --json", "enable --reviewer c", "disable --reviewer d"):
        code, out, err = signoff(capsys, f"{command} --run {{run}} --db {{db}}", **where)
        assert code in (0, 1)
        outputs.append(out + err)
    for command in ("log", "verify"):
        outputs.append("".join(signoff(capsys, f"{command} --db {{db}}", **where)[1:]))
    assert "database " in outputs[0]
    if url.password:  # PostgreSQL
        assert all(str(url.password) not in text for text in outputs)
        wrong = url.set(password="Wr0ngSecret").render_as_string(hide_password=False)
        code, out, err = signoff(capsys, "log --db {db}", db=wrong)
        assert code == 2 and "***" in err and "Wr0ngSecret" not in out + err


def test_environment_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SETTLESYNC_DB is used when --db is not given, so log and verify need no --run."""
    monkeypatch.setenv("SETTLESYNC_DB", f"sqlite:///{tmp_path / 'shared.db'}")
    run = reconcile(tmp_path)
    assert signoff(capsys, "disable --reviewer dave")[0] == 0
    out = signoff(capsys, "status --run {run} --json", run=run)[1]
    assert json.loads(out)["database"].endswith("shared.db")
    assert "disable" in signoff(capsys, "log")[1]
