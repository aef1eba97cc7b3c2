"""How to read a published table into a dataset: the `import:` block of a dataset in plan.yaml.

A published table is either **long** (one row per record, columns named in its header, as
the Youth Justice Statistics open data are) or **wide** (one column per period, as the
supplementary tables are), and a wide table has one row per area or one row per measure.
The block says which, where the table sits (sheet, header row, cell range), and how its
labels map to plan-builder's fields and areas. `plan-builder data import` reads it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from plan_builder.inputs.readers import CellRange
from plan_builder.inputs.schema import StrictModel

Labels = str | list[str]
"""One label, or several."""


def check_range(value: str | None) -> str | None:
    """A cell range such as 'A3:H40' (ValueError naming the forms understood)."""
    if value is not None:
        CellRange.parse(value)
    return value


class ImportSpec(StrictModel):
    """Where a published table sits in its file, its layout, and what its labels mean."""

    sheet: str | int | None = None
    """The sheet, by name or by number (1 is the first); default: the first sheet."""
    header_row: int | None = Field(default=None, ge=1)
    """The row holding the column labels (the periods, in a wide table); rows above it are titles."""
    range: str | None = None
    """Only these cells, e.g. 'A4:H12' (leaves out notes under the table)."""
    layout: Literal["long", "wide"] = "long"
    """long: one row per record; wide: one column per period."""
    rows: Literal["areas", "measures"] = "areas"
    """Wide tables: each row is an area (its cells hold `value`) or a measure (named in `measures`)."""
    label_column: str | None = None
    """Wide tables: the column of row labels, by letter or header; default: the first column."""
    value: str | None = None
    """Wide tables of areas: the field every cell holds, e.g. fte_count."""
    measures: dict[str, str] = Field(default_factory=dict)
    """Wide tables of measures: row label -> field, e.g. 'Number of children in cohort': children."""
    skip_columns: list[str] = Field(default_factory=list)
    """Wide tables: columns that are not periods (by letter or header), e.g. [B] for an area code."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Long tables: field -> column header; `period` reads a period label into the dataset's dates."""
    where: dict[str, Labels] = Field(default_factory=dict)
    """Long tables: keep only rows whose column holds this value (or one of these)."""
    sum: bool = False
    """Long tables: add up rows for the same area and period (one row per sentence type, say)."""
    area: str | None = None
    """The area of every row, for a table of one area."""
    areas: dict[str, Labels] = Field(default_factory=dict)
    """Area in the data -> its label(s) in the table; several labels are summed (a joint service's
    councils). With this, rows for other areas are left out (and listed)."""
    fixed: dict[str, str | int] = Field(default_factory=dict)
    """Fields with one value for every row, e.g. age_band: 10-17."""
    markers: dict[str, Literal["suppressed", "not available", "not applicable"]] = Field(default_factory=dict)
    """The source's own meaning of a marker where it differs, e.g. '..': not applicable."""

    _range = field_validator("range")(check_range)

    @model_validator(mode="after")
    def _fits_layout(self) -> ImportSpec:
        wide_only = {"value": self.value, "measures": self.measures, "skip_columns": self.skip_columns}
        wide_only["label_column"] = self.label_column
        long_only = {"columns": self.columns, "where": self.where, "sum": self.sum}
        if self.layout == "long":
            given = [key for key, value in wide_only.items() if value]
            if given:
                raise ValueError(f"{', '.join(given)}: only for layout: wide")
            if not self.columns:
                raise ValueError("layout: long needs columns (field -> column header, e.g. area: YJS)")
        else:
            given = [key for key, value in long_only.items() if value]
            if given:
                raise ValueError(f"{', '.join(given)}: only for layout: long")
            if self.rows == "areas" and (not self.value or self.measures or self.area):
                raise ValueError("rows: areas needs value (the field every cell holds), and no measures or area")
            if self.rows == "measures" and (self.value or not self.measures or not self.area or self.areas):
                raise ValueError("rows: measures needs measures (row label -> field) and area, and no value or areas")
        if self.area and self.areas:
            raise ValueError("give area (one area for every row) or areas (a mapping), not both")
        return self
