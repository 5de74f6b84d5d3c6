"""Pages of a search without counting every match: a common word matches half an archive,
and counting (or ranking) every row to say "1–50 of 10,412" costs more than the page."""

from django.core.paginator import Page, Paginator

# Searches count their matches up to this many; past it a page says "more than 1,000".
COUNT_CAP = 1000


class CountedPaginator(Paginator):
    """A Paginator told how many rows it pages (a count the caller has read already, such as
    the published state's), so it never counts them again; ``fetch(start, stop)`` returns the
    rows of a page, as ``OpenEndedPaginator``'s does."""

    def __init__(self, fetch, per_page, *, count: int, **kwargs):
        super().__init__(_Rows(fetch), per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


class _Rows:
    """What a Paginator slices: ``fetch(start, stop)``."""

    def __init__(self, fetch):
        self.fetch = fetch

    def __getitem__(self, rows: slice):
        return self.fetch(rows.start, rows.stop)


class OpenEndedPaginator:
    """Pages of a search that never counts its matches: page ``n`` reads its rows and one
    more (``fetch(start, stop)`` returns the rows from ``start`` to ``stop``, excluded), so
    it knows whether a next page exists, and says "51–100 of more than 100". Pages stop at
    ``cap`` rows (a narrower search finds the rest). The page offers what Django's ``Page``
    does for the templates (``includes/pagination.html``); ``open_ended`` tells them that
    ``num_pages`` is "so far"."""

    open_ended = True

    def __init__(self, fetch, per_page: int, *, cap: int = COUNT_CAP):
        self.fetch, self.per_page, self.cap = fetch, per_page, cap
        self.count, self.num_pages, self.capped = 0, 1, False

    def validate_number(self, number) -> int:  # Page's next/previous_page_number
        return int(number)

    def get_page(self, number) -> Page:
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        number = min(number, max(1, self.cap // self.per_page))
        start = (number - 1) * self.per_page
        stop = min(start + self.per_page, self.cap)
        rows = self.fetch(start, stop + 1)
        if not rows and number > 1:
            return self.get_page(1)
        self.capped = len(rows) > stop - start
        rows = rows[: stop - start]
        self.count = start + len(rows)
        self.num_pages = number + (1 if self.capped and stop < self.cap else 0)
        return Page(rows, number, self)
