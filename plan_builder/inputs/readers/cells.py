"""Cells as the readers hand them over: column letters and numbers, and a formula with no result."""

from __future__ import annotations


class UncalculatedFormula(str):
    """A workbook cell holding a formula whose result was never saved ('=D2*2'): never read as a value."""


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
