"""Pagination for lists whose rows are costly to filter, join or sort in full."""

from collections.abc import Callable, Iterable

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window


class IdsFirstPaginator(Paginator):
    """Pages a queryset in one pass over its filters: a narrow query reads one page's ids with the
    total beside them (`COUNT(*) OVER ()`, so the joins and the sort run once instead of once for
    the count and again for the page, and the sort carries ids rather than whole rows), then
    `load(ids)` reads the rows of those ids only (with whatever they show) and the page lists them
    in the ids' order. The number of queries is the same on every page.

    The count is read with the page: a page past the end costs a plain COUNT to find the last one."""

    def __init__(self, object_list: QuerySet, per_page: int, *, load: Callable[[list], Iterable], **kwargs):
        if kwargs.get("orphans"):
            raise ValueError("IdsFirstPaginator does not merge orphans into the last page.")
        super().__init__(object_list, per_page, **kwargs)
        self.load = load

    def get_page(self, number) -> Page:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))

    def page(self, number) -> Page:
        number = self._validate_number(number, float("inf"))
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.prefetch_related(None)
            .annotate(ids_first_total=Window(Count("pk")))
            .values_list("pk", "ids_first_total")[bottom : bottom + self.per_page]
        )
        if rows:
            self.count = rows[0][1]
        elif number == 1:
            self.count = 0
            if not self.allow_empty_first_page:
                raise EmptyPage(self.error_messages["no_results"])
        else:  # past the end: the plain count says where the end is
            self.count = self.object_list.order_by().count()
            raise EmptyPage(self.error_messages["no_results"])
        ids = [pk for pk, _ in rows]
        found = {item.pk: item for item in self.load(ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)

