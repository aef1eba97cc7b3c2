"""Small pieces of English the messages share."""


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """'1 warning', '3 warnings', '1,200 words': a count with its noun in the right number."""
    return f"{number:,} {noun if number == 1 else (plural or noun + 's')}"
