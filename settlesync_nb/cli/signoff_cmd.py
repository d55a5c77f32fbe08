"""``signoff``: resolve errors, approve Oracle's checklist, switch Settlement Sync on or off, audit.

Thin wrappers over :class:`settlesync_nb.signoff.SignoffService`. Exit codes: 0 done, 1 refused
(unmet conditions listed) or tampering found, 2 bad input (unknown run folder, bad date,
unknown order, unreachable database). The database URL is only ever shown password-hidden.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import UsageError

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only when a signoff command runs
    from ..signoff import AuditEntry, SignoffService, SignoffStatus, VerifyResult
from .app import EXIT_FINDINGS, EXIT_OK, RESOLUTION_ACTIONS, cli

F = TypeVar("F", bound=Callable[..., int])


def _run_option(required: bool) -> Callable[[F], F]:
    return click.option(
        "--run",
        "run",
        required=required,
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Output folder of `reconcile` or `report` (its settlesync.db is the default database).",
    )


db_option = click.option(
    "--db",
    default=None,
    metavar="URL",
    help="SQLAlchemy database URL (default: $SETTLESYNC_DB, else DIR/settlesync.db).",
)
reviewer_option = click.option("--reviewer", required=True, metavar="NAME", help="Who is acting (recorded).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _handled(command: F) -> F:
    """Refusals and give-ups become a message and exit 1 (input errors are handled by main: 2)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> int:
        from ..signoff import SignoffRefused, StoreBusy

        try:
            return command(*args, **kwargs)
        except (SignoffRefused, StoreBusy) as exc:
            click.echo(f"settlesync: {exc}", err=True)
            return EXIT_FINDINGS

    return wrapper  # type: ignore[return-value]


def _open(run: Path | None, db: str | None) -> SignoffService:
    from ..signoff import SignoffService

    return SignoffService.open(run, db)


@cli.group()
def signoff() -> None:
    """Sign off a run and switch Settlement Sync on or off, with a tamper-evident audit log.

    Typical flow: resolve each error, approve the checklist, enable; `status` shows the gate.
    """


@signoff.command()
@_run_option(required=True)
@db_option
@json_option
def status(run: Path, db: str | None, as_json: bool) -> int:
    """Show the gate (each condition met or not) and the sync state. Exit 0 whatever they are."""
    with _open(run, db) as service:
        result = service.status(run)
    if as_json:
        click.echo(json.dumps(result.describe_dict(), indent=2))
    else:
        echo_status(result)
    return EXIT_OK


@signoff.command()
@_run_option(required=True)
@db_option
@click.option("--order", "order_id", default=None, metavar="ID", help="Amazon order id of the error.")
@click.option("--type", "transaction_type", type=click.Choice(["Order", "Refund"]), default=None)
@click.option("--settlement", "settlement_id", default=None, metavar="ID", help="Settlement id (settlement errors).")
@click.option("--kind", default=None, metavar="KIND", help="Kind of settlement error, e.g. settlement_inconsistent.")
@click.option("--action", type=click.Choice(RESOLUTION_ACTIONS), required=True)
@reviewer_option
@click.option("--note", required=True, metavar="TEXT", help="What was done, for the record.")
@_handled
def resolve(
    run: Path,
    db: str | None,
    order_id: str | None,
    transaction_type: str | None,
    settlement_id: str | None,
    kind: str | None,
    action: str,
    reviewer: str,
    note: str,
) -> int:
    """Record an error as rectified in NetSuite or its posting cancelled.

    Name it with --order ID --type Order|Refund, or --settlement ID --kind KIND.
    """
    if bool(order_id) == bool(settlement_id):
        raise UsageError("name the error with --order ID --type Order|Refund, or --settlement ID --kind KIND")
    if order_id and not transaction_type:
        raise UsageError("--order needs --type Order or --type Refund")
    if settlement_id and not kind:
        raise UsageError("--settlement needs --kind (e.g. settlement_inconsistent)")
    with _open(run, db) as service:
        done = service.resolve(
            run,
            reviewer=reviewer,
            action=action,
            note=note,
            order_id=order_id,
            transaction_type=transaction_type,
            settlement_id=settlement_id,
            kind=kind,
        )
        result = service.status(run)
    scope, target, detail = done.key
    what = f"order {target} ({detail})" if scope == "order" else f"settlement {target} {detail}"
    click.echo(f"recorded: {what} {done.action} by {done.reviewer} (audit seq {done.seq})")
    echo_gate(result)
    return EXIT_OK


