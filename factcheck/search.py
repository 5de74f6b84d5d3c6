"""Search terms as typed by users, made safe for every database."""


def clean_query(text) -> str:
    """``text`` stripped, without NUL characters (PostgreSQL refuses them even in a query
    parameter); "" for None."""
    return (text or "").replace("\x00", "").strip()
