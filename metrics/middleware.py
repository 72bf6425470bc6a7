"""Record that a signed-in member visited today: at most one write per member per day."""

from django.core.cache import cache
from django.utils import timezone

from . import services


def record_visit(get_response):
    def middleware(request):
        response = get_response(request)
        # Only a member the session already loaded for this request: never an extra query to find
        # out who is there (API clients with a token are not visits).
        user = getattr(request, "_cached_user", None) or getattr(request, "_acached_user", None)
        if user is not None and user.is_authenticated:
            # The cache remembers today's visit, so only the day's first request writes.
            day = timezone.localdate()
            if cache.add(services.visit_cache_key(user.pk, day), 1, timeout=services.VISIT_CACHE_SECONDS):
                services.record_visit(member=user, day=day)
        return response

    return middleware
