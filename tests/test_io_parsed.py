"""Helpers every reader shares: trimming text columns, collecting row problems."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from settlesync_nb.errors import RowErrors, RowProblem
from settlesync_nb.io.parsed import ProblemLog, blank_to_null
from settlesync_nb.io.source import read_raw
from settlesync_nb.io.tabular import read_tsv

TEXT = st.text(alphabet=st.sampled_from(["a", "Z", "1", " ", "\t", "\u00a0", "\u3000", "é", "全", "\x1f"]), max_size=6)


def _expected(values: list[str | None]) -> list[str | None]:
    trimmed = pc.utf8_trim_whitespace(pa.array(values, pa.string())).to_pylist()
    return [t if t else None for t in trimmed]


@settings(deadline=None)
@given(
    values=st.lists(st.one_of(TEXT, st.none()), max_size=25),
    cut=st.integers(min_value=0, max_value=25),
    skip=st.integers(min_value=0, max_value=3),
)
def test_blank_to_null_trims_and_nulls_like_arrow(values: list[str | None], cut: int, skip: int) -> None:
    """Whatever the chunking or slicing, values are trimmed as arrow trims whitespace and blanks become null."""
    whole = pa.array(values, pa.string()).slice(min(skip, len(values)))
    expected = _expected(whole.to_pylist())
    chunked = pa.chunked_array([whole.slice(0, cut), whole.slice(cut)], pa.string())
    for column in (whole, chunked):
        out = blank_to_null(column)
        out.validate(full=True)
        assert out.to_pylist() == expected
    # what the TSV parser hands over: empty fields already null
    parsed = pa.array([v or None for v in whole.to_pylist()], pa.string())
    assert blank_to_null(parsed, empty_is_null=True).to_pylist() == expected


def test_blank_to_null_keeps_dictionaries() -> None:
    """A dictionary column stays dictionary-encoded, with trimmed, unique, non-empty values."""
    column = pa.chunked_array(
        [pa.array(["a ", "", " a", "b"]).dictionary_encode(), pa.array(["b", "  "]).dictionary_encode()]
    )
    out = blank_to_null(column)
    assert pa.types.is_dictionary(out.type)
    assert out.to_pylist() == ["a", None, "a", "b", "b", None]
    assert sorted(out.chunk(0).dictionary.to_pylist()) == ["a", "b"]


def test_problem_log_counts_all_and_keeps_a_sample() -> None:
    """A mask with many hits is counted in full while a sample of rows is kept, with their lines and values."""
    log = ProblemLog()
    mask = np.zeros(1000, dtype=bool)
    mask[::2] = True
    log.add_mask("f.txt", mask, np.arange(2, 1002), pa.array([str(i) for i in range(1000)]), "amount", "a number")
    assert log.total == 500
    assert len(log.problems) == 200
    assert log.problems[1] == RowProblem("f.txt", 4, "amount", "2", "a number")
    error = RowErrors(log.problems, "hint", total=log.total)
    assert error.total == 500 and "... and 480 more" in str(error)


def test_problem_log_column_per_row() -> None:
    """When each row's value comes from another column, each problem names its own."""
    log = ProblemLog()
    log.add_mask(
        "f.txt",
        pa.array([True, False, True]),
        np.array([5, 6, 7]),
        pa.chunked_array([["x", "1", None]]),
        pa.array(["price-amount", "other-amount", "other-amount"]),
        "a number",
    )
    assert [(p.line, p.column, p.found) for p in log.problems] == [(5, "price-amount", "x"), (7, "other-amount", "")]


def test_the_tsv_parser_hands_over_empty_fields_as_null(tmp_path: Path) -> None:
    """Empty fields are null straight from the parser; a field of spaces is text until cleaned."""
    path = tmp_path / "t.tsv"
    path.write_bytes(b"a\tb\tc\n1\t\t \n\t2\t\n")
    table = read_tsv(read_raw(path)).table
    assert table.to_pylist() == [{"a": "1", "b": None, "c": " "}, {"a": None, "b": "2", "c": None}]
