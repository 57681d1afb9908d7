"""FiguresPaginator: the same pages as Django's Paginator, the figures computed for the page's
rows only."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from dianjiao.lib.paging import FiguresPaginator
from dianjiao.members.models import Member
from dianjiao.orgs.models import Village
from tests import factories


@pytest.fixture
def villages(db):
    made = [factories.village(f"第{n}村", sort_order=n % 3) for n in range(8)]
    for n, v in enumerate(made):
        for i in range(n % 4):
            factories.member(v, name=f"党员{n}-{i}")
    members = (
        Member.objects.filter(village=OuterRef("pk"))
        .order_by()
        .values("village")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Village.objects.annotate(
        n_members=Subquery(members, output_field=IntegerField())
    ).order_by("sort_order", "name")


@pytest.mark.parametrize(("per_page", "orphans"), [(3, 0), (3, 1), (5, 2), (20, 0)])
def test_it_pages_as_djangos_paginator_does(villages, per_page, orphans):
    ours = FiguresPaginator(villages, per_page, orphans=orphans)
    django_s = Paginator(villages, per_page, orphans=orphans)
    assert ours.num_pages == django_s.num_pages
    for number in ours.page_range:
        got = [(v.pk, v.n_members) for v in ours.page(number)]
        assert got == [(v.pk, v.n_members) for v in django_s.page(number)]
        assert got


def test_the_figures_are_computed_for_the_pages_rows_only(villages):
    page = FiguresPaginator(villages, 3).page(2)
    with CaptureQueriesContext(connection) as queries:
        rows = list(page)
    assert len(rows) == 3 and len(queries) == 1
    sql = queries[0]["sql"].upper()
    # The page's rows are chosen inside, by their order alone; the counts are read outside.
    inner = sql[sql.index(" IN (SELECT") :]
    assert "LIMIT 3" in inner and "MEMBERS_MEMBER" not in inner


def test_figures_given_apart_are_added_to_the_pages_rows_only(villages):
    """With `figures`, the list stays plain: counting it reads no figure, and the page's rows get
    them in the one statement that reads them, the same rows in the same order."""
    plain = Village.objects.order_by("sort_order", "name")

    def figures(rows):
        return rows.annotate(n_members=villages.query.annotations["n_members"])

    ours = FiguresPaginator(plain, 3, figures=figures)
    with CaptureQueriesContext(connection) as queries:
        assert ours.count == 8
    assert "MEMBERS_MEMBER" not in queries[0]["sql"].upper()
    for number in ours.page_range:
        with CaptureQueriesContext(connection) as queries:
            got = [(v.pk, v.n_members) for v in ours.page(number)]
        assert len(queries) == 1
        assert got == [(v.pk, v.n_members) for v in Paginator(villages, 3).page(number)]
