"""The plans list on a phone: each plan a card whose cells are named, nothing to scroll sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.roles import Role
from plans import services
from tests.e2e.test_heading_rows import PHONE, signed_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_plan_is_a_card_that_fits_the_screen(live_server, browser):
    manager = MemberFactory(email="mia@example.org", role=Role.MANAGER)
    services.create_plan(actor=manager, title="Spring: every question answered in a day",
                         start=timezone.localdate() - timedelta(days=59))
    page = signed_in(browser, live_server.url, PHONE)
    assert page.goto("/plans/").status == 200
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert page.locator("tbody td").first.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Days · "'
    page.context.close()
