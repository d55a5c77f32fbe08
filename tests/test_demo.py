"""The demo data generator: deterministic files that the loaders accept, with exactly the planted problems."""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from settlesync_nb.demo import DemoDataSet, write_demo
from settlesync_nb.io import load_settlements
from settlesync_nb.io.netsuite import load_netsuite
from settlesync_nb.model import LoadResult
from settlesync_nb.money import format_minor, parse_amount

ORDER_TYPES = {"Cash Sale": "Order", "Invoice": "Order", "Credit Memo": "Refund", "Cash Refund": "Refund"}
NETSUITE_HEADER = "Internal ID,Type,Date,Document Number,Status,Amazon Order ID,Amount,Currency"
LARGE_LINES = 1003


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoDataSet:
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def expected(demo: DemoDataSet) -> dict[str, Any]:
    assert demo.expected is not None
    return json.loads(demo.expected.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(demo: DemoDataSet) -> LoadResult:
    return load_settlements(demo.amazon)


@pytest.fixture(scope="module")
def netsuite(demo: DemoDataSet) -> pd.DataFrame:
    return load_netsuite(demo.netsuite).frame


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> DemoDataSet:
    return write_demo(tmp_path_factory.mktemp("large"), lines=LARGE_LINES)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _planted(expected: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [d for d in expected["discrepancies"] if d["kind"] == kind]


def _findings(lines: pd.DataFrame, netsuite: pd.DataFrame) -> set[tuple[str, str]]:
    """An independent, minimal reconciliation: (kind, order id) of every order that does not match.

    Amazon side: ItemPrice + Promotion per (order id, Order|Refund), refunds by magnitude.
    """
    basis = lines[
        lines["transaction_type"].isin(["Order", "Refund"]) & lines["amount_type"].isin(["ItemPrice", "Promotion"])
    ]
    grouped = basis.groupby(["order_id", "transaction_type", "currency"], observed=True)["amount_minor"].sum()
    amazon = {(order, kind): (abs(int(total)), currency) for (order, kind, currency), total in grouped.items()}
    rows: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for row in netsuite.itertuples():
        rows[(row.order_id, ORDER_TYPES[row.type])].append((abs(int(row.amount_minor)), row.currency, row.status))
    found = set()
    for key in amazon.keys() | rows.keys():
        live = [r for r in rows.get(key, []) if r[2] != "Voided"]
        if key not in amazon:
            found.add(("missing_in_amazon", key[0]))
        elif key not in rows:
            found.add(("missing_in_netsuite", key[0]))
        elif not live:
            found.add(("cancelled_posting", key[0]))
        elif len(live) > 1:
            found.add(("duplicate_in_netsuite", key[0]))
        elif live[0][1] != amazon[key][1]:
            found.add(("currency_mismatch", key[0]))
        elif live[0][0] != amazon[key][0]:
            found.add(("amount_mismatch", key[0]))
    return found


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    """Two runs with one seed write byte-identical files; a different seed writes different ones."""
    write_demo(tmp_path / "a")
    write_demo(tmp_path / "b")
    write_demo(tmp_path / "c", seed=8)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert len(first) == 8
    assert first["expected.json"] != _files(tmp_path / "c")["expected.json"]


def test_writing_again_into_the_same_folder_overwrites(tmp_path: Path) -> None:
    """A second run into an existing folder replaces the files with the same content."""
    write_demo(tmp_path)
    before = _files(tmp_path)
    (tmp_path / "README.md").write_text("stale", encoding="utf-8")
    write_demo(tmp_path)
    assert _files(tmp_path) == before


def test_layout_and_load_order(demo: DemoDataSet, expected: dict[str, Any]) -> None:
    """The data set has five reports in load order, one export, the manifest and the README."""
    names = [p.name for p in demo.amazon]
    assert re.fullmatch(r"1-settlement-\d{11}-US\.txt", names[0])
    assert names == sorted(names), "glob order must be load order"
    assert names[1].endswith("-US.txt.gz") and names[2].endswith("-DE.txt")
    assert names[3] == "4" + names[0][1:].replace(".txt", "-copy.txt")
    assert names[4] == "5" + names[2][1:].replace(".txt", "-redownload.txt")
    assert [p.name for p in demo.netsuite] == ["netsuite-transactions.csv"]
    root = demo.amazon[0].parent.parent
    assert expected["files"]["amazon"] == [str(p.relative_to(root)) for p in demo.amazon]
    assert demo.readme is not None and demo.readme.exists()


def test_settlements_match_the_manifest(loaded: LoadResult, expected: dict[str, Any]) -> None:
    """Each settlement's total, lines total and footing are what expected.json says."""
    got = {s.settlement_id: s for s in loaded.settlements}
    assert len(got) == 3
    for record in expected["settlements"]:
        settlement = got[record["settlement_id"]]
        assert settlement.currency == record["currency"]
        assert settlement.total_amount == record["total_amount"]
        assert settlement.lines_total == record["lines_total"]
        assert settlement.consistent is record["consistent"]
        assert settlement.line_count == record["line_count"]
    assert [s["consistent"] for s in expected["settlements"]] == [True, False, True]


def test_inconsistent_settlement_is_off_by_the_missing_reserve(loaded: LoadResult, expected: dict[str, Any]) -> None:
    """The second US settlement's total differs from its lines by a Current Reserve line that is absent."""
    (planted,) = _planted(expected, "settlement_inconsistent")
    settlement = loaded.settlement(planted["settlement_id"])
    assert format_minor(settlement.total_minor - settlement.lines_total_minor, "USD") == planted["difference"]
    assert planted["difference"].startswith("-")
    lines = loaded.lines[loaded.lines["settlement_id"] == planted["settlement_id"]]
    assert (lines["amount_description"] == "Current Reserve Amount").sum() == 0
    assert (lines["amount_description"] == "Previous Reserve Amount Balance").sum() == 1


def test_duplicate_settlements_are_detected_as_identical_or_not(loaded: LoadResult, expected: dict[str, Any]) -> None:
    """The loader reports the US copy as identical and the DE re-download as different."""
    got = {(d.settlement_id, Path(d.dropped_source).name, d.identical) for d in loaded.duplicates}
    planted = {
        (d["settlement_id"], Path(d["file"]).name, d["identical"]) for d in _planted(expected, "duplicate_settlement")
    }
    assert got == planted
    assert {d["severity"] for d in _planted(expected, "duplicate_settlement")} == {"info", "error"}


def test_identical_copy_is_a_byte_copy(demo: DemoDataSet) -> None:
    """The US copy has exactly the bytes of the first US settlement."""
    assert demo.amazon[3].read_bytes() == demo.amazon[0].read_bytes()


def test_de_file_is_cp1252_with_decimal_commas_and_german_dates(demo: DemoDataSet) -> None:
    """The DE report is cp1252 (not UTF-8), with decimal commas, padded amounts and a trailing blank line."""
    data = demo.amazon[2].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert "Kaffeemühle-01" in text and text.endswith("\n\n")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line]
    summary, details = rows[0], rows[1:]
    assert re.fullmatch(r"\d+,\d\d", summary[4]) and summary[5] == "EUR"
    assert re.fullmatch(r"\d\d\.\d\d\.2026 \d\d:\d\d:\d\d UTC", summary[1])
    assert all(re.fullmatch(r"-?\d+,\d\d *", row[14]) for row in details)
    assert any(row[14].endswith("    ") for row in details)
    assert any(parse_amount(row[14], "EUR") >= 100000 for row in details)  # 1141,18 has no thousands separator
    assert {row[11] for row in details} >= {"Amazon.de", "Amazon.fr"}
    assert all(re.fullmatch(r"\d\d\.\d\d\.2026", row[16]) for row in details)


def test_de_redownload_differs_in_one_line_and_its_total(demo: DemoDataSet) -> None:
    """The re-downloaded DE copy changes exactly one detail amount and the total by the same amount."""
    original = demo.amazon[2].read_bytes().decode("cp1252").splitlines()
    again = demo.amazon[4].read_bytes().decode("cp1252").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(original, again, strict=True)) if a != b]
    assert len(changed) == 2 and changed[0] == 1
    line = changed[1]
    delta = parse_amount(again[line].split("\t")[14], "EUR") - parse_amount(original[line].split("\t")[14], "EUR")
    total_delta = parse_amount(again[1].split("\t")[4], "EUR") - parse_amount(original[1].split("\t")[4], "EUR")
    assert delta == total_delta != 0


