"""Reading input files: gzip, byte order marks, encodings, fingerprints, and files that are not reports."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from conftest import V2_COLUMNS, detail, summary, tsv_text, v2_settlement, write_bytes, write_v2

from settlesync_nb.errors import FileProblem, MissingColumns
from settlesync_nb.io import detect_format, load_settlements, read_report, source
from settlesync_nb.io.source import read_raw

# every test runs twice: files read into memory, and memory-mapped (how large files are read)
pytestmark = pytest.mark.usefixtures("file_access")


def test_gzip_report_is_detected_by_content_not_name(tmp_path: Path) -> None:
    """A gzip-compressed report loads whatever it is called, and is fingerprinted as stored."""
    path = write_v2(tmp_path / "report.txt", v2_settlement("1", ["10.00", "-2.50"]), compress=True)
    result = load_settlements([path])
    source = result.files[0]
    assert source.compressed is True
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.settlement("1").lines_total == "7.50"


def test_gz_suffix_loads_too(tmp_path: Path) -> None:
    """A ``.txt.gz`` download loads like its uncompressed content."""
    path = write_v2(tmp_path / "report.txt.gz", v2_settlement("1", ["1.00"]), compress=True)
    assert load_settlements([path]).settlement("1").consistent


def test_truncated_gzip_is_a_clear_error(tmp_path: Path) -> None:
    """A gzip download cut short says so instead of failing inside the decompressor."""
    data = gzip.compress(tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00"] * 50)).encode())
    path = write_bytes(tmp_path / "cut.txt.gz", data[: len(data) // 2])
    with pytest.raises(FileProblem, match="cannot be decompressed"):
        load_settlements([path])


def test_utf8_bom_is_stripped_before_the_header(tmp_path: Path) -> None:
    """A UTF-8 byte order mark does not hide the first column's name."""
    path = write_v2(tmp_path / "bom.txt", v2_settlement("1", ["1.00"]), bom=True)
    result = load_settlements([path])
    assert result.files[0].encoding == "utf-8"
    assert result.settlement("1").total_amount == "1.00"


def test_cp1252_eu_file_with_decimal_comma(tmp_path: Path) -> None:
    """A German file in cp1252 with decimal commas decodes its umlauts and reads its amounts exactly."""
    rows = [
        summary("7", "1141.18", "EUR", start="14.03.2023 07:49:55 UTC"),
        detail("7", "1151.18", marketplace_name="Amazon.de", sku="Müller-Größe"),
        detail("7", "-10.00", marketplace_name="Amazon.de", amount_type="ItemFees", amount_description="Commission"),
    ]
    path = write_v2(tmp_path / "de.txt", rows, encoding="cp1252", decimal_comma=True)
    result = load_settlements([path])
    assert result.files[0].encoding == "cp1252"
    assert result.lines["sku"].iloc[0] == "Müller-Größe"
    settlement = result.settlement("7")
    assert (settlement.total_amount, settlement.consistent) == ("1141.18", True)
    assert settlement.start is not None and settlement.start.isoformat() == "2023-03-14T07:49:55+00:00"


def test_cp932_japanese_file(tmp_path: Path) -> None:
    """A Japanese file in cp932 (Shift_JIS) decodes its Japanese text; JPY amounts have no decimals."""
    rows = [
        summary("9", "1500", "JPY"),
        detail("9", "2000", marketplace_name="Amazon.co.jp", sku="商品-テスト", amount_description="Principal"),
        detail("9", "-500", marketplace_name="Amazon.co.jp", sku="商品-テスト", amount_type="ItemFees"),
    ]
    path = write_v2(tmp_path / "jp.txt", rows, encoding="cp932")
    result = load_settlements([path])
    assert result.files[0].encoding == "cp932"
    assert set(result.lines["sku"]) == {"商品-テスト"}
    assert result.lines["amount_minor"].tolist() == [2000, -500]
    assert result.settlement("9").total_amount == "1500"


def test_utf16_with_bom(tmp_path: Path) -> None:
    """A report saved as UTF-16 (with its byte order mark) loads."""
    path = write_v2(tmp_path / "u16.txt", v2_settlement("1", ["3.00"]), encoding="utf-16")
    result = load_settlements([path])
    assert result.files[0].encoding == "utf-16"
    assert result.settlement("1").consistent


def test_truncated_utf16_is_a_clear_error(tmp_path: Path) -> None:
    """A UTF-16 file with an odd number of bytes is reported, not a decoding traceback."""
    data = tsv_text(V2_COLUMNS, v2_settlement("1", ["3.00"])).encode("utf-16")
    path = write_bytes(tmp_path / "u16.txt", data[:-1])
    with pytest.raises(FileProblem, match="UTF-16"):
        load_settlements([path])


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"  \r\n\t", b"\xef\xbb\xbf", b"\xff\xfe", gzip.compress(b"")],
    ids=["empty", "blank-lines", "whitespace", "utf8-bom-only", "utf16-bom-only", "gzip-of-nothing"],
)
def test_empty_file_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    """A file with no content (even with a byte order mark or gzip wrapper) is reported as empty."""
    path = write_bytes(tmp_path / "empty.txt", data)
    with pytest.raises(FileProblem, match="is empty") as raised:
        load_settlements([path])
    assert raised.value.file == str(path)


def test_header_only_file_is_a_clear_error(tmp_path: Path) -> None:
    """A report with a header and no rows at all holds no settlement and says so."""
    path = write_v2(tmp_path / "header.txt", [], trailing_blank_lines=2)
    with pytest.raises(FileProblem, match="header but no rows"):
        load_settlements([path])