@signoff.command()
@_run_option(required=True)
@db_option
@reviewer_option
@click.option("--cutoff", required=True, metavar="YYYY-MM-DD", help="Settlement reports from this date on sync.")
@click.option("--checked-order", required=True, metavar="ID", help="Non-refunded order compared with NetSuite.")
@click.option("--checked-refund", required=True, metavar="ID", help="Refunded order compared with NetSuite.")
@click.option("--connector-live", is_flag=True, help="Confirm orders already sync through the connector.")
@click.option("--ack-cancelled", is_flag=True, help="Acknowledge that cancelled postings leave the data incomplete.")
@_handled
def approve(
    run: Path,
    db: str | None,
    reviewer: str,
    cutoff: str,
    checked_order: str,
    checked_refund: str,
    connector_live: bool,
    ack_cancelled: bool,
) -> int:
    """Record the answers to Oracle's checklist for the run (then `enable`)."""
    with _open(run, db) as service:
        done = service.approve(
            run,
            reviewer=reviewer,
            cutoff=cutoff,
            checked_order=checked_order,
            checked_refund=checked_refund,
            connector_live=connector_live,
            ack_cancelled=ack_cancelled,
        )
        result = service.status(run)
    click.echo(f"recorded: approval by {done.reviewer}, cutoff {done.cutoff.isoformat()} (audit seq {done.seq})")
    echo_gate(result)
    return EXIT_OK


@signoff.command()
@_run_option(required=True)
@db_option
@reviewer_option
@_handled
def enable(run: Path, db: str | None, reviewer: str) -> int:
    """Switch Settlement Sync on for the run. Exit 1, listing what is unmet, when refused."""
    with _open(run, db) as service:
        state = service.enable(run, reviewer)
        result = service.status(run)
    cutoff = state.cutoff.isoformat() if state.cutoff else "-"
    click.echo(f"Settlement Sync enabled by {state.reviewer} at {state.recorded_at}, cutoff {cutoff}")
    for warning in result.gate.warnings:
        click.echo(f"warning: {warning}", err=True)
    return EXIT_OK


@signoff.command()
@_run_option(required=False)
@db_option
@reviewer_option
@_handled
def disable(run: Path | None, db: str | None, reviewer: str) -> int:
    """Switch Settlement Sync off (always allowed; recorded even when already off)."""
    with _open(run, db) as service:
        state = service.disable(reviewer)
    click.echo(f"Settlement Sync disabled by {state.reviewer} at {state.recorded_at}")
    return EXIT_OK


@signoff.command()
@_run_option(required=False)
@db_option
@json_option
def log(run: Path | None, db: str | None, as_json: bool) -> int:
    """Print the audit log, oldest first (every run in the database)."""
    with _open(run, db) as service:
        entries = service.log()
    if as_json:
        click.echo(json.dumps([e.describe_dict() for e in entries], indent=2))
        return EXIT_OK
    for entry in entries:
        click.echo(describe_entry(entry))
    if not entries:
        click.echo("the audit log is empty")
    return EXIT_OK


@signoff.command()
@_run_option(required=False)
@db_option
@json_option
def verify(run: Path | None, db: str | None, as_json: bool) -> int:
    """Check the audit log's hash chain and the tables against it. Exit 1 when tampering is found."""
    with _open(run, db) as service:
        result = service.verify()
    if as_json:
        click.echo(json.dumps(result.describe_dict(), indent=2))
    else:
        echo_verify(result)
    return EXIT_OK if result.ok else EXIT_FINDINGS


def describe_entry(entry: AuditEntry) -> str:
    """One line of the log: seq, time, actor, action, run, and what was recorded."""
    skip = {"run_id", "reviewer", "recorded_at"}
    fields = ", ".join(f"{k}={v}" for k, v in sorted(entry.payload.items()) if k not in skip)
    run = (entry.run or "-")[:12]
    return f"{entry.seq:>5}  {entry.recorded_at}  {entry.actor}  {entry.action:<8}  run {run}  {fields}"


def echo_gate(result: SignoffStatus) -> None:
    """Each condition, met or not, and the warnings."""
    from ..signoff import TITLES

    gate = result.gate
    verdict = "passed" if gate.passed else f"not passed ({len(gate.unmet)} of {len(gate.conditions)} unmet)"
    click.echo(f"gate: {verdict}")
    for c in gate.conditions:
        click.echo(f"  [{'met' if c.met else 'UNMET'}] {TITLES.get(c.name, c.name)}: {c.detail}")
    for warning in gate.warnings:
        click.echo(f"  warning: {warning}")


def echo_status(result: SignoffStatus) -> None:
    """The run, the gate and the sync state, for people."""
    click.echo(f"run {result.run_id[:12]} ({result.run_dir})")
    click.echo(f"database {result.database}")
    echo_gate(result)
    sync = result.sync
    if sync is None or not sync.enabled:
        since = f" (since {sync.recorded_at}, by {sync.reviewer})" if sync is not None else ""
        click.echo(f"Settlement Sync: disabled{since}")
    else:
        which = "this run" if result.enabled_for_this_run else f"run {(sync.run_id or '-')[:12]}"
        cutoff = sync.cutoff.isoformat() if sync.cutoff else "-"
        click.echo(f"Settlement Sync: enabled for {which} by {sync.reviewer} at {sync.recorded_at}, cutoff {cutoff}")


def echo_verify(result: VerifyResult) -> None:
    """Intact, or where tampering starts and everything found."""
    if result.ok:
        click.echo(f"audit log intact: {result.entries} entries, head seq {result.head_seq} hash {result.head_hash}")
        return
    first = result.first
    click.echo(f"TAMPERING DETECTED: first at {first.describe() if first else '?'}", err=True)
    for problem in result.problems:
        click.echo(f"  {problem.describe()}", err=True)
