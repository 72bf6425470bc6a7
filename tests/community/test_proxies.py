"""One client address for every limit, from TRUSTED_PROXY_COUNT: direct, X-Forwarded-For is the
visitor's own writing and ignored; behind one proxy, the address that proxy appended counts."""

import pytest
from django.test import RequestFactory

from community.proxies import client_address
from tests.factories import PASSWORD, MemberFactory

GROUPS = "/api/v1/forums/groups/"  # open to anonymous readers, so the anonymous throttle applies
ANON_LIMIT = 60  # THROTTLE_ANON
IP_LIMIT = 10  # ACCOUNT_RATE_LIMITS login_failed: 10/m/ip
PROXY = "10.0.0.2"


def address(forwarded=None, remote="192.0.2.9"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_direct_the_connection_decides(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address() == "192.0.2.9"
    assert address("203.0.113.5") == "192.0.2.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("1.2.3.4, 203.0.113.5", "203.0.113.5"),  # a hop the visitor wrote to the left
        (" 2001:db8::1 ", "2001:db8::1"),
        ("203.0.113.5:4711", "203.0.113.5"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("not-an-address", "192.0.2.9"),
        ("", "192.0.2.9"),
    ],
)
def test_behind_one_proxy_the_hop_it_appended_decides(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address(forwarded) == expected


def test_behind_two_proxies_the_second_hop_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert address("1.2.3.4, 203.0.113.5, 10.0.0.3") == "203.0.113.5"
    assert address("203.0.113.5") == "203.0.113.5"  # fewer hops than proxies: no 500


def get_groups(client, forwarded):
    return client.get(GROUPS, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=PROXY).status_code


def sign_in_fails(client, forwarded, n):
    for i in range(n):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{i}@example.org", "password": "wrong"},  # other accounts: the per-IP limit
            HTTP_X_FORWARDED_FOR=forwarded,
            REMOTE_ADDR=PROXY,
        )


def signs_in(client, member, forwarded) -> bool:
    client.post(
        "/accounts/login/",
        {"login": member.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR=PROXY,
    )
    ok = "_auth_user_id" in client.session
    client.logout()
    return ok


def test_direct_a_rotating_forwarded_header_does_not_escape_the_anonymous_throttle(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [get_groups(client, f"198.51.100.{n}") for n in range(ANON_LIMIT + 1)]
    assert statuses[:ANON_LIMIT] == [200] * ANON_LIMIT
    assert statuses[ANON_LIMIT] == 429


def test_direct_a_rotating_forwarded_header_does_not_escape_allauths_limit(client, ana, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(IP_LIMIT):
        sign_in_fails(client, f"198.51.100.{n}", 1)
    assert not signs_in(client, ana, "198.51.100.200")


def test_behind_a_proxy_visitors_are_throttled_separately(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(ANON_LIMIT):
        assert get_groups(client, "203.0.113.5") == 200
    assert get_groups(client, "203.0.113.5") == 429
    assert get_groups(client, "1.2.3.4, 203.0.113.5") == 429  # a spoofed hop to the left does not help
    assert get_groups(client, "198.51.100.7") == 200  # another visitor behind the same proxy


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_everyone(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ana, ben = MemberFactory(handle="ana"), MemberFactory(handle="ben")
    sign_in_fails(client, "203.0.113.5", IP_LIMIT)
    assert not signs_in(client, ana, "203.0.113.5")
    assert not signs_in(client, ana, "1.2.3.4, 203.0.113.5")  # a spoofed hop to the left does not help
    assert signs_in(client, ben, "198.51.100.7")


def test_behind_a_proxy_the_token_throttle_counts_per_visitor(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = False  # the DRF throttle alone (10/min)

    def ask(forwarded):
        body = {"username": "nobody", "password": "x"}
        return client.post("/api/v1/auth/token/", body, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=PROXY).status_code

    assert [ask("203.0.113.5") for _ in range(10)] == [400] * 10
    assert ask("9.9.9.9, 203.0.113.5") == 429
    assert ask("198.51.100.7") == 400
