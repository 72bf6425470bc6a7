"""Headers every response carries: a Content-Security-Policy without inline script for our pages
(looser for the tools we do not write), a Permissions-Policy, and COOP same-origin on the API docs."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from community.roles import Role
from tests.factories import MemberFactory


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.parametrize("path", ["/accounts/login/", "/members/ana/", "/forums/", "/healthz", "/api/v1/me/"])
def test_our_pages_allow_only_our_own_scripts_and_are_never_framed(client, ana, path):
    client.force_login(ana)
    policy = directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_the_api_docs_have_their_own_policy_still_without_inline_script_and_keep_coop(client, db):
    page = client.get("/api/docs/")
    policy = directives(page)
    assert policy["script-src"] == ["'self'"] and "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    # Swagger UI's start-up script is a file of its own, not inline
    scripts = re.findall(r"<script([^>]*)>", page.content.decode())
    assert scripts and all("src=" in attributes for attributes in scripts)
    start_up = client.get("/api/docs/?script=")
    assert start_up.status_code == 200 and start_up["Content-Type"].startswith("application/javascript")


def test_the_cms_has_its_own_policy_without_other_origins(client, db):
    manager = MemberFactory(role=Role.MANAGER)
    client.force_login(manager)
    policy = directives(client.get("/cms/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's date pickers
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail frames its own previews
    assert all("http" not in value for values in policy.values() for value in values)


@pytest.mark.parametrize("path", ["/accounts/login/", "/cms/login/", "/api/docs/", "/healthz"])
def test_every_response_turns_off_browser_features_nobody_uses(client, db, path):
    features = client.get(path)["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in features


def test_our_templates_hold_no_inline_script_style_or_handler():
    offending = []
    for template in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in [r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=", r"\son[a-z]+=", r"<style", r"javascript:"]:
            offending += [f"{template.name}: {match}" for match in re.findall(pattern, text)]
    assert offending == []
