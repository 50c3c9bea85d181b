"""Reading a CSV file that a person or a spreadsheet may have saved: the one way the course's
tools read the marking sheet, a roster, a names file and the gradebook.

- The bytes may start with a UTF-8 byte-order mark (Excel's "CSV UTF-8" and the course's own
  files) or not; where `cp1252` is allowed, text that is not UTF-8 is read as Windows-1252
  (Excel's plain "CSV" on Windows).
- The delimiter is whichever of `delimiters` the header row has most of (a spreadsheet set to
  a language that writes decimal commas saves with semicolons).
- Python's csv module refuses a field over 131,072 characters with an error that names neither
  the file nor the row. Here that limit is lifted while a file is read, and the caller's own
  `max_field` decides instead: a longer field is a CsvError naming the file, the row (as a
  spreadsheet numbers them: the header is row 1) and the column, as is any other error.
"""
from __future__ import annotations

import csv
import io

from .text import printable


class CsvError(ValueError):
    """The file cannot be read as CSV; the message names the file and, where it can, the row and column."""


def read_csv(raw: bytes, where, max_field: int, cp1252: bool = False,
             delimiters: tuple[str, ...] = (",",)) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(row number, row)]) of a CSV file's bytes; `where` names the file in messages.
    A row is a dict as csv.DictReader makes it (cells beyond the header under the key None)."""
    where = printable(where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not cp1252:
            raise CsvError(f"{where}: is not UTF-8 text (byte {exc.start + 1} is not); save it as "
                           "\"CSV UTF-8\"") from None
        text = raw.decode("cp1252", errors="replace")
    header_line = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=max(delimiters, key=header_line.count))
    previous = csv.field_size_limit(len(text) + 1)
    try:
        header = list(reader.fieldnames or [])
        _check(where, 1, dict(zip(header, header)), max_field)
        rows = []
        for number, row in enumerate(reader, start=2):
            _check(where, number, row, max_field)
            rows.append((number, row))
    except csv.Error as exc:
        raise CsvError(f"{where}: line {reader.line_num}: is not CSV that can be read ({exc}); save it again "
                       "from the spreadsheet as CSV") from None
    finally:
        csv.field_size_limit(previous)
    return header, rows


def _check(where: str, number: int, row: dict, max_field: int) -> None:
    for column, value in row.items():
        for cell in value if isinstance(value, list) else [value]:
            if cell is not None and len(cell) > max_field:
                name = "beyond the header's columns" if column is None else printable(repr(column[:40]))
                raise CsvError(f"{where}: row {number}, column {name}: {len(cell):,} characters, more than the "
                               f"{max_field:,} a cell of this file may hold (or a quote left open made the rest "
                               "of the file one cell)")
