"""Both sides summed per (order id, Order|Refund), and lined up.

Amazon: the lines of transaction type Order or Refund whose amount type is in the comparison
basis, summed across every loaded settlement (an order can be split across settlements).
NetSuite: records mapped to Order or Refund by their type; voided/cancelled records counted
apart from live ones. Refunds are compared by magnitude, since exports sign them either way.

Every order id of either side is encoded once, into one dictionary, so that an (order id, type)
pair is the integer ``2 * code + refund``: sums, counts, minima and maxima per pair are dense
numpy reductions over those integers, and lining the two sides up is indexing (no string
group-by, no hash join). Only the pairs the sides may disagree on come back as a pandas frame
(what the rules read); suggestions pick their few pairs from the pair arrays.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import Settings
from ..money import exponent, parse_amounts
from .codes import NONE, Lookup, codes, names_of
from .details import Details

MATCHED_TYPES = ("Order", "Refund")


@dataclass(frozen=True)
class Pairs:
    """Every (order id, type) pair of either side, by pair number (``2 * code + refund``)."""

    order_ids: pa.Array  # the order id of code `pair // 2`
    amazon: _AmazonPairs
    netsuite: _NetSuitePairs

    @cached_property
    def present(self) -> np.ndarray:
        """Per pair number: whether either side has it."""
        return (self.amazon.count > 0) | (self.netsuite.count > 0)

    @cached_property
    def in_plain_agreement(self) -> np.ndarray:
        """Per pair number: on both sides with one live NetSuite record, in the same currency,
        for the same amount. No rule finds anything in such a pair, so rules never see them."""
        amazon, netsuite = self.amazon, self.netsuite
        # NetSuite currency codes as Amazon's (a currency Amazon does not use: -2, never equal)
        theirs = netsuite.currency_low.values
        mapped = np.array(
            [amazon.currency.names.index(n) if n in amazon.currency.names else -2 for n in netsuite.currency_low.names]
            + [NONE]
        )[theirs]
        ours = amazon.currency.values
        same_currency = (theirs == NONE) | (
            (theirs == netsuite.currency_high.values) & ((mapped == ours) | (ours == NONE))
        )
        return (
            (amazon.count > 0)
            & (netsuite.count > 0)
            & (netsuite.live == 1)
            & (amazon.compared == netsuite.minor)
            & same_currency
        )

    def rows(self, pairs: np.ndarray) -> pd.DataFrame:
        """The joined frame (see :class:`Matched`) of these pair numbers, in this order."""
        return _line_up(self.order_ids, np.asarray(pairs, dtype=np.int64), self.amazon, self.netsuite)


@dataclass(frozen=True)
class Matched:
    """The two sides lined up.

    ``joined`` has one row per (order id, type) pair present on either side and not in plain
    agreement (:attr:`Pairs.in_plain_agreement`), with columns pair (its number), order_id,
    transaction_type, in_amazon, amazon_minor (signed sum), amazon_compared (refunds as
    magnitudes), promotion_minor, settlements (``;``-joined ids), settlement_count, currency and
    marketplace (of the pair's lines; lines without one are passed over, and of several the
    first alphabetically is shown; a pair only NetSuite has takes its first live record currency),
    posted_time (latest), in_netsuite, live_count, cancelled_count, netsuite_minor
    (sum of live records; refunds as magnitudes), netsuite_currency (``A;B`` when live records
    differ), difference_minor and order_in_amazon (the order's sale is in a loaded settlement).
    ``pairs`` has every pair; ``ignored`` counts NetSuite records left out, by type (types
    mapped to nothing or ``ignore``, and ``"<type> (no order id)"``).
    """

    joined: pd.DataFrame
    details: Details
    ignored: dict[str, int]
    pairs: Pairs


def _text(column: pa.ChunkedArray, mask: np.ndarray | None = None) -> pa.Array:
    """A text column as one plain string array, optionally only where ``mask`` holds."""
    if mask is not None:
        column = column.filter(pa.array(mask))
    whole = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return whole.cast(pa.string())


def _sum(key: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, key, values)
    return out


def _min_code(key: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Smallest non-null code per key (:data:`NONE` where none)."""
    top = np.iinfo(np.int64).max
    out = np.full(size, top, dtype=np.int64)
    np.minimum.at(out, key, np.where(values == NONE, top, values) if values.min(initial=0) == NONE else values)
    out[out == top] = NONE
    return out


def _max_code(key: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.full(size, NONE, dtype=np.int64)
    np.maximum.at(out, key, values)
    return out


def match(lines: pa.Table, records: pa.Table, settings: Settings) -> Matched:
    """Sum both sides per (order id, type) and line them up.

    Args:
        lines: Canonical settlement lines (``LoadResult.table``).
        records: NetSuite records (``NetSuiteRecords.table``).
        settings: Basis, type map, cancelled statuses, default currency.
    """
    transaction = Lookup(*codes(lines.column("transaction_type")))
    amount_type = Lookup(*codes(lines.column("amount_type")))
    wanted = (
        transaction.is_one_of(MATCHED_TYPES)
        & amount_type.is_one_of(settings.basis)
        & np.asarray(lines.column("order_id").is_valid(), dtype=bool)
    )
    refund = transaction.is_one_of(("Refund",))[wanted]
    order_ids = _text(lines.column("order_id"), wanted)

    types = _text(records.column("type"))
    kinds = pa.array(list(settings.netsuite_types.values()), pa.string()).take(
        pc.index_in(types, value_set=pa.array(list(settings.netsuite_types), pa.string()))
    )
    matched = np.asarray(pc.fill_null(pc.is_in(kinds, value_set=pa.array(MATCHED_TYPES)), False), dtype=bool)
    record_ids = _text(records.column("order_id"))
    # Records with no order id (the connector's summary Cash Sale / Cash Refund of non-order
    # amounts) cannot be matched to an order: they are counted, not compared.
    orphan = matched & ~np.asarray(record_ids.is_valid(), dtype=bool)
    ignored = _counts(types.filter(pa.array(~matched)))
    ignored.update({f"{k} (no order id)": v for k, v in _counts(types.filter(pa.array(orphan))).items()})
    keep = matched & ~orphan
    record_refund = np.asarray(pc.equal(kinds.filter(pa.array(keep)), "Refund"), dtype=bool)

    # one dictionary for both sides' order ids: a pair is 2 * code + refund
    encoded = pc.dictionary_encode(pa.concat_arrays([order_ids, record_ids.filter(pa.array(keep))]))
    code = encoded.indices.to_numpy().astype(np.int64)
    amazon_key = code[: len(order_ids)] * 2 + refund
    netsuite_key = code[len(order_ids) :] * 2 + record_refund
    size = 2 * len(encoded.dictionary)

    promotion = amount_type.is_one_of(("Promotion",))[wanted]
    # The two sides' sums are independent numpy work (which releases the GIL): side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        summing = pool.submit(_amazon_pairs, lines, wanted, promotion, amazon_key, size)
        netsuite, documents = _netsuite_pairs(records, keep, netsuite_key, record_refund, summing, size, settings)
        amazon = summing.result()
    pairs = Pairs(encoded.dictionary, amazon, netsuite)
    joined = pairs.rows(np.flatnonzero(pairs.present & ~pairs.in_plain_agreement))
    details = Details(lines, amazon_key, np.flatnonzero(wanted), netsuite_key, documents)
    return Matched(joined, details, ignored, pairs)


@dataclass(frozen=True)
class _Coded:
    """A code per pair, and the names the codes stand for."""

    values: np.ndarray
    names: list[str]

    def at(self, pairs: np.ndarray) -> pa.Array:
        return names_of(self.values[pairs], self.names)


@dataclass(frozen=True)
class _AmazonPairs:
    """Per pair: basis line count and sums, settlements, currency, marketplace, latest posting."""

    count: np.ndarray
    minor: np.ndarray
    promotion: np.ndarray
    settlement: _Coded  # the first (by id) of the pair's settlements
    split: dict[int, str]  # pair -> ";"-joined ids, for pairs in several settlements
    currency: _Coded
    marketplace: _Coded
    posted: np.ndarray  # epoch seconds, NONE where unknown

    @cached_property
    def compared(self) -> np.ndarray:
        """The sum compared with NetSuite: refunds (odd pair numbers) as magnitudes."""
        return np.where(np.arange(len(self.minor)) % 2 == 1, np.abs(self.minor), self.minor)


@dataclass(frozen=True)
class _NetSuitePairs:
    """Per pair: record counts (all, live, cancelled), the live records' sum and currencies."""

    count: np.ndarray
    live: np.ndarray
    cancelled: np.ndarray
    minor: np.ndarray
    currency_low: _Coded
    currency_high: _Coded


def _amazon_pairs(
    lines: pa.Table, wanted: np.ndarray, promotion: np.ndarray, key: np.ndarray, size: int
) -> _AmazonPairs:
    amounts = lines.column("amount_minor").to_numpy()[wanted]
    settlement, settlement_names = codes(lines.column("settlement_id"), wanted)
    first, last = _min_code(key, settlement, size), _max_code(key, settlement, size)
    currency, currency_names = codes(lines.column("currency"), wanted)
    marketplace, marketplace_names = codes(lines.column("marketplace"), wanted)
    posted = lines.column("posted_time").cast(pa.int64()).fill_null(NONE).to_numpy()[wanted]
    return _AmazonPairs(
        count=np.bincount(key, minlength=size),
        minor=_sum(key, amounts, size),
        promotion=_sum(key, np.where(promotion, amounts, 0), size),
        settlement=_Coded(first, settlement_names),
        split=_split_settlements(key, settlement, first != last, settlement_names),
        currency=_Coded(_min_code(key, currency, size), currency_names),
        marketplace=_Coded(_min_code(key, marketplace, size), marketplace_names),
        posted=_max_code(key, posted, size),
    )


def _split_settlements(key: np.ndarray, settlement: np.ndarray, split: np.ndarray, names: list[str]) -> dict[int, str]:
    """``;``-joined settlement ids of the (few) pairs whose lines are in several settlements."""
    if not split.any():
        return {}
    mine = split[key]
    pairs = np.unique(np.stack([key[mine], settlement[mine]], axis=1), axis=0)
    out: dict[int, list[str]] = {}
    for pair, value in pairs.tolist():
        if value != NONE:
            out.setdefault(pair, []).append(names[value])
    return {pair: ";".join(sorted(ids)) for pair, ids in out.items()}


def _netsuite_pairs(
    records: pa.Table,
    keep: np.ndarray,
    key: np.ndarray,
    refund: np.ndarray,
    amazon: Future[_AmazonPairs],
    size: int,
    settings: Settings,
) -> tuple[_NetSuitePairs, pa.Array]:
    """The pairs' NetSuite facts, and each kept record's document label.

    ``amazon`` is being summed on another thread: its currencies are waited for only when the
    export has no currency of its own.
    """
    mask = pa.array(keep)
    column = {name: _text(records.column(name), keep) for name in ("type", "document_number", "internal_id")}
    status = pc.fill_null(_text(records.column("status"), keep), "")
    currency = _text(records.column("currency"), keep)
    if currency.null_count:  # no Currency column: take the settlement's, else the configured one
        default = pa.scalar(settings.netsuite.currency or "", pa.string())
        currency = pc.coalesce(currency, amazon.result().currency.at(key), default)
    minor = _fill_minor(
        records.column("amount_minor").filter(mask), records.column("amount_text").filter(mask), currency
    )
    minor = np.where(refund, np.abs(minor), minor)
    statuses = pa.array([s.casefold() for s in settings.cancelled_statuses], pa.string())
    live = ~np.asarray(pc.is_in(pc.utf8_lower(status), value_set=statuses), dtype=bool)
    label = pc.binary_join_element_wise(
        column["type"], pc.coalesce(column["document_number"], column["internal_id"]), " "
    )
    label = pc.if_else(pa.array(live), label, pc.binary_join_element_wise(label, " (", status, ")", ""))
    money, money_names = codes(pc.if_else(pc.equal(currency, ""), pa.scalar(None, pa.string()), currency))
    money = np.where(live, money, NONE)
    pairs = _NetSuitePairs(
        count=np.bincount(key, minlength=size),
        live=np.bincount(key[live], minlength=size),
        cancelled=np.bincount(key[~live], minlength=size),
        minor=_sum(key[live], minor[live], size),
        currency_low=_Coded(_min_code(key, money, size), money_names),
        currency_high=_Coded(_max_code(key, money, size), money_names),
    )
    return pairs, label


def _line_up(order_ids: pa.Array, present: np.ndarray, amazon: _AmazonPairs, netsuite: _NetSuitePairs) -> pd.DataFrame:
    """The joined frame: one row per pair in ``present``."""
    refund = (present % 2).astype(bool)
    in_amazon = amazon.count[present] > 0
    amazon_minor = amazon.minor[present]
    compared = amazon.compared[present]
    netsuite_minor = netsuite.minor[present]
    settlements = amazon.settlement.at(present)
    counts = in_amazon.astype(np.int64)
    if amazon.split:
        text = settlements.to_pylist()
        for row in np.flatnonzero(np.isin(present, list(amazon.split))).tolist():
            text[row] = amazon.split[int(present[row])]
            counts[row] = text[row].count(";") + 1
        settlements = pa.array(text, pa.string())
    low, high = netsuite.currency_low.at(present), netsuite.currency_high.at(present)
    same = netsuite.currency_low.values[present] == netsuite.currency_high.values[present]
    posted = amazon.posted[present]
    table = pa.table(
        {
            "pair": pa.array(present),
            "order_id": order_ids.take(pa.array(present // 2)),
            "transaction_type": pa.array(np.array(MATCHED_TYPES, dtype=object)[refund.astype(np.int64)], pa.string()),
            "in_amazon": pa.array(in_amazon),
            "amazon_minor": pa.array(amazon_minor),
            "amazon_compared": pa.array(compared),
            "promotion_minor": pa.array(amazon.promotion[present]),
            "settlements": settlements,
            "settlement_count": pa.array(counts),
            # a pair only NetSuite has takes its first live currency
            "currency": pc.coalesce(amazon.currency.at(present), low),
            "marketplace": amazon.marketplace.at(present),
            "posted_time": pa.array(posted, mask=posted == NONE).cast(pa.timestamp("s", tz="UTC")),
            "in_netsuite": pa.array(netsuite.count[present] > 0),
            "live_count": pa.array(netsuite.live[present]),
            "cancelled_count": pa.array(netsuite.cancelled[present]),
            "netsuite_minor": pa.array(netsuite_minor),
            "netsuite_currency": pc.if_else(pa.array(same), low, pc.binary_join_element_wise(low, high, ";")),
            "difference_minor": pa.array(compared - netsuite_minor),
            "order_in_amazon": pa.array(amazon.count[present - present % 2] > 0),
        }
    )
    return table.to_pandas()


def _counts(values: pa.Array) -> dict[str, int]:
    counts = pc.value_counts(values)
    return {
        str(v): int(n)
        for v, n in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    }


def _fill_minor(minor: pa.ChunkedArray, text: pa.ChunkedArray, currency: pa.Array) -> np.ndarray:
    """Minor units of every record: as loaded, or parsed now in the currency just learned."""
    minor, text = (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in (minor, text))
    values = minor.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    missing = np.asarray(pc.and_(pc.is_null(minor), pc.is_valid(text)), dtype=bool)
    if missing.any():
        currency_of = np.asarray(currency.to_pylist(), dtype=object)
        for code in sorted(set(currency_of[missing])):
            rows = missing & (currency_of == code)
            parsed, _ = parse_amounts(text.filter(pa.array(rows)), exponent(code or "USD"))
            values[rows] = parsed.to_numpy()
    return values
