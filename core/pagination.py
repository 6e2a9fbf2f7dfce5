"""Reader pagination that never counts a whole archive."""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator

# Readers page back through recent stories; the archive beyond is for search.
MAX_PAGES = 50


class CappedPaginator(Paginator):
    """A Paginator that counts at most `max_pages` pages of rows.

    Counting every published story costs a scan of 100,000 rows; counting
    until one row past the last page we show costs a few hundred. Past that
    the paginator reports exactly `max_pages` pages and `is_capped` is true.
    """

    def __init__(self, object_list, per_page, *, max_pages: int = MAX_PAGES, **kw):
        super().__init__(object_list, per_page, **kw)
        self.max_pages = max_pages

    @cached_property
    def _limit(self) -> int:
        return self.per_page * self.max_pages

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "values"):
            # Only the keys: no annotations, no ordering, no joins for display.
            return rows.order_by().values("pk")[: self._limit + 1].count()
        return min(len(rows), self._limit + 1)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self._limit)

    @property
    def is_capped(self) -> bool:
        """More rows exist than the pages on offer."""
        return self._counted > self._limit


def paginate(request, queryset) -> Page:
    """One page of `queryset`; a missing, odd or too-large number gets a real page."""
    paginator = CappedPaginator(queryset, settings.NEWSROOM_PAGE_SIZE)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    # Below the first page means the first; past the last means the last.
    return paginator.get_page(max(number, 1))
