"""Durations as people say them: "3 hours", "5 days", "about 5 weeks" — not "909.1 h"."""

from datetime import timedelta


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def in_words(duration: timedelta) -> str:
    """The rough length of a duration in the largest unit that reads naturally, rounded down (a
    give from 13 days ago waits "13 days", one from 40 days ago "5 weeks")."""
    seconds = max(duration.total_seconds(), 0)
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 1:
        return "less than a minute"
    if hours < 1:
        return _count(int(minutes), "minute")
    if hours < 48:
        return _count(int(hours), "hour")
    if days < 14:
        return _count(int(days), "day")
    if days < 61:
        return _count(int(days // 7), "week")
    if days < 365:
        return _count(int(days // 30.44), "month")
    return _count(int(days // 365.25), "year")
