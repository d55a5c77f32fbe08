"""Several files at once: duplicate settlements, settlements split across files, accounting."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import detail, summary, v2_settlement, write_v2

from settlesync_nb.errors import RowErrors, UsageError
from settlesync_nb.io import load_settlements
from settlesync_nb.model import LoadResult


def _assert_accounted(result: LoadResult) -> None:
    """Every row of every file is a summary, a no-amount row or a detail row; every line is kept or a duplicate."""
    for source in result.files:
        assert source.data_rows == source.summary_rows + source.no_amount_rows + source.detail_rows
        assert source.lines + source.duplicate_lines == source.detail_rows  # V2: one line per row
    assert len(result.lines) == sum(s.lines for s in result.files) == sum(s.line_count for s in result.settlements)


def test_identical_copy_in_two_files_is_counted_once(tmp_path: Path) -> None:
    """The same settlement downloaded twice is kept once, reported as an identical duplicate."""
    rows = v2_settlement("1", ["10.00", "-2.00"])
    first, second = write_v2(tmp_path / "a.txt", rows), write_v2(tmp_path / "b.txt", rows)
    result = load_settlements([first, second])
    settlement = result.settlement("1")
    assert (settlement.line_count, settlement.lines_total, settlement.sources) == (2, "8.00", (str(first),))
    (duplicate,) = result.duplicates
    assert (duplicate.kept_source, duplicate.dropped_source) == (str(first), str(second))
    assert (duplicate.identical, duplicate.dropped_lines) == (True, 2)
    assert [(s.lines, s.duplicate_lines) for s in result.files] == [(2, 0), (0, 2)]
    _assert_accounted(result)


def test_different_copy_is_reported_as_different_and_left_out(tmp_path: Path) -> None:
    """A second copy with other amounts is left out (the first is kept) and reported as different."""
    first = write_v2(tmp_path / "a.txt", v2_settlement("1", ["10.00"]))
    second = write_v2(tmp_path / "b.txt", v2_settlement("1", ["10.00", "5.00"]))
    result = load_settlements([first, second])
    assert result.settlement("1").lines_total == "10.00"
    (duplicate,) = result.duplicates
    assert (duplicate.identical, duplicate.dropped_lines) == (False, 2)
    _assert_accounted(result)


def test_same_file_given_twice(tmp_path: Path) -> None:
    """Passing the same path twice counts its lines once and accounts the second pass as duplicates."""
    path = write_v2(tmp_path / "a.txt", v2_settlement("1", ["1.00", "2.00", "3.00"]))
    result = load_settlements([path, path])
    assert (result.settlement("1").line_count, len(result.lines)) == (3, 3)
    assert result.settlement("1").sources == (str(path),)
    assert [(s.lines, s.duplicate_lines) for s in result.files] == [(3, 0), (0, 3)]
    assert result.duplicates[0].identical
    _assert_accounted(result)


def test_duplicate_only_drops_the_repeated_settlement(tmp_path: Path) -> None:
    """A file repeating one settlement still contributes its other settlements."""
    first = write_v2(tmp_path / "a.txt", v2_settlement("A", ["1.00"]) + v2_settlement("B", ["2.00"]))
    second = write_v2(tmp_path / "b.txt", v2_settlement("A", ["1.00"]) + v2_settlement("C", ["3.00"]))
    result = load_settlements([first, second])
    assert [(s.settlement_id, s.sources) for s in result.settlements] == [
        ("A", (str(first),)),
        ("B", (str(first),)),
        ("C", (str(second),)),
    ]
    assert [(s.lines, s.duplicate_lines) for s in result.files] == [(2, 0), (1, 1)]
    _assert_accounted(result)


@pytest.mark.parametrize("summary_first", [True, False])
def test_settlement_split_across_files_is_one_settlement(tmp_path: Path, summary_first: bool) -> None:
    """Detail lines in a file without the summary row join the settlement whose summary is in another file."""
    head = write_v2(tmp_path / "part1.txt", [summary("1", "6.00"), detail("1", "1.00"), detail("1", "2.00")])
    tail = write_v2(tmp_path / "part2.txt", [detail("1", "3.00", order_id="111-9")])
    paths = [head, tail] if summary_first else [tail, head]
    result = load_settlements(paths)
    settlement = result.settlement("1")
    assert (settlement.line_count, settlement.lines_total, settlement.consistent) == (3, "6.00", True)
    assert settlement.sources == tuple(str(p) for p in paths)
    assert result.duplicates == ()
    _assert_accounted(result)


def test_same_part_downloaded_twice_is_counted_once(tmp_path: Path) -> None:
    """A detail-only part of a split settlement met twice is kept once, not double counted."""
    head = write_v2(tmp_path / "part1.txt", [summary("1", "3.00"), detail("1", "1.00")])
    tail = write_v2(tmp_path / "part2.txt", [detail("1", "2.00")])
    again = write_v2(tmp_path / "part2-again.txt", [detail("1", "2.00")])
    result = load_settlements([head, tail, again])
    settlement = result.settlement("1")
    assert (settlement.line_count, settlement.lines_total, settlement.consistent) == (2, "3.00", True)
    (duplicate,) = result.duplicates
    assert (duplicate.kept_source, duplicate.dropped_source, duplicate.identical) == (str(tail), str(again), True)
    _assert_accounted(result)


def test_orphan_detail_lines_are_an_error(tmp_path: Path) -> None:
    """Detail lines whose settlement has no summary row in any loaded file are refused, pointing at the first."""
    path = write_v2(tmp_path / "part2.txt", [detail("77", "1.00"), detail("77", "2.00")])
    with pytest.raises(RowErrors) as raised:
        load_settlements([path])
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column, problem.found) == (str(path), 2, "settlement-id", "77")
    assert "2 detail line(s)" in problem.expected


def test_split_part_in_another_currency_is_an_error(tmp_path: Path) -> None:
    """A part whose lines name another currency than the settlement's summary is refused."""
    head = write_v2(tmp_path / "part1.txt", [summary("1", "3.00", "EUR"), detail("1", "1.00")])
    tail = write_v2(tmp_path / "part2.txt", [detail("1", "2.00", currency="GBP")])
    with pytest.raises(RowErrors) as raised:
        load_settlements([head, tail])
    assert [(p.file, p.line, p.column, p.found) for p in raised.value.problems] == [(str(tail), 2, "currency", "GBP")]