def test_gz_file_is_gzip(demo: DemoDataSet) -> None:
    """The second US settlement is gzip-compressed and holds a V2 report."""
    data = demo.amazon[1].read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert gzip.decompress(data).startswith(b"settlement-id\tsettlement-start-date\t")


def test_v2_layout_and_us_formats(demo: DemoDataSet) -> None:
    """US reports have the 24 documented columns, one summary row and well-formed ids and dates."""
    lines = demo.amazon[0].read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert len(header) == 24 and header[-1] == "promotion-id" and header[14] == "amount"
    summary = lines[1].split("\t")
    assert all(summary[:6]) and not any(summary[6:])
    for row in (line.split("\t") for line in lines[2:]):
        assert row[0] == summary[0] and not any(row[1:6])
        assert re.fullmatch(r"2026-09-\d\d", row[16]) and re.fullmatch(r"2026-09-\d\d \d\d:\d\d:\d\d UTC", row[17])
        if row[6] in ("Order", "Refund"):
            assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", row[7]) and re.fullmatch(r"\d{14}", row[18])
        if row[6] == "Order":
            assert re.fullmatch(r"D[A-Za-z0-9]{8}", row[10])
        if row[6] == "Refund":
            assert row[9].startswith("amzn1:crow:")


def test_unclassified_line_is_where_the_manifest_says(demo: DemoDataSet, expected: dict[str, Any]) -> None:
    """The planted unknown vocabulary sits at the manifest's file and line."""
    (planted,) = _planted(expected, "unclassified_line")
    root = demo.amazon[0].parent.parent
    row = (root / planted["file"]).read_text(encoding="utf-8").splitlines()[planted["line"] - 1].split("\t")
    assert (row[6], row[12], row[13]) == ("other-transaction", "NewProgramFee", "Storefront Pilot Programme 2026")
    assert row[14] == planted["amount"]


