"""Integer codes of low-cardinality columns: what grouping and filtering in reconcile rest on."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from settlesync_nb.reconcile.codes import NONE, codes, is_one_of, names_of


def test_chunks_with_their_own_dictionaries_share_one_sorted_code_list() -> None:
    """Two chunks encoded apart (two files) map to one list of names, sorted, nulls to NONE."""
    first = pa.array(["Refund", "Order", None, "Order"]).dictionary_encode()
    second = pa.array(["ServiceFee", "Order"]).dictionary_encode()
    values, names = codes(pa.chunked_array([first, second]))
    assert names == ["Order", "Refund", "ServiceFee"]
    assert values.tolist() == [1, 0, NONE, 0, 2, 0]


def test_plain_text_is_encoded_first() -> None:
    values, names = codes(pa.chunked_array([pa.array(["EUR", None]), pa.array(["USD", "EUR"])]))
    assert names == ["EUR", "USD"]
    assert values.tolist() == [0, NONE, 1, 0]


def test_is_one_of_is_never_true_for_null() -> None:
    column = pa.chunked_array([pa.array(["Order", None, "Refund", "Other"]).dictionary_encode()])
    assert is_one_of(column, ("Order", "Refund")).tolist() == [True, False, True, False]
    assert is_one_of(pa.chunked_array([], pa.string()), ("Order",)).tolist() == []


def test_names_of_codes() -> None:
    assert names_of(np.array([1, NONE, 0]), ["a", "b"]).to_pylist() == ["b", None, "a"]


def test_codes_of_chosen_rows_across_chunks() -> None:
    """With a row mask, only those rows' codes come back, in order, across chunks."""
    column = pa.chunked_array(
        [pa.array(["b", "a", None]).dictionary_encode(), pa.array(["c", "a"]).dictionary_encode()]
    )
    values, names = codes(column, np.array([True, False, True, True, False]))
    assert names == ["a", "b", "c"]
    assert values.tolist() == [1, NONE, 2]
