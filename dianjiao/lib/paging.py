"""Pages of rows that carry costly figures."""

from collections.abc import Callable

from django.core.paginator import Paginator


class FiguresPaginator(Paginator):
    """Pages a queryset whose rows carry figures computed per row (correlated subqueries, as
    ViewingSession.objects.with_figures()): the database chooses the page's rows by their order
    alone and computes the figures of those rows only, in the same statement

        … WHERE pk IN (SELECT pk … ORDER BY … LIMIT 20 OFFSET 40) ORDER BY …

    A plain slice lets SQLite compute the figures of every row in scope before it sorts and
    cuts: 5,600 sessions × 7 counts for a page of 20. Same rows, same order, same number of
    queries.

    `figures(queryset)`, when given, adds the figures to the page's rows only: the list itself
    stays plain, so counting it and choosing the page's rows never build the figures' SQL (seven
    correlated counts cost Django ~5 ms to compile, each time a queryset carrying them is cloned
    or counted)."""

    def __init__(self, object_list, per_page, *, figures: Callable | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.figures = figures

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        chosen = rows.filter(pk__in=rows.values("pk")[bottom:top])
        return self._get_page(self.figures(chosen) if self.figures else chosen, number, self)