def test_netsuite_export_loads_with_unique_ids(demo: DemoDataSet, netsuite: pd.DataFrame) -> None:
    """The export has the documented header, loads, and never repeats an Internal ID."""
    assert demo.netsuite[0].read_text(encoding="utf-8").splitlines()[0] == NETSUITE_HEADER
    assert netsuite["internal_id"].is_unique
    assert set(netsuite["type"]) == set(ORDER_TYPES)
    assert {"Deposited", "Paid In Full", "Voided"} <= set(netsuite["status"])


def test_netsuite_amounts_and_dates_use_netsuite_formats(demo: DemoDataSet) -> None:
    """Amounts use thousands separators, refunds appear as -x, (x) and x, and dates are M/D/YYYY."""
    text = demo.netsuite[0].read_text(encoding="utf-8")
    assert re.search(r',"\d,\d{3}\.\d\d",', text)
    refunds = [line for line in text.splitlines() if ",Credit Memo," in line or ",Cash Refund," in line]
    assert any(",-" in r for r in refunds) and any(",(" in r for r in refunds)
    assert any(re.search(r",\d+\.\d\d,(USD|EUR)$", r) for r in refunds)
    dates = [line.split(",")[2] for line in text.splitlines()[1:]]
    assert all(re.fullmatch(r"[1-9]\d?/[1-9]\d?/2026", d) for d in dates)


def test_only_the_planted_orders_disagree(loaded: LoadResult, netsuite: pd.DataFrame, expected: dict[str, Any]) -> None:
    """An independent comparison finds exactly the planted order-level discrepancies, nothing else."""
    order_kinds = {"missing_in_netsuite", "amount_mismatch", "duplicate_in_netsuite", "cancelled_posting"}
    order_kinds |= {"currency_mismatch", "missing_in_amazon"}
    planted = {(d["kind"], d["order_id"]) for d in expected["discrepancies"] if d["kind"] in order_kinds}
    assert len(planted) == 8
    assert _findings(loaded.lines, netsuite) == planted


def test_planted_netsuite_rows_are_as_described(netsuite: pd.DataFrame, expected: dict[str, Any]) -> None:
    """Each planted NetSuite case has the rows, statuses, currencies and amounts its manifest entry gives."""

    def rows(order_id: str) -> pd.DataFrame:
        return netsuite[netsuite["order_id"] == order_id]

    assert all(rows(d["order_id"]).empty for d in _planted(expected, "missing_in_netsuite"))
    (duplicate,) = _planted(expected, "duplicate_in_netsuite")
    assert list(rows(duplicate["order_id"])["type"]) == ["Cash Sale", "Cash Sale"]
    assert set(rows(duplicate["order_id"])["status"]) == {"Deposited"}
    (voided,) = _planted(expected, "cancelled_posting")
    assert list(rows(voided["order_id"])["status"]) == ["Voided"]
    (currency,) = _planted(expected, "currency_mismatch")
    assert currency["currency"] == "EUR" and list(rows(currency["order_id"])["currency"]) == ["USD"]
    assert list(rows(currency["order_id"])["amount_text"]) == [currency["amazon_amount"]]
    differences = sorted(d["difference"] for d in _planted(expected, "amount_mismatch"))
    assert differences == ["-0.01", "5.00"]
    for planted in _planted(expected, "amount_mismatch"):
        assert list(rows(planted["order_id"])["amount_text"]) == [planted["netsuite_amount"]]
    (ghost,) = _planted(expected, "missing_in_amazon")
    assert list(rows(ghost["order_id"])["type"]) == ["Cash Sale"] and ghost["settlement_id"] is None
    for planted in expected["discrepancies"]:
        if "netsuite_internal_ids" in planted:
            assert sorted(rows(planted["order_id"])["internal_id"]) == sorted(planted["netsuite_internal_ids"])


