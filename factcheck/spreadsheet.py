"""CSV for spreadsheets: the one rule that keeps a cell from running as a formula."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Spreadsheets run a cell that starts like a formula; a leading ' makes it text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
