"""Flat File V2 reports with bad rows: every problem found, at its physical line, nothing loaded."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import V2_COLUMNS, detail, physical_lines, summary, tsv_text, v2_settlement, write_bytes, write_v2
from hypothesis import given, settings
from hypothesis import strategies as st

from settlesync_nb.errors import RowErrors
from settlesync_nb.io import load_settlements

# every test runs twice: files read into memory, and memory-mapped (how large files are read)
pytestmark = pytest.mark.usefixtures("file_access")


def _errors(path: Path) -> RowErrors:
    with pytest.raises(RowErrors) as raised:
        load_settlements([path])
    return raised.value


def test_yen_with_decimals_is_an_error(tmp_path: Path) -> None:
    """A JPY amount with a significant decimal is refused, never rounded."""
    rows = [summary("j", "1500", "JPY"), detail("j", "1499.5"), detail("j", "0.5")]
    problems = _errors(write_v2(tmp_path / "r.txt", rows)).problems
    assert [(p.line, p.column, p.found) for p in problems] == [(3, "amount", "1499.5"), (4, "amount", "0.5")]
    assert "whole number" in problems[0].expected


def test_bad_rows_are_all_reported_with_line_column_found_expected(tmp_path: Path) -> None:
    """Every bad value is reported (not just the first) with its file, physical line and column."""
    rows = [
        summary("1", "1.00"),
        detail("1", "abc"),
        detail("1", "1.00"),
        detail("1", "1.001"),
        detail("1", "2.00", posted_date_time="yesterday"),
        detail("1", "", quantity_purchased="1.5"),
    ]
    path = write_v2(tmp_path / "r.txt", rows)
    error = _errors(path)
    found = [(p.file, p.line, p.column, p.found) for p in error.problems]
    assert found == [
        (str(path), 3, "amount", "abc"),
        (str(path), 5, "amount", "1.001"),
        (str(path), 6, "posted-date-time", "yesterday"),
        (str(path), 7, "amount", ""),
        (str(path), 7, "quantity-purchased", "1.5"),
    ]
    assert error.total == 5
    message = str(error)
    assert f"{path}: line 3, column 'amount': found 'abc', expected a number" in message
    assert "nothing was loaded" in message


def test_many_bad_rows_are_counted_and_summarised(tmp_path: Path) -> None:
    """With hundreds of bad rows, all are counted and the message lists the first ones."""
    rows = [summary("1", "1.00"), *[detail("1", f"x{i}") for i in range(300)]]
    error = _errors(write_v2(tmp_path / "r.txt", rows))
    assert error.total == 300
    assert "300 bad row(s)" in str(error)
    assert "... and 280 more" in str(error)


def test_truncated_last_row(tmp_path: Path) -> None:
    """A download cut off in the middle of its last row is reported at that row's line."""
    text = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00", "2.00"]))
    path = write_bytes(tmp_path / "r.txt", text[: text.rindex("\t1\t")].encode())
    problem = _errors(path).problems[0]
    assert problem.line == 4
    assert "cut short" in problem.expected


def test_row_with_too_many_fields_and_carriage_return_inside(tmp_path: Path) -> None:
    """A row with a stray tab, or a carriage return inside it, is reported at its own line."""
    lines = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00", "2.00", "3.00"])).splitlines()
    lines[2] += "\textra"
    lines[3] = lines[3].replace("Principal", "Prin\rcipal")
    path = write_bytes(tmp_path / "r.txt", ("\n".join(lines) + "\n").encode())
    problems = _errors(path).problems
    assert [p.line for p in problems] == [3, 4]
    assert "carriage return" in problems[1].expected


def test_second_header_row_is_reported(tmp_path: Path) -> None:
    """Two reports pasted into one file (a header row in the middle) are reported, not read as data."""
    text = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00"])) + tsv_text(V2_COLUMNS, v2_settlement("2", ["1.00"]))
    problems = _errors(write_bytes(tmp_path / "r.txt", text.encode())).problems
    assert [(p.line, p.column) for p in problems] == [(4, "settlement-id")]
    assert "second header" in problems[0].expected


