"""CSV and TSV export of translation units, for spreadsheets and scripts.

Both use RFC 4180 quoting (fields containing the delimiter, quotes or line
breaks are quoted, quotes doubled), CRLF row ends and UTF-8.  ``bom=True``
prepends a UTF-8 BOM, which is what makes Excel open Chinese text correctly
instead of guessing a legacy code page.  ``escape_formulas=True`` prefixes
cells that start with ``= + - @`` (or tab/CR) with an apostrophe so a
spreadsheet shows them instead of running them (CSV injection); it changes the
text, so it is off unless the file is meant for a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal

from workbench.formats.tmx_write import format_tmx_date
from workbench.formats.units import TranslationUnit, xml_safe
from workbench.formats.xmlio import Output, open_output

#: Fixed columns, then one column per requested prop key.
BASE_COLUMNS: tuple[str, ...] = (
    "tuid",
    "source_lang",
    "target_lang",
    "source",
    "target",
    "created",
    "changed",
    "creator",
    "changer",
    "notes",
)
DEFAULT_PROP_COLUMNS: tuple[str, ...] = ("status", "document", "confidence", "hter")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str, escape_formulas: bool) -> str:
    # NUL and friends break Excel and many CSV readers; drop what XML would drop.
    value = xml_safe(value)
    if escape_formulas and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unit_row(unit: TranslationUnit, prop_columns: Sequence[str]) -> list[str]:
    """The row for one unit: dates as ``YYYYMMDDThhmmssZ`` UTC, notes joined by newlines."""
    row = [
        unit.tuid or "",
        unit.source_lang,
        unit.target_lang,
        unit.source,
        unit.target,
        format_tmx_date(unit.created) if unit.created else "",
        format_tmx_date(unit.changed) if unit.changed else "",
        unit.creator or "",
        unit.changer or "",
        "\n".join(unit.notes),
    ]
    row.extend(unit.props.get(key, "") for key in prop_columns)
    return row


def write_tabular(
    units: Iterable[TranslationUnit],
    out: Output,
    *,
    dialect: Literal["csv", "tsv"] = "csv",
    bom: bool = False,
    prop_columns: Sequence[str] = DEFAULT_PROP_COLUMNS,
    escape_formulas: bool = False,
) -> int:
    """Write a header row and one row per unit; streams, returns the row count.

    ``out`` is a binary stream or a path (written through ``atomic_write``).
    """
    delimiter = "," if dialect == "csv" else "\t"
    count = 0
    with open_output(out) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig" if bom else "utf-8", newline="")
        try:
            writer = csv.writer(
                text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
            )
            writer.writerow([*BASE_COLUMNS, *prop_columns])
            for unit in units:
                writer.writerow([_cell(v, escape_formulas) for v in unit_row(unit, prop_columns)])
                count += 1
            text.flush()
        finally:
            text.detach()  # leave the caller's stream open
    return count


def write_csv(units: Iterable[TranslationUnit], out: Output, **kwargs: object) -> int:
    """CSV (comma-separated); see ``write_tabular`` for the options."""
    return write_tabular(units, out, dialect="csv", **kwargs)  # type: ignore[arg-type]


def write_tsv(units: Iterable[TranslationUnit], out: Output, **kwargs: object) -> int:
    """TSV (tab-separated, same quoting rules); see ``write_tabular``."""
    return write_tabular(units, out, dialect="tsv", **kwargs)  # type: ignore[arg-type]