def test_explained_cases_are_in_the_data(loaded: LoadResult, netsuite: pd.DataFrame, expected: dict[str, Any]) -> None:
    """Promotions, the split order, the earlier order's refund and the rounding case exist as described."""
    lines = loaded.lines
    reasons = defaultdict(list)
    for item in expected["explanations"]:
        reasons[item["reason"]].append(item)
    for item in reasons["promotion"]:
        promo = lines[(lines["order_id"] == item["order_id"]) & (lines["amount_type"] == "Promotion")]
        assert len(promo) == 1 and promo["promotion_id"].notna().all() and (promo["amount_minor"] < 0).all()
    (split,) = reasons["split across settlements"]
    parts = lines[(lines["order_id"] == split["order_id"]) & (lines["amount_description"] == "Principal")]
    assert parts["settlement_id"].nunique() == 2 and parts["shipment_id"].nunique() == 2
    assert list(netsuite[netsuite["order_id"] == split["order_id"]]["amount_text"]) == [split["amazon_amount"]]
    (earlier,) = reasons["refund of an earlier order"]
    assert set(lines[lines["order_id"] == earlier["order_id"]]["transaction_type"]) == {"Refund"}
    memo = netsuite[netsuite["order_id"] == earlier["order_id"]]
    assert list(memo["type"]) == ["Credit Memo"] and memo["amount_text"].str.lstrip("-").tolist() == [
        earlier["amazon_amount"].lstrip("-")
    ]
    (rounding,) = reasons["rounding"]
    assert ("amount_mismatch", rounding["order_id"]) in {(d["kind"], d["order_id"]) for d in expected["discrepancies"]}


def test_readme_lists_every_planted_discrepancy(demo: DemoDataSet, expected: dict[str, Any]) -> None:
    """The README's table names every planted discrepancy's kind and order id."""
    assert demo.readme is not None
    readme = demo.readme.read_text(encoding="utf-8")
    for planted in expected["discrepancies"]:
        assert planted["kind"] in readme and (planted["order_id"] or planted["settlement_id"]) in readme


def test_large_mode_writes_exactly_n_lines_that_foot(large: DemoDataSet) -> None:
    """Large mode writes one settlement of exactly N detail lines whose total is exact."""
    assert large.expected is not None
    expected = json.loads(large.expected.read_text(encoding="utf-8"))
    assert large.amazon[0].name == f"settlement-large-{LARGE_LINES}.txt"
    assert len(large.amazon[0].read_text(encoding="utf-8").splitlines()) == LARGE_LINES + 2
    result = load_settlements(large.amazon)
    (settlement,) = result.settlements
    assert settlement.consistent and settlement.line_count == LARGE_LINES
    assert settlement.total_amount == expected["settlements"][0]["total_amount"]
    kinds = result.lines.groupby("transaction_type", observed=True).size().to_dict()
    assert kinds["Order"] == 8 * expected["orders"] and kinds["Refund"] == 5 * expected["refunds"]
    assert expected["orders"] * 8 + expected["refunds"] * 5 + expected["other_lines"] == LARGE_LINES


def test_large_mode_netsuite_rows_and_planted_counts(large: DemoDataSet) -> None:
    """The large export has one row per order and refund less the missing ones, and only the planted misses."""
    assert large.expected is not None
    expected = json.loads(large.expected.read_text(encoding="utf-8"))
    netsuite = load_netsuite(large.netsuite).frame
    counts = expected["discrepancy_counts"]
    assert (
        len(netsuite)
        == expected["netsuite_rows"]
        == expected["orders"] + expected["refunds"] - counts["missing_in_netsuite"]
    )
    assert counts == {"amount_mismatch": 1, "missing_in_netsuite": 1}
    planted = {(d["kind"], d["order_id"]) for d in expected["discrepancies"]}
    assert _findings(load_settlements(large.amazon).lines, netsuite) == planted


def test_large_mode_is_deterministic(tmp_path: Path) -> None:
    """Large mode gives the same bytes for the same seed."""
    write_demo(tmp_path / "a", lines=200)
    write_demo(tmp_path / "b", lines=200)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


@pytest.mark.parametrize("lines", [1, 7, 8, 13])
def test_large_mode_small_counts(tmp_path: Path, lines: int) -> None:
    """Tiny line counts still give exactly that many lines, which foot."""
    data = write_demo(tmp_path, lines=lines)
    (settlement,) = load_settlements(data.amazon).settlements
    assert settlement.line_count == lines and settlement.consistent


def test_zero_lines_is_refused(tmp_path: Path) -> None:
    """Asking for a large data set of no lines is an error, not an empty file."""
    with pytest.raises(ValueError, match="at least 1"):
        write_demo(tmp_path, lines=0)
