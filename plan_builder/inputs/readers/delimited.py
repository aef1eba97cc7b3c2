"""CSV files: UTF-8 text (with or without a byte-order mark), comma-separated, quoted as Excel writes them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError


def read_csv(path: Path, display: Path) -> list[list[Any]]:
    """Every row of the file as a list of cells (None for an empty cell).

    Cells stay text: a CSV file does not say which cells are numbers or dates.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as 'CSV UTF-8' in Excel"
        ) from exc
    except csv.Error as exc:
        raise DataError(f"{display}: not a readable CSV file ({exc})") from exc
    return [[cell if cell.strip() else None for cell in row] for row in rows]