def test_split_part_amounts_use_the_settlement_currency(tmp_path: Path) -> None:
    """A part without a currency column value reads its amounts in the settlement's currency (JPY: no decimals)."""
    head = write_v2(tmp_path / "part1.txt", [summary("1", "300", "JPY"), detail("1", "100")])
    tail = write_v2(tmp_path / "part2.txt", [detail("1", "200"), detail("1", "0.5")])
    with pytest.raises(RowErrors) as raised:
        load_settlements([head, tail])
    assert [(p.file, p.line) for p in raised.value.problems] == [(str(tail), 3)]


def test_two_summary_rows_for_one_settlement_in_a_file(tmp_path: Path) -> None:
    """One file with two summary rows of the same settlement is refused at the second."""
    path = write_v2(tmp_path / "a.txt", [summary("1", "1.00"), detail("1", "1.00"), summary("1", "1.00")])
    with pytest.raises(RowErrors) as raised:
        load_settlements([path])
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (4, "total-amount")
    assert "already has one at line 2" in problem.expected


def test_problems_of_every_file_are_raised_together(tmp_path: Path) -> None:
    """Bad rows in two files are reported in one error, each with its own file."""
    first = write_v2(tmp_path / "a.txt", [summary("1", "1.00"), detail("1", "x")])
    second = write_v2(tmp_path / "b.txt", [summary("2", "1.00"), detail("2", "y")])
    with pytest.raises(RowErrors) as raised:
        load_settlements([first, second])
    assert [(p.file, p.found) for p in raised.value.problems] == [(str(first), "x"), (str(second), "y")]


def test_no_paths_and_unknown_format_are_usage_errors(tmp_path: Path) -> None:
    """Loading nothing, or forcing a format that does not exist, says what is valid."""
    with pytest.raises(UsageError, match="at least one"):
        load_settlements([])
    with pytest.raises(UsageError, match="valid options are flat-v2, flat-v1, xml"):
        load_settlements([tmp_path / "x.txt"], format="csv")


def test_negative_and_mixed_currency_settlements(tmp_path: Path) -> None:
    """Settlements in different currencies load side by side, each exact in its own minor unit."""
    first = write_v2(tmp_path / "us.txt", v2_settlement("U", ["-5.00", "0.01"]))
    second = write_v2(tmp_path / "jp.txt", v2_settlement("J", ["-5", "1"], "JPY"))
    result = load_settlements([first, second])
    assert [(s.currency, s.total_minor, s.consistent) for s in result.settlements] == [
        ("USD", -499, True),
        ("JPY", -4, True),
    ]
    by_currency = result.lines.groupby("currency", observed=True)["amount_minor"].sum().to_dict()
    assert by_currency == {"JPY": -4, "USD": -499}


def test_progress_is_called_per_file(tmp_path: Path) -> None:
    """The progress callback hears each file before it is read."""
    paths = [write_v2(tmp_path / f"{i}.txt", v2_settlement(str(i), ["1.00"])) for i in range(3)]
    seen: list[str] = []
    load_settlements(paths, progress=seen.append)
    assert seen == [str(p) for p in paths]
