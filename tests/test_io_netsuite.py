"""NetSuite saved-search CSV exports: column mapping, user-formatted numbers and dates, refusals."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import NETSUITE_HEADER, write_bytes, write_netsuite
from hypothesis import given, settings
from hypothesis import strategies as st

from settlesync_nb.errors import FileProblem, InputError, MissingColumns, RowErrors, UsageError
from settlesync_nb.io.netsuite import ColumnMapping, load_netsuite

# every test runs twice: files read into memory, and memory-mapped (how large files are read)
pytestmark = pytest.mark.usefixtures("file_access")


def _row(internal_id: str, amount: str, order_id: str = "111-0000001-0000001", date: str = "3/15/2023") -> list[str]:
    return [internal_id, "Cash Sale", date, f"CS{internal_id}", "Deposited", order_id, amount, "USD"]


def _errors(paths: list[Path], mapping: ColumnMapping | None = None) -> RowErrors:
    with pytest.raises(RowErrors) as raised:
        load_netsuite(paths, mapping)
    return raised.value


def test_default_labels_load_one_row_per_transaction(tmp_path: Path) -> None:
    """The out-of-the-box labels map to fields; ids stay text, amounts exact, dates UTC, provenance kept."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("0012", "1,234.50", order_id="  111-1 "), _row("13", "(0.01)")])
    records = load_netsuite([path])
    frame = records.frame
    first = frame.iloc[0]
    assert (first["internal_id"], first["type"], first["document_number"], first["status"]) == (
        "0012",
        "Cash Sale",
        "CS0012",
        "Deposited",
    )
    assert first["order_id"] == "111-1"
    assert frame["amount_text"].tolist() == ["1234.50", "-0.01"]
    assert frame["amount_minor"].tolist() == [123450, -1]
    assert first["date"] == pd.Timestamp("2023-03-15", tz="UTC")
    assert (first["currency"], first["source_file"], first["source_line"]) == ("USD", str(path), 2)
    assert records.files[0][0] == str(path) and records.files[0][2] == 2


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1,234.56", 123456),
        ("-1.00", -100),
        ("(1.00)", -100),
        ("(1,234.56)", -123456),
        ("$1,234.56", 123456),
        ("-$5.00", -500),
        ("1 234.56", 123456),
        ("1234", 123400),
        ("0.01", 1),
        ("1,234,567.89", 123456789),
        ("1.230", 123),
    ],
)
def test_amount_formats(tmp_path: Path, text: str, minor: int) -> None:
    """NetSuite's number formats (thousands separators, parentheses, symbols) read exactly."""
    frame = load_netsuite([write_netsuite(tmp_path / "ns.csv", [_row("1", text)])]).frame
    assert frame["amount_minor"].tolist() == [minor]


def test_plain_and_formatted_amounts_in_one_export_keep_their_rows(tmp_path: Path) -> None:
    """Plain amounts take a fast path and formatted ones the full grammar; each stays on its row."""
    texts = ["1.00", "(2.00)", "3.5", "1,234.56", "-7", "$8.00", "0.01"]
    path = write_netsuite(tmp_path / "ns.csv", [_row(str(i), text) for i, text in enumerate(texts, start=1)])
    frame = load_netsuite([path]).frame
    assert frame["amount_minor"].tolist() == [100, -200, 350, 123456, -700, 800, 1]
    assert frame["amount_text"].tolist() == ["1.00", "-2.00", "3.5", "1234.56", "-7", "8.00", "0.01"]


@pytest.mark.parametrize("text", ["1,23.45", "(1.00", "1.00)", "abc", "1.234", "--1", "(-1.00)", "1.2.3"])
def test_bad_amounts_are_reported_as_written(tmp_path: Path, text: str) -> None:
    """An amount that is not a number, or has more decimals than its currency, is reported as the user wrote it."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "1.00"), _row("2", text)])
    (problem,) = _errors([path]).problems
    assert (problem.line, problem.column, problem.found) == (3, "Amount", text)


def test_decimal_comma_exports(tmp_path: Path) -> None:
    """With a decimal comma preference, ``1.234,56`` and ``(1,00)`` read exactly."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "1.234,56"), _row("2", "(1,00)"), _row("3", "-0,5")])
    frame = load_netsuite([path], ColumnMapping(decimal_separator=",")).frame
    assert frame["amount_minor"].tolist() == [123456, -100, -50]


