"""With the Content-Security-Policy on, every kind of page works in Chromium without one violation:
a member's profile, a thread with its live updates, Wagtail's page editor (signed in as a manager),
the API docs (Swagger UI) and the reports with their charts. Served by a real Daphne, as in production."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from community.roles import Role
from content.wagtail_groups import ensure_editor_permissions
from tests.e2e.browsers import WAIT_MS, member_browser, sign_in
from tests.factories import MemberFactory, make_group, make_thread
from tests.servers import daphne_server, database_url_for_subprocesses, in_clean_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before every page's own scripts: keeps each violation the browser reports.
COLLECT_VIOLATIONS = """
(() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
  });
})();
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Refused to")


@pytest.fixture
def site_tree(role_groups):
    ensure_editor_permissions()  # a transactional flush took the page tree and the editors' rights


def test_pages_the_live_thread_the_cms_editor_and_the_api_docs_run_under_the_policy(
    browser, site_tree, channel_prefix, server_password_hashing, tmp_path
):
    prefix, redis_url = channel_prefix

    def community():
        from wagtail.models import Page

        mia = MemberFactory(handle="mia", email="mia@example.org", display_name="Mia Lind", role=Role.MANAGER)
        ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
        group = make_group(manager=mia, members=[ana], visibility="public", name="Facilitators")
        thread = make_thread(group=group, author=ana, title="How do you welcome newcomers?", body="| a | b |\n|--:|:-:|\n| 1 | 2 |")
        return thread, Page.objects.filter(depth=2).first()

    thread, home = in_clean_thread(community)
    call_command("build_chart_bundle", stdout=io.StringIO())  # the reports' vega-embed, built, not committed
    database_url = database_url_for_subprocesses(tmp_path, application_name=prefix)
    messages = []

    with (
        daphne_server(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis_url) as server,
        member_browser(browser, server) as page,
    ):
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        violations = []

        def visit(path, ready):
            response = page.goto(path)
            assert "frame-ancestors" in response.headers["content-security-policy"], path
            expect(ready(page)).to_be_visible(timeout=WAIT_MS)
            page.wait_for_load_state("networkidle")
            violations.extend(f"{path}: {v}" for v in page.evaluate("() => window.__violations"))

        sign_in(page, "mia@example.org")
        visit("/members/ana/", lambda p: p.get_by_role("heading", name="Ana Costa", level=1))
        visit(thread.get_absolute_url(), lambda p: p.locator("body[data-live='on']"))
        visit("/cms/", lambda p: p.locator("#main"))
        visit(f"/cms/pages/{home.pk}/edit/", lambda p: p.locator("form#page-edit-form"))
        visit("/admin/", lambda p: p.locator("#site-name"))
        visit("/api/docs/", lambda p: p.locator(".swagger-ui .info .title"))
        visit("/metrics/", lambda p: p.locator("[data-chart-spec='growth-spec'] svg"))

    print("\n".join(messages))
    assert violations == []
    assert [m for m in messages if any(word in m for word in POLICY_WORDS)] == []
