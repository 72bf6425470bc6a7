"""The daily rollup table: filled by `rollup_metrics` (command and task), read by every report.

An incremental run recomputes, for each metric, the days its late data can still change (late
acknowledgements, windows that close later); a rebuild recomputes every day since the first member
joined. Both write the same rows for the same day."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from members import selectors as member_selectors

from . import catalogue, daily
from .models import Rollup


def first_day() -> date:
    joins = member_selectors.verified_joins(timezone.now())
    return daily.day_of(joins[0][1]) if joins else timezone.localdate()


def compute(first: date, last: date, *, include_staff: bool, today: date | None = None) -> list[Rollup]:
    """The rollup rows for [first, last], computed live from the apps' selectors (not saved)."""
    today = today or timezone.localdate()
    material = daily.Material(first=first, last=last, today=today, include_staff=include_staff)
    rows = []
    for metric in catalogue.ROLLED_UP:
        for group_id, figures in metric.compute(material).items():
            for day, figure in figures.items():
                if group_id and not (figure.value or figure.denominator or figure.samples):
                    continue  # a group's rows are kept only for days with something to count
                rows.append(
                    Rollup(
                        metric=metric.key,
                        day=day,
                        group_id=group_id,
                        staff_included=include_staff,
                        value=figure.value,
                        numerator=figure.numerator,
                        denominator=figure.denominator,
                        samples=figure.samples,
                    )
                )
    return rows


@transaction.atomic
def rollup_metrics(*, since: date | None = None, rebuild: bool = False, today: date | None = None) -> int:
    """Recompute and store the daily rows; returns how many were written. Without `since` or
    `rebuild`, each metric's last `settles_days` days (up to today) are recomputed."""
    today = today or timezone.localdate()
    floor = first_day()  # no rows before the first member joined
    if rebuild:
        since = floor
        Rollup.objects.all().delete()
    if since is not None:
        starts = {metric.key: max(since, floor) for metric in catalogue.ROLLED_UP}
    else:
        starts = {metric.key: max(floor, today - timedelta(days=metric.settles_days)) for metric in catalogue.ROLLED_UP}
    written = 0
    for include_staff in (False, True):
        rows = [row for row in compute(min(starts.values()), today, include_staff=include_staff, today=today)
                if row.day >= starts[row.metric]]
        for key, start in starts.items():
            Rollup.objects.filter(metric=key, staff_included=include_staff, day__gte=start, day__lte=today).delete()
        Rollup.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written