def test_detail_row_without_settlement_id(tmp_path: Path) -> None:
    """A detail row that lost its settlement id is a row problem."""
    rows = [summary("1", "1.00"), detail("1", "1.00"), detail("", "0.00")]
    problems = _errors(write_v2(tmp_path / "r.txt", rows)).problems
    assert [(p.line, p.column) for p in problems] == [(4, "settlement-id")]


def test_summary_row_problems(tmp_path: Path) -> None:
    """A summary row with a bad total, date or currency is reported at its line."""
    path = write_v2(tmp_path / "a.txt", [summary("1", "12,34.5", start="someday")])
    problems = _errors(path).problems
    assert [(p.line, p.column) for p in problems] == [(2, "settlement-start-date"), (2, "total-amount")]
    path = write_v2(tmp_path / "b.txt", [summary("1", "1.00", currency="$")])
    assert [p.column for p in _errors(path).problems] == ["currency"]


def test_line_currency_must_match_the_settlement(tmp_path: Path) -> None:
    """A detail row naming another currency than its settlement is refused; the same in lower case is fine."""
    rows = [summary("1", "3.00"), detail("1", "1.00", currency="usd"), detail("1", "2.00", currency="EUR")]
    problems = _errors(write_v2(tmp_path / "r.txt", rows)).problems
    assert [(p.line, p.column, p.found) for p in problems] == [(4, "currency", "EUR")]


def test_empty_fields_past_the_header_are_ignored(tmp_path: Path) -> None:
    """Rows ending in extra empty fields (trailing tabs) load; an extra field holding data is reported."""
    lines = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00", "2.00"])).splitlines()
    lines[2] += "\t\t "
    path = write_bytes(tmp_path / "r.txt", ("\n".join(lines) + "\n").encode())
    assert load_settlements([path]).settlement("1").consistent
    lines[3] += "\tsurprise"
    path = write_bytes(tmp_path / "bad.txt", ("\n".join(lines) + "\n").encode())
    assert [p.line for p in _errors(path).problems] == [4]


ROW_KINDS = {
    "detail": lambda i: "\t".join(detail("1", "1.00", order_id=f"o{i}").get(c, "") for c in V2_COLUMNS),
    "empty": lambda i: "",
    "spaces": lambda i: "   ",
    "tabs": lambda i: "\t" * (len(V2_COLUMNS) - 1),
    "crlf-empty": lambda i: "\r",
    "extra-empty-fields": lambda i: ROW_KINDS["detail"](i) + "\t\t",
    "short": lambda i: ROW_KINDS["detail"](i)[:30],
    "stray-field": lambda i: ROW_KINDS["detail"](i) + "\tx",
}


BAD_KINDS = {"short", "stray-field"}


BLANK_KINDS = {"empty", "spaces", "tabs", "crlf-empty"}


@settings(deadline=None, max_examples=60)
@given(kinds=st.lists(st.sampled_from(sorted(ROW_KINDS)), max_size=12), trailing=st.integers(0, 2))
def test_every_line_is_a_row_a_blank_or_a_problem_at_its_number(kinds: list[str], trailing: int) -> None:
    """Whatever mix of rows, blank lines and malformed lines, each is accounted for at its physical line."""
    with tempfile.TemporaryDirectory() as folder:
        lines = [
            "\t".join(V2_COLUMNS),
            "\t".join(
                summary("1", f"{kinds.count('detail') + kinds.count('extra-empty-fields')}.00").get(c, "")
                for c in V2_COLUMNS
            ),
        ]
        lines += [ROW_KINDS[kind](i) for i, kind in enumerate(kinds)]
        path = write_bytes(Path(folder) / "r.txt", ("\n".join(lines) + "\n" + "\n" * trailing).encode())
        numbered = list(enumerate(kinds, start=3))
        bad = [n for n, kind in numbered if kind in BAD_KINDS]
        if bad:
            with pytest.raises(RowErrors) as raised:
                load_settlements([path])
            assert [p.line for p in raised.value.problems] == bad
            return
        result = load_settlements([path])
        assert result.lines["source_line"].tolist() == [n for n, kind in numbered if kind not in BLANK_KINDS]
        source = result.files[0]
        assert source.blank_lines == sum(kind in BLANK_KINDS for kind in kinds) + trailing
        assert 1 + source.data_rows + source.blank_lines == physical_lines(path)
        assert result.settlement("1").consistent
