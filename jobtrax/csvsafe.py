"""The project's one CSV writer: files a spreadsheet opens without running anything.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (and, in some, a tab or a carriage
return) as a formula, which can fetch a URL or run a command. Every text cell that starts so is
written with a leading apostrophe, which spreadsheets show as text; numbers and dates are
written as they are. The tracker's CSV export and the "Your data" export both write through
here, and the tracker's CSV import takes the apostrophe off again (`unformula`).
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell's text, with a formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return str(value)  # a number is never a formula, and "-5" stays a number
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def unformula(value: str) -> str:
    """Take off the apostrophe `safe_cell` added, for a file read back in."""
    if len(value) > 1 and value[0] == "'" and value[1] in "".join(FORMULA_START):
        return value[1:]
    return value


class SafeWriter:
    """csv.writer, with every cell passed through `safe_cell`."""

    def __init__(self, out, **kwargs) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)