def test_yen_export_has_no_decimals(tmp_path: Path) -> None:
    """A JPY amount is whole yen; a decimal is reported."""
    rows = [[*_row("1", "1,500")[:-1], "JPY"], [*_row("2", "1.5")[:-1], "JPY"]]
    (problem,) = _errors([write_netsuite(tmp_path / "ns.csv", rows)]).problems
    assert (problem.line, problem.found) == (3, "1.5")
    assert "JPY" in problem.expected


def test_currency_column_is_optional(tmp_path: Path) -> None:
    """Without a Currency column amounts wait for their settlement's currency, unless the mapping names one."""
    rows = [_row("1", "2.50")[:-1]]
    path = write_netsuite(tmp_path / "ns.csv", rows, header=NETSUITE_HEADER[:-1])
    frame = load_netsuite([path]).frame
    assert frame["amount_text"].tolist() == ["2.50"]
    assert frame["amount_minor"].isna().all()
    frame = load_netsuite([path], ColumnMapping(currency="usd")).frame
    assert (frame["amount_minor"].tolist(), frame["currency"].tolist()) == ([250], ["USD"])


@pytest.mark.parametrize(
    ("preset", "label"),
    [("farapp", "Channel Order"), ("farapp", "custbody_fa_channel_order"), ("celigo", "eTail Order Id")],
)
def test_presets_find_the_order_id_field(tmp_path: Path, preset: str, label: str) -> None:
    """The farapp and celigo presets find their connectors' order-id columns."""
    header = [label if h == "Amazon Order ID" else h for h in NETSUITE_HEADER]
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "1.00", order_id="111-7")], header=header)
    assert load_netsuite([path], ColumnMapping(preset=preset)).frame["order_id"].tolist() == ["111-7"]
    with pytest.raises(MissingColumns):
        load_netsuite([path])  # the default preset looks for "Amazon Order ID"


def test_mapping_names_any_label(tmp_path: Path) -> None:
    """A column mapping names the user's own labels; case and spacing in labels are ignored."""
    header = ["ID", "Kind", "Tran Date", "Number", "State", "Amazon #", "Total  Amount", "Ccy"]
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "3.00")], header=header)
    mapping = ColumnMapping(
        columns={
            "internal_id": "id",
            "type": "Kind",
            "date": "tran date",
            "document_number": "Number",
            "status": "State",
            "order_id": "Amazon #",
            "amount": "total amount",
            "currency": "Ccy",
        }
    )
    frame = load_netsuite([path], mapping).frame
    assert frame[["internal_id", "order_id", "amount_minor", "currency"]].values.tolist() == [
        ["1", "111-0000001-0000001", 300, "USD"]
    ]


def test_invalid_mapping_options_list_the_valid_ones() -> None:
    """An unknown preset, field or separator is a usage error naming the valid options."""
    with pytest.raises(UsageError, match="valid options are default, farapp, celigo"):
        ColumnMapping(preset="a2x")
    with pytest.raises(UsageError, match="valid options are internal_id"):
        ColumnMapping(columns={"memo": "Memo"})
    with pytest.raises(UsageError, match="decimal_separator"):
        ColumnMapping(decimal_separator=";")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3/5/2023", "2023-03-05"), ("03/15/2023", "2023-03-15"), ("2023-03-15", "2023-03-15"), ("3/15/23", "2023-03-15")],
)
def test_date_forms(tmp_path: Path, text: str, expected: str) -> None:
    """US month-first dates and ISO dates are read as UTC days."""
    frame = load_netsuite([write_netsuite(tmp_path / "ns.csv", [_row("1", "1.00", date=text)])]).frame
    assert frame["date"].iloc[0] == pd.Timestamp(expected, tz="UTC")


def test_bad_date_is_reported(tmp_path: Path) -> None:
    """A date in no known form is reported with its label and line."""
    (problem,) = _errors([write_netsuite(tmp_path / "ns.csv", [_row("1", "1.00", date="15/3/2023")])]).problems
    assert (problem.line, problem.column, problem.found) == (2, "Date", "15/3/2023")


