"""CSV/TSV export: quoting, BOM for Excel, formula escaping, atomic path writes."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.formats.tabular import BASE_COLUMNS, DEFAULT_PROP_COLUMNS, write_csv, write_tsv
from workbench.formats.units import TranslationUnit

UNITS = [
    TranslationUnit(
        'Comma, "quote" and\nnewline',
        "逗号，“引号”\n换行",
        "en",
        "zh",
        tuid="1",
        created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        creator="alice",
        props={"status": "approved", "confidence": "0.93", "hter": "0.12"},
        notes=["one", "two"],
    ),
    TranslationUnit("tab\there", "制表\t符", "en", "zh", tuid="2", props={"document": "a.txt"}),
    TranslationUnit("=1+1", "@SUM(A1)", "en", "zh"),
]


def _rows(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


@pytest.mark.parametrize(("writer", "delimiter"), [(write_csv, ","), (write_tsv, "\t")])
def test_round_trip_through_csv_module(writer, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    assert writer(UNITS, buf) == 3
    rows = _rows(buf.getvalue(), delimiter)
    assert rows[0] == [*BASE_COLUMNS, *DEFAULT_PROP_COLUMNS]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["source"] == 'Comma, "quote" and\nnewline'
    assert first["target"] == "逗号，“引号”\n换行"
    assert first["created"] == "20240102T030405Z"
    assert first["notes"] == "one\ntwo"
    assert (first["status"], first["confidence"], first["hter"]) == ("approved", "0.93", "0.12")
    second = dict(zip(rows[0], rows[2], strict=True))
    assert (second["source"], second["target"], second["document"]) == (
        "tab\there",
        "制表\t符",
        "a.txt",
    )
    assert rows[3][3:5] == ["=1+1", "@SUM(A1)"]
    assert len(rows) == 4


def test_bom_only_when_asked() -> None:
    plain, excel = io.BytesIO(), io.BytesIO()
    write_csv(UNITS, plain)
    write_csv(UNITS, excel, bom=True)
    assert not plain.getvalue().startswith(b"\xef\xbb\xbf")
    assert excel.getvalue().startswith(b"\xef\xbb\xbf")
    assert excel.getvalue()[3:] == plain.getvalue()


def test_rows_end_with_crlf_and_stream_stays_open() -> None:
    buf = io.BytesIO()
    write_csv(UNITS[2:], buf)
    assert buf.getvalue().endswith(b"\r\n")
    assert not buf.closed
    buf.write(b"more")  # the caller still owns the stream


def test_formula_escaping() -> None:
    buf = io.BytesIO()
    write_csv(UNITS[2:], buf, escape_formulas=True)
    assert _rows(buf.getvalue(), ",")[1][3:5] == ["'=1+1", "'@SUM(A1)"]


def test_custom_prop_columns_and_control_characters() -> None:
    unit = TranslationUnit("a\x00b", "甲\x1f乙", "en", "zh", props={"x": "1"})
    buf = io.BytesIO()
    write_tsv([unit], buf, prop_columns=["x"])
    rows = _rows(buf.getvalue(), "\t")
    assert rows[0][-1] == "x" and rows[1][-1] == "1"
    assert rows[1][3:5] == ["ab", "甲乙"]


def test_write_to_path_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    write_csv(UNITS, path, bom=True)
    good = path.read_bytes()

    def failing():  # type: ignore[no-untyped-def]
        yield UNITS[0]
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv(failing(), path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["units.csv"]
