"""Pages of a search without counting every match: a common word matches half an archive,
and counting (or ranking) every row to say "1–50 of 10,412" costs more than the page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Searches count their matches up to this many; past it a page says "more than 1,000".
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator whose ``count`` stops at ``cap`` (``capped`` says it did): the count is
    ``SELECT COUNT(*) FROM (… LIMIT cap + 1)`` without the ordering, so the database stops
    at the first ``cap + 1`` matches and ranks none of them. Pages past the cap are not
    offered; a narrower search finds them."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = rows > self.cap
        return min(rows, self.cap)