def test_line_level_export_is_refused_with_main_line_hint(tmp_path: Path) -> None:
    """An export listing one row per transaction line (same Internal ID repeated) is refused: it would double count."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "10.00"), _row("1", "-1.00"), _row("2", "5.00")])
    with pytest.raises(InputError, match="Main Line") as raised:
        load_netsuite([path])
    assert f"{path} line 2, {path} line 3" in str(raised.value)


def test_overlapping_exports_are_refused(tmp_path: Path) -> None:
    """Two exports holding the same transaction are refused as overlapping, not as a Main Line problem."""
    first = write_netsuite(tmp_path / "jan.csv", [_row("1", "10.00"), _row("2", "5.00")])
    second = write_netsuite(tmp_path / "feb.csv", [_row("2", "5.00"), _row("3", "1.00")])
    with pytest.raises(InputError, match="overlap"):
        load_netsuite([first, second])


def test_separate_exports_load_together(tmp_path: Path) -> None:
    """Exports of separate periods load into one frame, each row knowing its file."""
    first = write_netsuite(tmp_path / "jan.csv", [_row("1", "10.00")])
    second = write_netsuite(tmp_path / "feb.csv", [_row("2", "5.00")])
    frame = load_netsuite([first, second]).frame
    assert frame["source_file"].astype(str).tolist() == [str(first), str(second)]


def test_missing_columns_list_what_was_found(tmp_path: Path) -> None:
    """Without a required column the error names it, its accepted labels and the columns found."""
    path = write_netsuite(tmp_path / "ns.csv", [["1", "Cash Sale", "1.00"]], header=["Internal ID", "Type", "Total"])
    with pytest.raises(MissingColumns) as raised:
        load_netsuite([path])
    message = str(raised.value)
    assert "order_id" in message and "'Amazon Order ID'" in message
    assert "Columns in file: 'Internal ID', 'Type', 'Total'" in message
    assert "preset" in message


def test_required_values_missing_on_rows(tmp_path: Path) -> None:
    """A row without an internal id or amount is reported under the column's label."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("", "1.00"), _row("2", "")])
    problems = _errors([path]).problems
    assert [(p.line, p.column) for p in problems] == [(2, "Internal ID"), (3, "Amount")]


def test_quoted_memo_with_newline_keeps_line_numbers(tmp_path: Path) -> None:
    """A memo spanning lines does not shift the line numbers of later rows."""
    header = [*NETSUITE_HEADER, "Memo"]
    rows = [[*_row("1", "1.00"), "plain"], [*_row("2", "2.00"), "two\nlines, quoted"], [*_row("3", "x"), ""]]
    path = write_netsuite(tmp_path / "ns.csv", rows, header=header)
    (problem,) = _errors([path]).problems
    assert (problem.line, problem.found) == (5, "x")
    rows[2] = [*_row("3", "3.00"), ""]
    path = write_netsuite(tmp_path / "ok.csv", rows, header=header)
    assert load_netsuite([path]).frame["source_line"].tolist() == [2, 3, 5]


def test_blank_lines_and_empty_spreadsheet_rows_are_skipped(tmp_path: Path) -> None:
    """Blank lines and rows of empty cells (left by a spreadsheet) are not transactions."""
    text = "\r\n".join([",".join(NETSUITE_HEADER), ",".join(_row("1", "1.00")), "", ",".join(_row("2", "2.00"))])
    path = write_bytes(tmp_path / "ns.csv", (text + "\r\n,,,,,,,\r\n  \r\n").encode())
    frame = load_netsuite([path]).frame
    assert frame[["internal_id", "source_line"]].values.tolist() == [["1", 2], ["2", 4]]


def test_truncated_last_row_is_reported(tmp_path: Path) -> None:
    """An export cut short in its last row is a row problem, not a parser traceback."""
    text = "\n".join([",".join(NETSUITE_HEADER), ",".join(_row("1", "1.00")), "2,Cash Sale,3/15/2023"])
    (problem,) = _errors([write_bytes(tmp_path / "ns.csv", text.encode())]).problems
    assert problem.line == 3
    assert "cut short" in problem.expected


