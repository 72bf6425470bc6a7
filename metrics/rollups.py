"""The daily rollup table: filled by `rollup_metrics` (command and task), read by every report.

An incremental run recomputes, for each metric, only the days its late data can still change (see
`Metric.settles_days` and `closes_days`); a rebuild recomputes every day since the first member
joined. A day's figure depends only on the data, never on the range computed, so both write the same
rows for the same day."""

import io
import json
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from members import selectors as member_selectors

from . import catalogue, daily
from .models import Rollup


def first_day() -> date:
    first = member_selectors.first_verified_join()
    return daily.day_of(first) if first else timezone.localdate()


def _rows(metric, figures_by_group, *, include_staff: bool, days: set[date] | None = None) -> list[Rollup]:
    rows = []
    for group_id, figures in figures_by_group.items():
        for day, figure in figures.items():
            if days is not None and day not in days:
                continue
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


def compute(first: date, last: date, *, include_staff: bool, today: date | None = None, metrics=None) -> list[Rollup]:
    """The rollup rows for [first, last], computed live from the apps' selectors (not saved)."""
    today = today or timezone.localdate()
    material = daily.Material(first=first, last=last, today=today, include_staff=include_staff)
    rows = []
    for metric in metrics or catalogue.ROLLED_UP:
        rows += _rows(metric, metric.compute(material), include_staff=include_staff)
    return rows


def _merged(ranges: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[list[date]] = []
    for first, last in sorted(r for r in ranges if r[0] <= r[1]):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def plan(*, since: date | None, today: date, floor: date) -> dict[str, list[tuple[date, date]]]:
    """The day ranges each metric recomputes."""
    if since is not None:
        return {metric.key: _merged([(max(since, floor), today)]) for metric in catalogue.ROLLED_UP}
    last_rolled = Rollup.objects.aggregate(last=Max("day"))["last"]
    if last_rolled is None:
        return plan(since=floor, today=today, floor=floor)
    reference = min(last_rolled, today)
    ranges = {}
    for metric in catalogue.ROLLED_UP:
        first = reference - timedelta(days=metric.settles_days)
        spans = [(first, today)]
        if metric.closes_days:
            closes = timedelta(days=metric.closes_days)
            spans.append((first - closes, today - closes))
        ranges[metric.key] = _merged([(max(a, floor), b) for a, b in spans])
    return ranges


def _insert(rows: list[Rollup]) -> None:
    if connection.vendor != "postgresql":
        Rollup.objects.bulk_create(rows, batch_size=1000)
        return
    # COPY: the rebuild writes ~100,000s of rows; bulk_create's INSERTs took longer than computing them.
    buffer = io.StringIO()
    for row in rows:
        value = r"\N" if row.value is None else repr(float(row.value))
        samples = json.dumps(row.samples, separators=(",", ":")).replace("\\", "\\\\")
        buffer.write(
            f"{row.metric}\t{row.day.isoformat()}\t{row.group_id}\t{'t' if row.staff_included else 'f'}\t{value}\t"
            f"{float(row.numerator)!r}\t{float(row.denominator)!r}\t{samples}\n"
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Rollup._meta.db_table} (metric, day, group_id, staff_included, value, numerator, denominator,"
            " samples) FROM STDIN",
            buffer,
        )


@transaction.atomic
def rollup_metrics(*, since: date | None = None, rebuild: bool = False, today: date | None = None) -> int:
    """Recompute and store the daily rows; returns how many were written. Without `since` or
    `rebuild`, only the days each metric's late data can change (see `plan`)."""
    today = today or timezone.localdate()
    floor = first_day()  # no rows before the first member joined
    if rebuild:
        since = floor
        Rollup.objects.all().delete()
    ranges = plan(since=since, today=today, floor=floor)
    by_range: dict[tuple[date, date], list] = defaultdict(list)
    for metric in catalogue.ROLLED_UP:
        for span in ranges[metric.key]:
            by_range[span].append(metric)
    written = 0
    for include_staff in (False, True):
        rows = []
        for (first, last), metrics in sorted(by_range.items()):
            rows += compute(first, last, include_staff=include_staff, today=today, metrics=metrics)
            if not rebuild:
                Rollup.objects.filter(
                    metric__in=[metric.key for metric in metrics], staff_included=include_staff,
                    day__gte=first, day__lte=last,
                ).delete()
        _insert(rows)
        written += len(rows)
    return written
