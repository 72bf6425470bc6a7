"""Bad input gets a 4xx with a message, never a 500: NUL bytes, huge and negative numbers, very long
and invalid strings, arrays where one value is expected, deep JSON — through every list and search
endpoint of the API and every page, found from the URLconf and the OpenAPI schema, so that a new
endpoint is covered the day it is added. Runs on SQLite and PostgreSQL (where NUL breaks queries)."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from wagtail.models import Page

from community.bad_input import LARGEST_NUMBER, MAX_JSON_DEPTH, NUMBER_PARAMETERS
from community.roles import Role
from content.api import wagtail_api
from tests.factories import MemberFactory, SkillFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

# Each value as it travels in a URL (already percent-encoded): "%FF" is not UTF-8.
BAD_VALUES = {
    "nul": "%00",
    "nul-inside": quote("ab\x00cd"),
    "control": quote("\x01\x1b[31m"),
    "huge": str(2**63),
    "huger": "9" * 40,
    "negative": str(-(2**63) - 1),
    "minus-one": "-1",
    "long": "x" * 5000,
    "unicode": quote("Zürich 東京 🙂 \u202eevil"),
    "superscript-digit": quote("²"),
    "invalid-utf8": "%FF%FE",
    "quote-and-percent": quote("' OR 1=1 -- %"),
}
TEXT_PARAMETERS = ["q", "search", "skill", "organisation", "location", "role", "sort", "status", "type", "order"]
NUMBER_QUERY = sorted(NUMBER_PARAMETERS)
SKIPPED_PREFIXES = ("admin/", "cms/", "accounts/", "api/", "documents/", "media/", "static/")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _page_routes() -> list[str]:
    """Every HTML route of the URLconf, its parameters as `{name}`."""
    routes = set()
    for route in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith(("(", "((")):
            continue  # Wagtail's catch-all: the test visits the live pages instead
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        routes.add("/" + route)
    return sorted(routes)


def _api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI schema, with Wagtail's API v2 beside it."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(method.upper(), path) for path, item in schema["paths"].items() for method in item]
    for name in wagtail_api._endpoints:
        operations += [("GET", f"/api/v2/{name}/"), ("GET", f"/api/v2/{name}/{{id}}/")]
    return sorted(operations)


def _schema_parameters() -> dict[str, list[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [p["name"] for p in item.get("get", {}).get("parameters", []) if p["in"] == "query"]
        for path, item in schema["paths"].items()
    }


PAGE_ROUTES = _page_routes()
API_OPERATIONS = _api_operations()
API_GETS = [path for method, path in API_OPERATIONS if method == "GET"]
API_WRITES = [(method, path) for method, path in API_OPERATIONS if method in ("POST", "PUT", "PATCH")]
SCHEMA_PARAMETERS = _schema_parameters()


@pytest.fixture
def world():
    """A manager (who sees the most pages) in a group with a thread, so that every address has
    something real to find."""
    skill = SkillFactory(name="Facilitation")
    manager = MemberFactory(handle="maya", role=Role.MANAGER, skills=[skill])
    group = make_group(manager=manager, members=[manager])
    thread = make_thread(group=group, author=manager, kind="question")
    post = thread.posts.get()
    values = {
        "handle": manager.username,
        "slug": group.slug,
        "thread_id": thread.pk,
        "post_id": post.pk,
        "id": Page.objects.live().first().pk,
        "page_id": Page.objects.live().first().pk,
        "kind": "like",
        "answer": "accept",
        "action": "lock",
    }
    return manager, values


def _fill(route: str, values: dict, bad: tuple[str, str] | None = None) -> str:
    def value(match):
        name = match.group(1)
        if bad and name == bad[0]:
            return bad[1]
        return quote(str(values.get(name, 1)))

    return re.sub(r"\{(\w+)\}", value, route)


def _query(names, value: str) -> str:
    # The same name twice is how a query string says "an array where one value is expected".
    return "&".join(f"{name}={value}&{name}={value}" if i == 0 else f"{name}={value}" for i, name in enumerate(names))


def assert_answered(response, url: str):
    assert response.status_code < 500, f"{url[:300]} answered {response.status_code}"
    if response.status_code >= 400 and url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), (
            f"{url[:300]} answered {response['Content-Type']}"
        )
        assert response.content.strip(b"{}[] \n"), f"{url[:300]}: an error without a message"


def _get(client, url: str):
    path, _, query = url.partition("?")
    return client.get(path, QUERY_STRING=query)


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_every_page_answers_bad_input_with_less_than_a_500(client, world, route):
    manager, values = world
    client.force_login(manager)
    for label, bad in BAD_VALUES.items():
        base = _fill(route, values)
        for url in (f"{base}?{_query(TEXT_PARAMETERS, bad)}", f"{base}?{_query(NUMBER_QUERY, bad)}"):
            assert_answered(_get(client, url), url)
        for name in re.findall(r"\{(\w+)\}", route):
            url = _fill(route, values, bad=(name, bad))
            assert_answered(_get(client, url), url)


def test_every_live_page_answers_bad_input_with_less_than_a_500(client, world):
    manager, _ = world
    urls = [page.url for page in Page.objects.live().specific() if page.url]
    assert "/" in urls and len(urls) > 2
    for anonymous in (True, False):
        if not anonymous:
            client.force_login(manager)
        for base in urls:
            for bad in BAD_VALUES.values():
                for url in (f"{base}?{_query(TEXT_PARAMETERS, bad)}", f"{base}?{_query(NUMBER_QUERY, bad)}"):
                    assert_answered(_get(client, url), url)


@pytest.mark.parametrize("path", API_GETS)
def test_every_api_list_and_search_answers_bad_input_with_a_json_4xx_at_worst(world, path):
    manager, values = world
    api = APIClient()
    api.force_authenticate(manager)
    declared = SCHEMA_PARAMETERS.get(path, [])
    names = sorted({*declared, *TEXT_PARAMETERS, "limit", "offset", "page", "fields"})
    for bad in BAD_VALUES.values():
        base = _fill(path, values)
        for url in (f"{base}?{_query(names, bad)}", f"{base}?{_query(NUMBER_QUERY, bad)}"):
            assert_answered(_get(api, url), url)
        for name in re.findall(r"\{(\w+)\}", path):
            url = _fill(path, values, bad=(name, bad))
            assert_answered(_get(api, url), url)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("method,path", API_WRITES)
def test_every_api_write_answers_bad_bodies_with_a_json_4xx_at_worst(world, method, path):
    manager, values = world
    api = APIClient()
    api.force_authenticate(manager)
    url = _fill(path, values)
    fields = ["title", "body", "name", "text", "note", "message", "member", "skill", "kind", "reason", "handle"]
    fields += ["days", "level", "options", "reply_to", "poll", "role", "into", "first", "second", "headline"]
    bodies = [
        '{"body": ' + _nested(100_000) + "}",
        '{"body": ' + _nested(MAX_JSON_DEPTH + 5) + "}",
        '["title", 1, null]',
        "{" + ", ".join(f'"{field}": [["x"], {{"y": 1}}]' for field in fields) + "}",
        "{" + ", ".join(f'"{field}": "a\\u0000b"' for field in fields) + "}",
        "{" + ", ".join(f'"{field}": {2**64}' for field in fields) + "}",
        "{" + ", ".join(f'"{field}": -{2**64}' for field in fields) + "}",
        "{" + ", ".join(f'"{field}": "{"y" * 30_000}"' for field in fields) + "}",
    ]
    for body in bodies:
        response = api.generic(method, url, body, content_type="application/json")
        assert_answered(response, f"{method} {url} {body[:80]}")


# The findings of the review, each by name.


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members/?q=%00",
        "/api/v1/forums/search/?q=%00",
        "/api/v2/pages/?search=%00",
        "/resources/?q=%00",
        "/members/%00/",
        "/forums/search/?q=a%00b",
    ],
)
def test_a_nul_byte_is_a_400_that_says_why(client, world, url):
    client.force_login(world[0])
    response = _get(client, url)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_an_offset_beyond_any_number_is_a_400_not_a_bigint_overflow(client):
    response = client.get("/api/v2/pages/", {"offset": 2**63})
    assert response.status_code == 400
    assert response.json() == {"detail": f"“offset” must be a whole number (0–9) of at most {LARGEST_NUMBER:,}."}
    assert client.get("/api/v2/pages/", {"offset": 0}).status_code == 200


def test_deeply_nested_json_is_a_400_not_a_recursion_error(world):
    api = APIClient()
    api.force_authenticate(world[0])
    response = api.generic(
        "PATCH", "/api/v1/me/", '{"headline": ' + _nested(100_000) + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]
    assert api.patch("/api/v1/me/", {"headline": "Still here"}, format="json").status_code == 200


def test_a_media_name_too_long_for_the_file_system_is_a_404(client):
    response = Client().get("/media/documents/" + "a" * 5000)
    assert response.status_code == 404
