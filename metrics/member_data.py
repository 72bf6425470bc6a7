"""Metrics' part of deleting an account: report subscriptions go with it. Visits stay, on the
anonymous account, so past figures do not change when someone leaves."""

from members.models import Member
from members.personal_data import register_archive_part, register_eraser

from .models import ReportSubscription


def subscription_rows(member: Member):
    yield from ReportSubscription.objects.filter(reader=member).values("frequency", "include_staff", "created")


def erase(*, member: Member) -> None:
    ReportSubscription.objects.filter(reader=member).delete()


def register() -> None:
    register_archive_part("report_subscriptions", subscription_rows, description="Reports mailed to you.")
    register_eraser("metrics", erase)
