from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from metrics.models import Rollup, Visit
from metrics.tasks import rollup_metrics_task
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_member_visiting_all_day_is_one_row(client):
    member = MemberFactory()
    client.force_login(member)  # signing in is today's visit
    assert list(Visit.objects.values_list("member_id", "day")) == [(member.pk, timezone.localdate())]
    client.get("/members/")
    client.get("/members/")
    assert Visit.objects.count() == 1


def test_a_session_from_yesterday_records_today_on_its_first_request(client):
    from django.core.cache import cache

    from metrics import services

    member = MemberFactory()
    client.force_login(member)
    Visit.objects.all().delete()
    cache.delete(services.visit_cache_key(member.pk, timezone.localdate()))  # as if signed in yesterday
    client.get("/members/")
    client.get("/forums/")
    assert Visit.objects.filter(member=member).count() == 1


def test_visitors_leave_no_rows(client):
    client.get("/members/")
    assert not Visit.objects.exists()


def test_the_command_rolls_up_and_refuses_bad_dates(capsys):
    MemberFactory()
    call_command("rollup_metrics")
    assert Rollup.objects.filter(metric="new_members", day=timezone.localdate(), staff_included=False).get().value == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rollup_metrics", since="last tuesday")
    with pytest.raises(CommandError, match="not both"):
        call_command("rollup_metrics", since="2026-01-01", rebuild=True)
    call_command("rollup_metrics", rebuild=True)
    assert "daily rows written" in capsys.readouterr().out


def test_the_task_rolls_up_the_recent_days():
    MemberFactory()
    result = rollup_metrics_task.enqueue()
    assert result.return_value > 0
    assert Rollup.objects.filter(metric="members_total", day=timezone.localdate()).exists()
