"""Fixtures for the sign-off tests: a database (SQLite, and PostgreSQL when one is available)
and a real run folder made by reconciling tiny files.

A test module binds the fixture with ``db_url = pg.db_url`` (an import of the same name would
read to linters as an unused import redefined) and imports ``make_run``. The PostgreSQL case needs
``SETTLESYNC_TEST_PG_URL`` (``bash .ci/start-postgres.sh`` starts a server and prints it); each
test gets a schema of its own, dropped afterwards, so the URL it receives is self-contained
(the CLI can be given it with ``--db``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import order, refund, sale, write_netsuite, write_v2
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.rundir import write_run

PG_ENV = "SETTLESYNC_TEST_PG_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL: a SQLite file under ``tmp_path``, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'signoff.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        reason = f"{PG_ENV} is not set: run `bash .ci/start-postgres.sh` (as root) and export the URL it prints"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI starts a real server (.ci/run): never skip PostgreSQL there
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@dataclass(frozen=True)
class Run:
    """A run folder and the files it was made from."""

    dir: Path
    amazon: Path
    netsuite: Path


def make_run(base: Path, *, inconsistent: bool = False, name: str = "run") -> Run:
    """Reconcile a tiny settlement into ``base/name``.

    Orders A (refunded) and B match NetSuite, so they are the suggested checks; C differs in
    amount and D is missing from NetSuite: two errors. With ``inconsistent`` the settlement's
    total is off by one cent, a settlement-level error as well.
    """
    inputs = base / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    rows = order("A", "10.00") + refund("A", "-4.00") + order("B", "5.00") + order("C", "7.00") + order("D", "3.00")
    amazon = write_v2(inputs / "s.txt", "1001", rows, total="17.51" if inconsistent else None)
    netsuite = write_netsuite(
        inputs / "ns.csv",
        [
            sale("1", "A", "10.00"),
            sale("2", "A", "4.00", kind="Credit Memo"),
            sale("3", "B", "5.00"),
            sale("4", "C", "6.00"),
        ],
    )
    report = reconcile_files([amazon], [netsuite])
    folder = base / name
    write_run(report, folder)
    return Run(folder, amazon, netsuite)
