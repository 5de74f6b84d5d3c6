"""Whole numbers read from query strings and forms by hand (ids, versions, row counts)."""

# The largest id a BigAutoField holds; past it SQLite raises OverflowError and PostgreSQL
# refuses the query, and either would be a 500.
MAX_ID = 2**63 - 1


def int_param(value) -> int | None:
    """``value`` as a whole number from 0 to MAX_ID, or None.

    ``str.isdigit`` alone is not enough: "²" and "٣" are digits to it, and ``int`` refuses
    the first.
    """
    text = value.strip() if isinstance(value, str) else ""
    # Length first: int() of more than 4,300 digits raises ValueError (CPython's limit).
    if len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
