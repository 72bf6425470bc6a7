"""The visitor's address, decided once for every rate limit (allauth's sign-in limits, the API
throttles) from TRUSTED_PROXY_COUNT: how many proxies of ours stand in front of Daphne."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Direct (0 proxies): the connection's own address; X-Forwarded-For is whatever the visitor
    wrote. Behind N proxies: the N-th address from the right of X-Forwarded-For, the one our
    outermost proxy appended; everything to its left came from the visitor and is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    # Fewer hops than proxies: a request that reached us another way; take the oldest hop we have.
    candidate = hops[-min(count, len(hops))]
    # Some proxies write the port too: "203.0.113.5:4711", "[2001:db8::1]:4711".
    if candidate.startswith("["):
        candidate = candidate[1:].split("]", 1)[0]
    elif candidate.count(":") == 1:
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Not an address our proxy would write: the count does not match the topology. The
        # connection's address limits everyone behind it together, which fails safe.
        return remote