def test_missing_file_and_folder(tmp_path: Path) -> None:
    """A path that does not exist, or is a folder, is a file problem naming it."""
    with pytest.raises(FileProblem, match="file not found"):
        load_settlements([tmp_path / "nope.txt"])
    with pytest.raises(FileProblem, match="folder"):
        load_settlements([tmp_path])


def test_not_a_report_lists_the_columns_found(tmp_path: Path) -> None:
    """A tab-separated file without settlement columns is refused with the columns it has."""
    path = write_bytes(tmp_path / "orders.txt", b"order-id\tsku\tprice\n1\tA\t2.00\n")
    with pytest.raises(FileProblem, match="not a settlement report") as raised:
        load_settlements([path])
    message = str(raised.value)
    assert "'order-id', 'sku', 'price'" in message
    assert str(path) in message


def test_netsuite_csv_given_as_report_hints_netsuite_option(tmp_path: Path) -> None:
    """A comma-separated file passed as a settlement report says it may be a NetSuite export."""
    path = write_bytes(tmp_path / "ns.csv", b"Internal ID,Type,Amount\n1,Cash Sale,2.00\n")
    with pytest.raises(FileProblem, match="--netsuite"):
        load_settlements([path])


def test_v2_missing_required_columns_lists_them(tmp_path: Path) -> None:
    """A V2 report without its amount column is refused, naming it and listing the columns found."""
    columns = [c for c in V2_COLUMNS if c != "amount"]
    path = write_bytes(tmp_path / "r.txt", tsv_text(columns, [summary("1", "1.00")]).encode())
    with pytest.raises(MissingColumns) as raised:
        read_report(path, format="flat-v2")
    assert raised.value.missing == ("amount",)
    assert "amount-description" in raised.value.found


def test_forced_encoding(tmp_path: Path) -> None:
    """A forced encoding is used as given; a wrong or unknown one is a clear error."""
    path = write_v2(
        tmp_path / "de.txt", [*v2_settlement("1", ["1.00"]), detail("1", "0.00", sku="Größe")], encoding="cp1252"
    )
    assert load_settlements([path], encoding="cp1252").lines["sku"].iloc[-1] == "Größe"
    with pytest.raises(FileProblem, match="not valid utf-8"):
        load_settlements([path], encoding="utf-8")
    with pytest.raises(FileProblem, match="unknown encoding"):
        load_settlements([path], encoding="klingon")


def test_crlf_line_endings_and_trailing_blank_lines(tmp_path: Path) -> None:
    """Windows line endings and blank lines at the end change neither the data nor the line numbers."""
    path = write_v2(tmp_path / "crlf.txt", v2_settlement("1", ["1.00", "2.00"]), newline="\r\n", trailing_blank_lines=3)
    result = load_settlements([path])
    assert result.lines["source_line"].tolist() == [3, 4]
    assert result.lines["order_id"].tolist() == ["111-0000000-0000000", "111-0000000-0000001"]
    assert result.files[0].blank_lines == 3


def test_raw_file_knows_its_content_end(tmp_path: Path) -> None:
    """Trailing blank lines are cut from the content without copying it, and counted."""
    path = write_bytes(tmp_path / "x.txt", b"a\tb\n1\t2\n\n  \n\r\n")
    raw = read_raw(path)
    assert bytes(raw.content) == b"a\tb\n1\t2\n"
    assert raw.trailing_blank_lines == 3
    assert raw.first_line == "a\tb"


def test_detect_format_by_header(tmp_path: Path) -> None:
    """The variant is told by the header (V2, old flat file) or by XML content."""
    v2 = write_v2(tmp_path / "v2.txt", v2_settlement("1", ["1.00"]))
    xml = write_bytes(tmp_path / "r.xml", b"  <?xml version='1.0'?><AmazonEnvelope/>")
    assert detect_format(read_raw(v2)) == "flat-v2"
    assert detect_format(read_raw(xml)) == "xml"


def test_classic_mac_line_endings(tmp_path: Path) -> None:
    """A report saved with carriage returns only (Excel for Mac's tab-delimited text) loads line by line."""
    path = write_v2(tmp_path / "mac.txt", v2_settlement("1", ["1.00", "2.00"]), newline="\r")
    result = load_settlements([path])
    assert result.lines["source_line"].tolist() == [3, 4]
    assert result.settlement("1").consistent


def test_spreadsheet_workbook_is_refused_as_such(tmp_path: Path) -> None:
    """An .xlsx workbook (a ZIP archive) passed as a report is named as such."""
    path = write_bytes(tmp_path / "report.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    with pytest.raises(FileProblem, match="Excel workbook"):
        load_settlements([path])


def test_one_path_is_one_file(tmp_path: Path) -> None:
    """Passing a single path (not a list) loads that file, not one file per character."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("1", ["1.00"]))
    assert load_settlements(path).settlement("1").consistent
    assert load_settlements(str(path)).settlement("1").consistent


def test_memory_map_without_map_populate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the platform has no MAP_POPULATE (not Linux), large files are mapped read-only all the same."""
    monkeypatch.delattr(source.mmap, "MAP_POPULATE", raising=False)
    monkeypatch.setattr(source, "MAP_FROM", 1)
    path = write_v2(tmp_path / "r.txt", v2_settlement("1", ["10.00", "-2.50"]))
    raw = read_raw(path)
    assert not isinstance(raw.data, bytes)
    assert load_settlements([path]).settlement("1").lines_total == "7.50"