def test_unterminated_quote_is_reported(tmp_path: Path) -> None:
    """A quote that never closes is reported at the row where it opens."""
    text = "\n".join([",".join(NETSUITE_HEADER), ",".join(_row("1", "1.00")), '2,"Cash Sale,3/15/2023,x,y,z,1.00,USD'])
    (problem,) = _errors([write_bytes(tmp_path / "ns.csv", text.encode())]).problems
    assert problem.line == 3


def test_not_a_csv_and_empty_file(tmp_path: Path) -> None:
    """A file that is not comma-separated, or is empty, is a file problem."""
    with pytest.raises(FileProblem, match="not a comma-separated export"):
        load_netsuite([write_bytes(tmp_path / "r.txt", b"settlement-id\ttotal-amount\n1\t2\n")])
    with pytest.raises(FileProblem, match="is empty"):
        load_netsuite([write_bytes(tmp_path / "e.csv", b"")])


def test_bom_and_cp1252_exports(tmp_path: Path) -> None:
    """An export with a UTF-8 BOM, or saved as cp1252 by a spreadsheet, reads its header and text."""
    rows = [[*_row("1", "1.00")[:4], "Bezahlt – ok", *_row("1", "1.00")[5:]]]
    assert load_netsuite([write_netsuite(tmp_path / "a.csv", rows, encoding="utf-8-sig")]).frame[
        "internal_id"
    ].tolist() == ["1"]
    frame = load_netsuite([write_netsuite(tmp_path / "b.csv", rows, encoding="cp1252")]).frame
    assert frame["status"].tolist() == ["Bezahlt – ok"]


def test_header_only_export_is_empty(tmp_path: Path) -> None:
    """An export with a header and no rows loads as no transactions."""
    records = load_netsuite([write_netsuite(tmp_path / "ns.csv", [])])
    assert len(records.frame) == 0


def test_no_paths_is_a_usage_error() -> None:
    """Loading no export at all says so."""
    with pytest.raises(UsageError):
        load_netsuite([])


NS_KINDS = {
    "row": lambda i: ",".join([*_row(str(i), "1.00"), "memo"]),
    "memo-two-lines": lambda i: ",".join([*_row(str(i), "1.00"), '"two\nlines"']),
    "blank": lambda i: "",
    "spaces": lambda i: "  ",
    "empty-cells": lambda i: "," * len(NETSUITE_HEADER),
    "short": lambda i: f"{i},Cash Sale",
}


@settings(deadline=None, max_examples=60)
@given(kinds=st.lists(st.sampled_from(sorted(NS_KINDS)), max_size=10), newline=st.sampled_from(["\n", "\r\n"]))
def test_every_export_row_keeps_its_physical_line(kinds: list[str], newline: str) -> None:
    """Whatever mix of rows, multi-line memos, blank lines and cut rows, rows and problems keep their line numbers."""
    lines, starts, line = [",".join([*NETSUITE_HEADER, "Memo"])], [], 2
    for i, kind in enumerate(kinds):
        text = NS_KINDS[kind](i)
        lines.append(text.replace("\n", newline))
        starts.append((line, kind))
        line += text.count("\n") + 1
    with tempfile.TemporaryDirectory() as folder:
        path = write_bytes(Path(folder) / "ns.csv", (newline.join(lines) + newline).encode())
        bad = [n for n, kind in starts if kind == "short"]
        if bad:
            assert [p.line for p in _errors([path]).problems] == bad
            return
        frame = load_netsuite([path]).frame
        assert frame["source_line"].tolist() == [n for n, kind in starts if kind in ("row", "memo-two-lines")]


def test_a_mapped_optional_column_must_exist(tmp_path: Path) -> None:
    """A label the mapping names for an optional field (here the date) is required: a typo is not ignored."""
    path = write_netsuite(tmp_path / "ns.csv", [_row("1", "1.00")])
    with pytest.raises(MissingColumns, match="date"):
        load_netsuite([path], ColumnMapping(columns={"date": "Tran Date"}))
