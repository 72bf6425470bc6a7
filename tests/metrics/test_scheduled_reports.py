from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from community.roles import Role
from metrics import services
from metrics.models import ReportSubscription
from metrics.tasks import send_scheduled_reports_task
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_period_just_ended():
    month = services.last_complete_period("monthly", date(2026, 3, 1))
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))
    quarter = services.last_complete_period("quarterly", date(2026, 5, 17))
    assert (quarter.start, quarter.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert services.last_complete_period("quarterly", date(2026, 1, 2)).start == date(2025, 10, 1)


def test_a_subscriber_gets_the_pdf_once_per_period():
    sponsor = MemberFactory(role=Role.SPONSOR, email="sponsor@example.org")
    ReportSubscription.objects.create(reader=sponsor, frequency="monthly")
    assert services.send_scheduled_reports(today=date(2026, 3, 5)) == 1
    [message] = mail.outbox
    assert message.to == ["sponsor@example.org"]
    assert message.subject == "Community value report, 1 Feb 2026 – 28 Feb 2026"
    assert "Value delivered (lagging): EUR 0" in message.body
    [(name, content, kind)] = message.attachments
    assert name == "community-report-2026-02-01-2026-02-28.pdf" and kind == "application/pdf"
    assert content.startswith(b"%PDF")
    assert services.send_scheduled_reports(today=date(2026, 3, 20)) == 0  # February went out already
    assert services.send_scheduled_reports(today=date(2026, 4, 1)) == 1  # March is due
    assert len(mail.outbox) == 2


def test_readers_of_the_same_report_share_one_rendering(monkeypatch):
    from metrics import report

    renders = []
    monkeypatch.setattr(report, "render_pdf", lambda period, **kwargs: renders.append(period) or b"%PDF-1.7")
    for n in range(3):
        ReportSubscription.objects.create(reader=MemberFactory(role=Role.SPONSOR), frequency="monthly")
    assert services.send_scheduled_reports(today=date(2026, 3, 5)) == 3
    assert len(renders) == 1 and len(mail.outbox) == 3


def test_only_readers_of_reports_are_subscribed_or_mailed():
    member = MemberFactory()
    with pytest.raises(ValidationError, match="read reports"):
        ReportSubscription(reader=member, frequency="monthly").full_clean()
    ReportSubscription.objects.create(reader=member, frequency="quarterly")  # a sponsor since demoted
    assert services.send_scheduled_reports(today=date(2026, 4, 2)) == 0
    assert mail.outbox == []


def test_the_task_and_the_command_send_what_is_due(capsys):
    from django.core.management import call_command

    ReportSubscription.objects.create(reader=MemberFactory(role=Role.MANAGER), frequency="quarterly")
    assert send_scheduled_reports_task.enqueue().return_value == 1
    call_command("send_scheduled_reports")
    assert "0 sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_a_manager_subscribes_a_sponsor_in_the_cms(client):
    sponsor, member = MemberFactory(role=Role.SPONSOR), MemberFactory()
    client.force_login(MemberFactory(role=Role.MANAGER))
    add = "/cms/snippets/metrics/reportsubscription/add/"
    refused = client.post(add, {"reader": member.pk, "frequency": "monthly"})
    assert refused.status_code == 200 and "read reports" in refused.content.decode()
    assert client.post(add, {"reader": sponsor.pk, "frequency": "monthly"}).status_code == 302
    assert ReportSubscription.objects.get().reader == sponsor
