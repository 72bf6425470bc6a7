"""IdsFirstPaginator: the page's ids and the total in one query, then the rows of those ids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.pagination import IdsFirstPaginator
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    return [MemberFactory(handle=f"m{n:02}") for n in range(7)]


def paginate(number, per_page=3, loaded=None):
    members = Member.objects.filter(username__startswith="m").order_by("-username")

    def load(ids):
        if loaded is not None:
            loaded.append(ids)
        return Member.objects.filter(pk__in=ids).order_by("pk")  # any order: the page keeps the ids'

    return IdsFirstPaginator(members, per_page, load=load).get_page(number)


def handles(page):
    return [member.username for member in page]


def test_a_page_keeps_the_querysets_order_and_counts_everything(members):
    page = paginate(2)
    assert handles(page) == ["m03", "m02", "m01"]
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert page.has_previous() and page.has_next()


def test_a_page_is_two_queries_whichever_page(members):
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            page = paginate(number)
            assert page.paginator.num_pages == 3
        assert len(captured) == 2, number
        assert "COUNT(" in captured[0]["sql"].upper() and "OVER" in captured[0]["sql"].upper()


def test_the_last_page_holds_the_rest(members):
    page = paginate(3)
    assert handles(page) == ["m00"] and not page.has_next()


@pytest.mark.parametrize("number", [4, 99, "99"])
def test_a_page_past_the_end_shows_the_last_page(members, number):
    page = paginate(number)
    assert page.number == 3 and handles(page) == ["m00"]


@pytest.mark.parametrize("number", [None, "x", "", "1.5", 0, -2])
def test_a_page_number_that_is_not_one_shows_a_valid_page(members, number):
    page = paginate(number)
    assert page.number in (1, 3)
    assert len(page) == (3 if page.number == 1 else 1)


def test_nothing_to_show_is_one_empty_page(db):
    loaded = []
    page = paginate(5, loaded=loaded)
    assert page.number == 1 and list(page) == [] and page.paginator.count == 0
    assert page.paginator.num_pages == 1


def test_only_the_pages_ids_are_loaded(members):
    loaded = []
    paginate(1, loaded=loaded)
    assert [len(ids) for ids in loaded] == [3]


def test_orphans_are_refused():
    with pytest.raises(ValueError, match="orphans"):
        IdsFirstPaginator(Member.objects.order_by("pk"), 3, load=list, orphans=1)
