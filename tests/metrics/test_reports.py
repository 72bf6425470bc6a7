"""The reports: who may read them, the dashboard, metric pages, CSV and the API, and their queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from community.roles import Role
from metrics import rollups, services
from metrics.models import BusinessNeed
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

READERS = [Role.SPONSOR, Role.MANAGER, Role.ADMINISTRATOR]
NOT_READERS = [Role.MEMBER, Role.MODERATOR]
PAGES = ["/metrics/", "/metrics/threads/", "/metrics/threads.csv", "/api/v1/metrics/", "/api/v1/metrics/threads/"]
# The PDF is tried for every role in test_the_pdf_is_for_readers_only and below (it takes seconds).


@pytest.fixture
def reports():
    """A small community with threads and gives, rolled up, with the default business needs."""
    group = make_group(name="Onboarding")
    make_thread(group=group, title="How do you welcome newcomers?")
    make_thread(group=group, title="What do you measure first?", kind="question")
    two_days_ago()
    services.ensure_default_needs()
    services.ensure_value_model()
    rollups.rollup_metrics(rebuild=True)
    return group


def two_days_ago():
    """Reports end yesterday: date what was just written two days back."""
    from forums.models import Post, Thread
    from members.models import Member

    moment = timezone.now() - timedelta(days=2)
    Member.objects.filter(date_joined__gt=moment).update(date_joined=moment - timedelta(hours=1))
    Thread.objects.update(created=moment)
    Post.objects.update(created=moment)


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url", PAGES)
def test_sponsors_managers_and_administrators_read_every_report(client, reports, role, url):
    client.force_login(MemberFactory(role=role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", NOT_READERS)
@pytest.mark.parametrize("url", PAGES)
def test_members_and_moderators_are_refused(client, reports, role, url):
    client.force_login(MemberFactory(role=role))
    response = client.get(url)
    assert response.status_code == 403
    assert b"executive sponsors" in response.content


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_sign_in_or_refused(client, reports, url):
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_header_links_the_reports_for_readers_only(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    assert b'href="/metrics/"' in client.get("/forums/").content
    client.force_login(MemberFactory())
    assert b'href="/metrics/"' not in client.get("/forums/").content


def test_the_dashboard_groups_figures_under_business_needs(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client.get(f"/metrics/?period=custom&start={yesterday - timedelta(days=6)}&end={yesterday}").content.decode()
    assert "Reduce support cost" in page and "Faster product feedback" in page
    assert "Value delivered" in page and "EUR 25.00" in page  # the assumption beside the figure
    assert "Retention by join week" in page
    assert "leading" in page and "lagging" in page
    threads_row = page.split('href="/metrics/threads/')[1].split("</tr>")[0]
    assert "<td>2</td>" in threads_row  # two threads this week, none the week before
    assert "<td>0</td>" in threads_row


def test_a_manager_renames_a_need_and_the_dashboard_follows(client, reports):
    BusinessNeed.objects.filter(name="Reduce support cost").update(name="Deflect tickets", metrics=["questions"])
    client.force_login(MemberFactory(role=Role.MANAGER))
    page = client.get("/metrics/").content.decode()
    assert "Deflect tickets" in page and "Reduce support cost" not in page


def test_the_metric_page_says_what_it_means(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    page = client.get("/metrics/time_to_first_reply/").content.decode()
    assert "The median time a question waited for its first reply" in page
    assert "median(first reply − asked)" in page
    assert "not an average of daily medians" in page
    assert "Reduce support cost" in page
    assert "By forum group" in page


def test_the_breakdown_by_group(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    today = timezone.localdate()
    page = client.get(f"/metrics/threads/?period=custom&start={today - timedelta(days=3)}&end={today - timedelta(days=1)}")
    page = page.content
    assert b"<th scope=\"row\">Onboarding</th><td>2</td>" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("period=forever", "is not a period here"),
        ("period=custom&start=2026-02-30&end=2026-03-01", "YYYY-MM-DD"),
        ("period=custom&start=2026-03-02&end=2026-03-01", "start comes after its end"),
        ("period=custom&start=2020-01-01&end=2026-01-01", "three years"),
        ("granularity=hour", "“day” or “week”"),
    ],
)
def test_bad_periods_get_a_400_that_says_why(client, reports, query, message):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    for url in ("/metrics/threads/", "/metrics/threads.csv", "/api/v1/metrics/threads/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert message in response.content.decode(), url


def test_a_period_ending_today_is_refused(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    today = timezone.localdate()
    response = client.get(f"/metrics/?period=custom&start={today - timedelta(days=3)}&end={today}")
    assert response.status_code == 400


def test_the_csv_parses_and_matches_the_api_series(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    query = "period=last30&granularity=week"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/metrics/replies_per_thread.csv?{query}").content.decode())))
    api = client.get(f"/api/v1/metrics/replies_per_thread/?{query}").json()
    assert [(row["start"], row["end"]) for row in rows] == [(p["start"], p["end"]) for p in api["series"]]
    assert [float(row["replies_per_thread"]) if row["replies_per_thread"] else None for row in rows] == [
        p["value"] for p in api["series"]
    ]
    assert len(rows) == 5  # 30 days: four weeks and two days


def test_the_api_lists_the_catalogue_with_definitions(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    catalogue = {metric["key"]: metric for metric in client.get("/api/v1/metrics/").json()}
    assert len(catalogue) == 46
    assert catalogue["two_way_pairs"]["indicator"] == "leading"
    assert catalogue["value_total"]["unit"] == "money"


def test_the_api_series_has_the_previous_period(client, reports):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    today = timezone.localdate()
    start = today - timedelta(days=2)
    data = client.get(f"/api/v1/metrics/threads/?period=custom&start={start}&end={today - timedelta(days=1)}").json()
    assert data["period"] == {"start": str(start), "end": str(today - timedelta(days=1))}
    assert data["previous_period"]["end"] == str(start - timedelta(days=1))
    assert len(data["series"]) == 2


def test_the_schema_documents_the_metrics_api(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/metrics/" in schema["paths"] and "/api/v1/metrics/{key}/" in schema["paths"]


def test_the_dashboard_reads_a_constant_number_of_queries(client, reports, django_assert_num_queries):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    client.get("/metrics/")  # the value model and permissions cached as on any later request
    # session, member, permissions (2), value model, its beta groups, needs, rollup rows, cohort rows,
    # and through metrics.registry the plans' period (the current plan) and section (no plan: none)
    with django_assert_num_queries(11):
        assert client.get("/metrics/?period=last90").status_code == 200
    make_thread(group=reports, title="A third thread to count")
    two_days_ago()
    rollups.rollup_metrics()
    with django_assert_num_queries(11):
        assert client.get("/metrics/?period=last90&staff=1").status_code == 200


def test_a_metric_page_reads_a_constant_number_of_queries(client, reports, django_assert_num_queries):
    client.force_login(MemberFactory(role=Role.SPONSOR))
    # session, member, permissions (2), value model, its beta groups, rollup rows, group names, needs,
    # and the plans' period among the choices (metrics.registry)
    with django_assert_num_queries(10):
        assert client.get("/metrics/threads/").status_code == 200
    with django_assert_num_queries(9):  # no breakdown: no group names
        assert client.get("/metrics/gives/?granularity=week").status_code == 200


def test_managers_set_needs_and_the_value_model_in_the_cms(client, reports):
    from metrics.models import ValueModel

    client.force_login(MemberFactory(role=Role.MANAGER))
    need = BusinessNeed.objects.get(name="Reduce support cost")
    edit = f"/cms/snippets/metrics/businessneed/edit/{need.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "Deflect tickets", "description": "", "metrics": ["questions", "gives"],
                                  "position": 0})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.name, need.metrics) == ("Deflect tickets", ["questions", "gives"])
    settings_url = f"/cms/settings/metrics/valuemodel/{ValueModel.load().pk}/"
    assert client.get(settings_url).status_code == 200
    response = client.post(settings_url, {"currency": "USD", "accepted_answer": "30", "accepted_introduction": "40",
                                          "approved_recommendation": "30", "beta_contribution": "15",
                                          "beta_groups": [reports.pk]})
    assert response.status_code == 302
    assert ValueModel.load().currency == "USD"
    client.force_login(MemberFactory(role=Role.SPONSOR))
    assert "USD 30.00" in client.get("/metrics/").content.decode()


def test_the_pdf_report_has_the_headline_numbers(client, reports):
    import shutil
    import subprocess

    from tests.conftest import missing

    if not shutil.which("pdftotext"):
        missing("pdftotext (apt-get install poppler-utils)")
    client.force_login(MemberFactory(role=Role.SPONSOR))
    response = client.get("/metrics/report.pdf?period=last30")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert 2 <= int(pages.split("Pages:")[1].split()[0]) <= 4
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Is the community worth it?" in text
    assert "Value delivered: EUR 0" in text
    assert "Threads started" in text and "Definitions" in text
    active = [line for line in text.splitlines() if "Active members" in line]
    assert active, text[:2000]


def test_the_pdf_is_for_readers_only(client, reports):
    client.force_login(MemberFactory())
    assert client.get("/metrics/report.pdf").status_code == 403
    client.logout()
    assert client.get("/metrics/report.pdf").status_code == 302
