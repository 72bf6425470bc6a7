#!/usr/bin/env python
"""Content benchmark: the home page, article, digest and guest-post pages, the article index and the
site search with 10,000 Wagtail pages on PostgreSQL.

    .venv/bin/python bench/content.py                  # generate once, then measure (member + anonymous)
    .venv/bin/python bench/content.py --requests 100   # fewer timed requests a case
    .venv/bin/python bench/content.py --reset          # drop the content bench database and rebuild it

Its own database (default postgres://postgres@127.0.0.1:5432/mutua_bench_content; --database-url or
BENCH_CONTENT_DATABASE_URL; an ambient DATABASE_URL is ignored) with --members bench members from
bench/dataset.py (as bench/directory.py makes them), forum groups, threads and posts written through
forums.services, a few Wagtail images made with Pillow (files under bench/results/media_content/), and
--pages content pages: ArticlePages under /articles/, a few hundred DigestPages quoting forum posts and
some GuestPostPages. About --through-wagtail of them are published through Wagtail's own API
(add_child, save_revision().publish(), the guest-post workflow), so the page_published handler credits
authors and opens their discussion threads; the rest are written in bulk (bench-only exception, see
bench/README.md) and checked to render exactly as Wagtail publishing renders them. Generated once and
reused (marker table bench_content); --reset rebuilds.

Measured as an ordinary signed-in member and anonymously (test Client in-process, as
bench/directory.py's `measure`): /, article pages (with and without hero image; real and bulk pages,
queries must agree), a digest, a guest post, /articles/ page 1 and its last page, /search/?q=...
Goal: home and article median under 30 ms with constant queries. Results: bench/results/content.json.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import shutil
import sys
import time
from argparse import Namespace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory import (  # noqa: E402  the same database handling, settings and measuring
    RESULTS_DIR,
    ROOT,
    Case,
    _safe_url,
    configure_environment,
    drop_database,
    ensure_database,
    environment_facts,
    measure,
    prepare_data,
    summary,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench_content"
MEDIA_DIR = RESULTS_DIR / "media_content"
GOAL_MEDIAN_MS = 30.0
GOAL_CASES = {"home", "article_hero", "article_plain"}

# Bump when the generator changes what it makes: content of another version is rebuilt.
CONTENT_VERSION = 1
MARKER_TABLE = "bench_content"
SEED = 20260404
SPAN = timedelta(days=3 * 365)
IMAGES = 6
DIGESTS, GUEST_POSTS = 300, 200  # of --pages; the rest are articles
REAL_SHARE = {"article": 150, "digest": 40, "guest": 20}  # scaled by --through-wagtail / 210
SCHEDULED = 3  # articles scheduled to go live in a few days (the home page's "Coming up")
FORUM_GROUPS = [
    ("Community building", "public", "open"), ("Events and meetups", "public", "open"),
    ("Metrics and reporting", "members", "open"), ("Onboarding newcomers", "public", "open"),
    ("Moderation practice", "members", "open"), ("Managers' lounge", "private", "invite"),
]  # fmt: skip
FORUM_THREADS = 120
SEARCH_WORDS = ["mentoring", "onboarding", "community"]
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000, help="bench members (default 5000)")
    parser.add_argument("--pages", type=int, default=10_000, help="content pages (default 10000)")
    parser.add_argument(
        "--through-wagtail", type=int, default=210, help="pages published through Wagtail's API (default 210)"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per case first (default 20)")
    parser.add_argument("--only", nargs="*", metavar="CASE", help="run only these cases (e.g. home article_hero)")
    parser.add_argument("--viewers", nargs="*", choices=["member", "anonymous"], default=["member", "anonymous"])
    parser.add_argument("--reset", action="store_true", help="drop the database and rebuild everything")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_CONTENT_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="bench database (default $BENCH_CONTENT_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "content.json", help="results JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    if args.pages < DIGESTS + GUEST_POSTS + 1000 or args.members < 1000 or args.through_wagtail < 20:
        parser.error("need --pages >= 1500, --members >= 1000 and --through-wagtail >= 20")
    return args


# --- marker ---------------------------------------------------------------------------------------------


def content_present(args, members_marker: dict) -> tuple[bool, str]:
    import dataset

    from content.models import ArticlePage, DigestPage, GuestPostPage

    marker = dataset.read_marker(MARKER_TABLE)
    if marker is None:
        return False, "no content yet"
    expected = {
        "version": CONTENT_VERSION,
        "pages": args.pages,
        "through_wagtail": args.through_wagtail,
        "members_generated_at": members_marker.get("generated_at"),
    }
    differing = {k: (marker.get(k), v) for k, v in expected.items() if marker.get(k) != v}
    if differing:
        return False, f"the content there differs: {differing}"
    have = sum(m.objects.filter(live=True).count() for m in (ArticlePage, DigestPage, GuestPostPage))
    if have != args.pages:
        return False, f"{have} live content pages, not {args.pages}"
    if not all((MEDIA_DIR / path).exists() for path in marker["image_files"]):
        return False, "the image files are missing"
    return True, ""


# --- drawing content ------------------------------------------------------------------------------------


class Writer:
    """Titles, summaries, rich text and Markdown from the bench vocabulary (deterministic)."""

    def __init__(self, rng: random.Random):
        import vocabulary as v

        self.rng, self.v = rng, v

    def sentence(self) -> str:
        r, v = self.rng, self.v
        skill, skill2 = r.sample(v.SKILLS, 2)
        thing, outcome, audience = r.choice(v.THINGS), r.choice(v.OUTCOMES), r.choice(v.AUDIENCES)
        adjective = r.choice(v.ADJECTIVES)
        return r.choice(
            [
                f"We tried {skill} for {thing} and the community became {adjective}.",
                f"Mentoring {audience} taught us more about {outcome} than any report.",
                f"The hardest part of onboarding was not {skill} but earning the trust of {audience}.",
                f"Start small: one group, one problem ({thing}), and measure {outcome} after a month.",
                f"Members who combine {skill} and {skill2} answer newcomers twice as fast.",
                f"Our community managers now review {thing} every week, and it shows.",
                "A good thank-you names what the help made possible, not just the helper.",
                f"When {audience} see their questions answered within a day, they come back.",
            ]
        )

    def title(self, kind: str, n: int) -> str:
        r, v = self.rng, self.v
        thing, skill, audience = r.choice(v.THINGS), r.choice(v.SKILLS), r.choice(v.AUDIENCES)
        if kind == "digest":
            options = [f"What the community learned about {thing}", f"Insights: {skill} for {audience}"]
        elif kind == "guest":
            options = [f"How I brought {skill} to {audience}", f"A year of {thing}: my notes"]
        else:
            options = [
                f"Mentoring {audience} through {thing}", f"{skill} in community onboarding",
                f"Making {thing} {r.choice(v.ADJECTIVES)}", f"Three lessons about {thing}",
                f"Why {audience} stay: {skill} and belonging",
            ]  # fmt: skip
        return f"{r.choice(options)} #{n}"[:250]

    def paragraph(self) -> str:
        r = self.rng
        text = " ".join(self.sentence() for _ in range(r.randint(2, 5)))
        x = r.random()
        if x < 0.25:
            words = text.split(" ")
            i = r.randrange(len(words) - 3)
            words[i : i + 2] = [f"<b>{words[i]} {words[i + 1]}</b>"]
            text = " ".join(words)
        elif x < 0.4:
            text += ' More in <a href="https://example.org/guides/community">our guide</a>.'
        if r.random() < 0.1:
            return f"<h3>{self.sentence()[:60]}</h3><p>{text}</p>"
        if r.random() < 0.1:
            return f"<p>{text}</p><ul><li>{self.sentence()}</li><li>{self.sentence()}</li></ul>"
        return f"<p>{text}</p>"

    def markdown(self, words: int = 120) -> str:
        parts = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(" ".join(self.sentence() for _ in range(self.rng.randint(2, 4))))
        parts.append("**The lesson:** " + self.sentence())
        return "\n\n".join(parts)


def draw_specs(args, rng: random.Random, writer: Writer, members: list, images: list, threads: list, posts: list):
    """Every page to create, as plain data: kind, title, dates, fields and relations."""
    from django.utils.text import slugify

    now = datetime.now(UTC)
    n_articles = args.pages - DIGESTS - GUEST_POSTS
    kinds = ["article"] * n_articles + ["digest"] * DIGESTS + ["guest"] * GUEST_POSTS
    specs = []
    tag_names = sorted({s.lower() for s in writer.v.INTERESTS} | {"onboarding", "retention", "metrics", "events"})
    quotable = [p for p in posts if p.thread.group.visibility != "private"]
    for n, kind in enumerate(kinds, start=1):
        title = writer.title(kind, n)
        spec = {
            "kind": kind,
            "title": title,
            "slug": f"{slugify(title)[:60]}-{n}",
            "summary": writer.sentence()[:300],
            "published": now - timedelta(seconds=3600 + rng.random() * SPAN.total_seconds()),
        }
        if kind == "article":
            body = [("paragraph", writer.paragraph()) for _ in range(rng.randint(2, 3))]
            body.append(("quote", {"quote": writer.sentence(), "attribution": rng.choice(members).name}))
            body += [("paragraph", writer.paragraph()) for _ in range(rng.randint(2, 4))]
            shape = "standard"
            if rng.random() < 0.12:
                body.insert(2, ("image", {"image": rng.choice(images), "caption": writer.sentence()[:200],
                                          "alt_text": "A group of members at a meetup"}))  # fmt: skip
                shape = "with_image_block"
            elif rng.random() < 0.08:
                body.append(("thread", {"thread_id": rng.choice(threads).pk}))
                shape = "with_thread_embed"
            embedded = rng.choice(members)
            body.append(("member", {"handle": embedded.username, "note": "Ask them how they did it."}))
            hero = rng.choice(images) if rng.random() < 0.4 else None
            spec.update(
                body=body,
                shape=shape,
                authors=rng.sample(members, 2),
                tags=rng.sample(tag_names, rng.randint(2, 4)),
                featured=rng.random() < 0.03,
                hero=hero,
                hero_alt="Members talking at a community meetup" if hero else "",
            )
        elif kind == "digest":
            spec.update(
                intro=f"<p>{writer.sentence()}</p>",
                posts=rng.sample(quotable, rng.randint(3, 5)),
                commentary=[writer.sentence() for _ in range(5)],
            )
        else:
            spec.update(
                author=members[n % len(members)],
                body=writer.markdown(rng.randint(80, 400)),
                bio=f"{writer.sentence()} {writer.sentence()}"[:1000],
                website="https://example.org/" + slugify(title)[:30],
            )
        specs.append(spec)
    return specs


# --- generating -----------------------------------------------------------------------------------------


def make_images(owner, rng: random.Random) -> list:
    """A few hero images drawn with Pillow (gradients and circles), stored as Wagtail images."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Image = get_image_model()
    collection = Collection.get_first_root_node()
    images = []
    for i in range(IMAGES):
        width, height = 1600, 900
        base = [rng.randrange(40, 200) for _ in range(3)]
        picture = PILImage.new("RGB", (width, height))
        draw = ImageDraw.Draw(picture)
        for y in range(0, height, 4):
            shade = tuple(min(255, c + y * 55 // height) for c in base)
            draw.rectangle([0, y, width, y + 4], fill=shade)
        for _ in range(12):
            x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(30, 160)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        image = Image(title=f"Bench hero {i + 1}", collection=collection, uploaded_by_user=owner)
        image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"bench-hero-{i + 1}.png")
        image.save()
        images.append(image)
    return images


def make_forums(managers, members, rng: random.Random, writer: Writer):
    """Groups, threads and replies through forums.services (a few hundred posts: quotable in digests)."""
    from forums import services as forums
    from forums.models import Post

    groups = []
    for name, visibility, policy in FORUM_GROUPS:
        group = forums.create_group(
            actor=managers[0], name=name, description=f"{name}: how members do it.", visibility=visibility,
            policy=policy,
        )  # fmt: skip
        groups.append(group)
    open_groups = [g for g in groups if g.policy == "open"]
    joined: dict[int, list] = {g.pk: [managers[0]] for g in groups}
    forums.join_group(member=managers[1], group=open_groups[0])
    joined[open_groups[0].pk].append(managers[1])
    for member in members[:400]:
        for group in rng.sample(open_groups, rng.randint(1, 2)):
            forums.join_group(member=member, group=group)
            joined[group.pk].append(member)
    posted: dict[int, int] = {}  # posts per member (the NEW trust level allows 10 an hour)

    def author_in(group):
        while True:
            candidate = rng.choice(joined[group.pk])
            if posted.get(candidate.pk, 0) < 8 or candidate in managers:
                posted[candidate.pk] = posted.get(candidate.pk, 0) + 1
                return candidate

    threads = []
    for i in range(FORUM_THREADS):
        group = groups[-1] if i % 20 == 19 else open_groups[i % len(open_groups)]
        kind = "question" if i % 4 == 0 else "discussion"
        thread = forums.start_thread(
            author=author_in(group), group=group, title=writer.title("article", 10_000_000 + i)[:150],
            body=writer.markdown(rng.randint(30, 90)), kind=kind,
        )  # fmt: skip
        for _ in range(rng.randint(2, 6)):
            forums.reply(author=author_in(group), thread=thread, body=writer.markdown(rng.randint(20, 80)))
        threads.append(thread)
    posts = list(
        Post.objects.filter(status="visible", number__gt=1).select_related("thread__group", "author").order_by("pk")
    )
    return groups, threads, posts


def _article(spec, owner):
    from content.models import ArticlePage

    return ArticlePage(
        title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"],
        featured=spec["featured"], hero_image=spec["hero"], hero_alt=spec["hero_alt"], owner=owner,
    )  # fmt: skip


def _quotes(spec):
    from content.models import DigestQuote

    # As content.services.start_digest builds them (non-private posts only: no consent is pending).
    return [
        DigestQuote(
            post=post, author=post.author, html=post.html, source_title=post.thread.title,
            source_url=post.get_absolute_url(), needs_consent=post.thread.group.visibility == "private",
            sort_order=order, commentary=spec["commentary"][order],
        )
        for order, post in enumerate(spec["posts"])
    ]  # fmt: skip


def publish_through_wagtail(specs, managers, log) -> dict:
    """The real path, as a manager in /cms/ (and content.demo) does it."""
    from content import services
    from content.models import ArticleIndexPage

    index = ArticleIndexPage.objects.get()
    ids: dict[str, list[int]] = {"article": [], "digest": [], "guest": []}
    started = time.perf_counter()
    for i, spec in enumerate(specs):
        manager = managers[i % len(managers)]
        if spec["kind"] == "article":
            page = _article(spec, manager)
            page.first_published_at = spec["published"]  # an import's date; publish() keeps it
            index.add_child(instance=page)
            page.authors.set(spec["authors"])
            page.tags.add(*spec["tags"])
            page.save_revision(user=manager).publish(user=manager)
        elif spec["kind"] == "digest":
            page = services.start_digest(manager=manager, title=spec["title"], posts=spec["posts"])
            quotes = list(page.quotes.all())  # the manager adds commentary in /cms/
            for quote, commentary in zip(quotes, spec["commentary"], strict=False):
                quote.commentary = commentary
            page.quotes = quotes
            page.summary, page.intro = spec["summary"], spec["intro"]
            page.first_published_at = spec["published"]
            page.save_revision(user=manager).publish(user=manager)
        else:
            page = services.submit_guest_post(
                member=spec["author"], title=spec["title"], summary=spec["summary"], body=spec["body"],
                bio=spec["bio"], website=spec["website"],
            )  # fmt: skip
            page.current_workflow_state.current_task_state.approve(user=manager)  # the review, as in /cms/
        spec["page_id"] = page.pk
        ids[spec["kind"]].append(page.pk)
        if (i + 1) % 50 == 0:
            log(f"  {i + 1} pages published through Wagtail ({time.perf_counter() - started:.0f} s)")
    return ids


def schedule_articles(specs, manager) -> list[int]:
    from django.utils import timezone

    from content.models import ArticleIndexPage

    index = ArticleIndexPage.objects.get()
    ids = []
    for n, spec in enumerate(specs):
        page = _article(spec, manager)
        page.live = False  # a new draft, as the admin creates it
        index.add_child(instance=page)
        page.go_live_at = timezone.now() + timedelta(days=3 + n)
        page.save_revision(user=manager, approved_go_live_at=page.go_live_at).publish(user=manager)
        ids.append(page.pk)
    return ids


def _prepared_row(obj, fields, connection) -> list:
    return [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]


def bulk_publish(specs, managers, log) -> dict:
    """BENCH-ONLY EXCEPTION: the pages Wagtail would have written on publish, written in bulk.

    Per page, exactly what add_child + save_revision().publish() + content.services.page_went_live leave
    behind for rendering: the wagtailcore_page row (treebeard path after the parent's last child, depth,
    url_path, draft_title, locale, live, first/last_published_at), the specific row (every field prepared
    by its own Django field, as bulk_create would), the authors, tags or quotes, a Revision holding
    serializable_data() set as latest and live revision, and the discussion thread that page_went_live
    opens (Thread + first Post in "Articles and digests", body rendered by forums.services, group and
    participant counters). Not written: credit gives, PageLogEntry rows and the reference index (nothing
    rendered reads them). verify_bulk() republishes a sample through Wagtail and compares."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from psycopg2.extras import execute_values
    from taggit.models import Tag
    from wagtail.models import Page, Revision

    from content import services
    from content.models import (
        ArticleIndexPage,
        ArticlePage,
        ArticleTag,
        DigestIndexPage,
        DigestPage,
        GuestPostIndexPage,
        GuestPostPage,
    )
    from forums.models import Group, Participant, Post, Thread
    from forums.services.posting import render_body

    timings = {}
    parents = {"article": ArticleIndexPage.objects.get(), "digest": DigestIndexPage.objects.get(),
               "guest": GuestPostIndexPage.objects.get()}  # fmt: skip
    models = {"article": ArticlePage, "digest": DigestPage, "guest": GuestPostPage}
    discussion_group = Group.objects.get(name=services.DISCUSSION_GROUP)
    page_ct = ContentType.objects.get_for_model(Page)
    ids: dict[str, list[int]] = {"article": [], "digest": [], "guest": []}

    with transaction.atomic():
        t = time.perf_counter()
        # Tags (taggit makes the slug on save) and the pages, built as Wagtail would save them.
        tags = {tag.name: tag for tag in Tag.objects.all()}
        for name in sorted({name for s in specs if s["kind"] == "article" for name in s["tags"]} - set(tags)):
            tag = Tag(name=name)
            tag.save()
            tags[name] = tag
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('wagtailcore_page_id_seq') FROM generate_series(1, %s)", [len(specs)])
            page_ids = [row[0] for row in cursor.fetchall()]
        pages = []
        by_kind: dict[str, list] = {"article": [], "digest": [], "guest": []}
        for spec, pk in zip(specs, page_ids, strict=True):
            owner = managers[pk % len(managers)]
            kind = spec["kind"]
            if kind == "article":
                page = _article(spec, owner)
            elif kind == "digest":
                page = DigestPage(title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                                  intro=spec["intro"], owner=owner, quotes=_quotes(spec))  # fmt: skip
            else:
                page = GuestPostPage(
                    title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"],
                    author=spec["author"], author_bio=spec["bio"], author_website=spec["website"],
                    owner=spec["author"],
                )  # fmt: skip
            page.pk = page.id = pk
            page.content_type = ContentType.objects.get_for_model(models[kind])
            page.draft_title = page.title
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = spec["published"]
            page.latest_revision_created_at = spec["published"]
            if kind == "article":
                page.authors.set(spec["authors"])  # in memory (modelcluster), for serializable_data
                page.tags.set([tags[name] for name in spec["tags"]])
            spec["page_id"] = pk
            spec["publisher"] = owner if kind != "guest" else managers[pk % len(managers)]
            pages.append(page)
            by_kind[kind].append((spec, page))
            ids[kind].append(pk)
        for kind, rows in by_kind.items():
            parent = Page.objects.get(pk=parents[kind].pk)
            last = parent.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) if last else 0
            for k, (_, page) in enumerate(rows, start=1):
                page.depth = parent.depth + 1
                page.path = Page._get_path(parent.path, page.depth, step + k)
                page.numchild = 0
                page.url_path = f"{parent.url_path}{page.slug}/"
                page.locale_id = parent.locale_id
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(rows))
        timings["build_pages"] = time.perf_counter() - t

        # The discussions page_went_live opens (forums.services.start_thread by the publisher).
        t = time.perf_counter()
        site_prefix = {kind: parents[kind].url_path.removeprefix("/home") for kind in parents}
        threads, bodies = [], []
        for spec, page in ((s, p) for rows in by_kind.values() for s, p in rows):
            url = f"{site_prefix[spec['kind']]}{page.slug}/"
            summary = page.summary or page.title
            bodies.append(f"{summary}\n\nRead it here: [{page.title}]({url}). What did you take from it?")
            at = spec["published"]
            threads.append(Thread(group=discussion_group, author=spec["publisher"], title=f"Discuss: {page.title}"[:160],
                                  kind="discussion", last_poster=spec["publisher"], post_count=1, created=at,
                                  last_activity_at=at, awaits_author=False))  # fmt: skip
        Thread.objects.bulk_create(threads, batch_size=2000)
        Post.objects.bulk_create(
            [Post(thread=thread, author=thread.author, number=1, body=body, html=render_body(body).html,
                  status="visible", created=thread.created) for thread, body in zip(threads, bodies, strict=True)],
            batch_size=2000,
        )  # fmt: skip
        for thread, page in zip(threads, (p for rows in by_kind.values() for _, p in rows), strict=True):
            page.discussion_id = thread.pk
        latest = max(t.created for t in threads)
        Group.objects.filter(pk=discussion_group.pk).update(
            thread_count=F("thread_count") + len(threads), post_count=F("post_count") + len(threads)
        )
        Group.objects.filter(pk=discussion_group.pk, last_activity_at__lt=latest).update(last_activity_at=latest)
        for manager in managers:
            n = sum(1 for th in threads if th.author_id == manager.pk)
            Participant.objects.filter(member=manager).update(post_count=F("post_count") + n)
        timings["discussions"] = time.perf_counter() - t

        # Rows: wagtailcore_page, then each specific table (fields prepared by Django's own fields).
        t = time.perf_counter()
        page_fields = [f for f in Page._meta.local_concrete_fields]
        with connection.cursor() as cursor:
            columns = ", ".join(connection.ops.quote_name(f.column) for f in page_fields)
            execute_values(cursor, f"INSERT INTO wagtailcore_page ({columns}) VALUES %s",
                           [_prepared_row(p, page_fields, connection) for p in pages], page_size=1000)  # fmt: skip
            for kind, model in models.items():
                fields = list(model._meta.local_concrete_fields)
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                rows = [_prepared_row(p, fields, connection) for _, p in by_kind[kind]]
                if rows:
                    execute_values(cursor, f"INSERT INTO {model._meta.db_table} ({columns}) VALUES %s", rows,
                                   page_size=1000)  # fmt: skip
        through = ArticlePage.authors.through
        through.objects.bulk_create(
            [through(articlepage_id=s["page_id"], member_id=m.pk) for s, _ in by_kind["article"] for m in s["authors"]],
            batch_size=5000,
        )
        ArticleTag.objects.bulk_create(
            [ArticleTag(content_object_id=s["page_id"], tag=tags[n]) for s, _ in by_kind["article"] for n in s["tags"]],
            batch_size=5000,
        )
        quotes = []
        for _, page in by_kind["digest"]:
            for quote in page.quotes.all():
                quote.page_id = page.pk
                quotes.append(quote)
        type(quotes[0]).objects.bulk_create(quotes, batch_size=2000)
        timings["insert_pages"] = time.perf_counter() - t

        # One revision per page, as save_revision() stores it, set as latest and live revision.
        t = time.perf_counter()
        for lo in range(0, len(pages), 500):
            chunk = pages[lo : lo + 500]
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        content_type=p.content_type,
                        base_content_type=page_ct,
                        object_id=str(p.pk),
                        created_at=p.first_published_at,
                        user=p.owner if p.owner_id else None,
                        object_str=p.title,
                        content=p.serializable_data(),
                    )
                    for p in chunk
                ]  # fmt: skip
            )
            with connection.cursor() as cursor:
                execute_values(
                    cursor,
                    "UPDATE wagtailcore_page AS p SET latest_revision_id = v.r, live_revision_id = v.r "
                    "FROM (VALUES %s) AS v (id, r) WHERE p.id = v.id",
                    [(p.pk, r.pk) for p, r in zip(chunk, revisions, strict=True)],
                )
        timings["revisions"] = time.perf_counter() - t
        log(f"  {len(pages):,} pages written in bulk ({sum(timings.values()):.0f} s)")
    return {"ids": ids, "timings": timings}


def build_search_index(log) -> float:
    """What the search index tasks would do for every content page (and the images), in chunks."""
    from modelsearch.backends import get_search_backend
    from wagtail.images import get_image_model

    from content.models import ArticlePage, DigestPage, GuestPostPage

    t = time.perf_counter()
    backend = get_search_backend()
    for model in (ArticlePage, DigestPage, GuestPostPage, get_image_model()):
        index = backend.get_index_for_model(model)
        objects = model.get_indexed_objects().order_by("pk")
        pks = list(objects.values_list("pk", flat=True))
        for lo in range(0, len(pks), 1000):
            index.add_items(model, list(objects.filter(pk__in=pks[lo : lo + 1000])))
    log(f"  search index built ({time.perf_counter() - t:.0f} s)")
    return time.perf_counter() - t


def generate_content(args, log=print) -> dict:
    import dataset
    from django.db import connection

    from community.roles import Role
    from members.models import Member
    from members.services import set_role

    timings: dict[str, float] = {}
    started = time.perf_counter()
    rng = random.Random(SEED)
    writer = Writer(rng)
    members = list(
        Member.objects.filter(is_active=True, email__endswith="@" + dataset.BENCH_DOMAIN)
        .exclude(username=dataset.VIEWER_HANDLE)
        .order_by("pk")
    )
    managers = []
    for member in members[-2:]:  # two bench members become community managers: the publishers
        managers.append(set_role(actor=None, member=member, role=Role.MANAGER))
    members = members[:-2]
    rng.shuffle(members)

    t = time.perf_counter()
    if MEDIA_DIR.exists():
        shutil.rmtree(MEDIA_DIR)
    images = make_images(managers[0], rng)
    timings["images"] = time.perf_counter() - t

    t = time.perf_counter()
    groups, threads, posts = make_forums(managers, members, rng, writer)
    timings["forums"] = time.perf_counter() - t
    log(f"  {len(groups)} groups, {len(threads)} threads, {len(posts)} quotable posts ({timings['forums']:.0f} s)")

    specs = draw_specs(args, rng, writer, members, images, threads, posts)
    # Which go through Wagtail: spread over the kinds, the shapes and the dates.
    scale = args.through_wagtail / sum(REAL_SHARE.values())
    real, bulk = [], []
    quota = {kind: max(1, round(n * scale)) for kind, n in REAL_SHARE.items()}
    for kind in ("article", "digest", "guest"):
        of_kind = [s for s in specs if s["kind"] == kind]
        every = max(1, len(of_kind) // quota[kind])
        chosen = of_kind[::every][: quota[kind]]
        chosen_ids = {id(s) for s in chosen}
        real += chosen
        bulk += [s for s in of_kind if id(s) not in chosen_ids]
    bulk.sort(key=lambda s: s["published"])  # ids follow publication dates, as on a live site

    t = time.perf_counter()
    real_ids = publish_through_wagtail(real, managers, log)
    timings["publish_through_wagtail"] = time.perf_counter() - t
    log(f"  {len(real)} pages published through Wagtail ({timings['publish_through_wagtail']:.0f} s)")
    extra = draw_specs(Namespace(pages=DIGESTS + GUEST_POSTS + SCHEDULED), rng, writer, members, images, threads, posts)
    upcoming = [s for s in extra if s["kind"] == "article"][:SCHEDULED]
    for s in upcoming:
        s["slug"] = f"upcoming-{s['slug']}"
    scheduled = schedule_articles(upcoming, managers[0])

    t = time.perf_counter()
    bulk_info = bulk_publish(bulk, managers, log)
    timings["bulk"] = time.perf_counter() - t
    timings["search_index"] = build_search_index(log)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings["vacuum_analyze"] = time.perf_counter() - t

    def sample(kind, ids, shape=None, hero=None):
        specs_ = real if ids is real_ids else bulk
        chosen = [s["page_id"] for s in specs_ if s["kind"] == kind
                  and (shape is None or s.get("shape") == shape)
                  and (hero is None or (s.get("hero") is not None) == hero)]  # fmt: skip
        return chosen

    samples = {}
    for name, (kind, shape, hero) in {
        "article_hero": ("article", "standard", True),
        "article_plain": ("article", "standard", False),
        "digest": ("digest", None, None),
        "guest": ("guest", None, None),
    }.items():
        r, b = sample(kind, real_ids, shape, hero), sample(kind, None, shape, hero)
        samples[name] = {"through_wagtail": r[:: max(1, len(r) // 10)][:10], "bulk": b[:: max(1, len(b) // 10)][:10]}
    timings["total"] = time.perf_counter() - started
    return {
        "version": CONTENT_VERSION,
        "pages": args.pages,
        "through_wagtail": args.through_wagtail,
        "counts": {
            "articles": sum(1 for s in real + bulk if s["kind"] == "article"),
            "digests": DIGESTS,
            "guest_posts": GUEST_POSTS,
            "through_wagtail": {k: len(v) for k, v in real_ids.items()},
            "bulk": {k: len(v) for k, v in bulk_info["ids"].items()},
            "scheduled_articles": len(scheduled),
            "forum_groups": len(groups),
            "forum_threads": len(threads),
            "quotable_posts": len(posts),
            "images": len(images),
        },
        "managers": [m.username for m in managers],
        "image_files": [image.file.name for image in images],
        "samples": samples,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generation_seconds": {k: round(v, 2) for k, v in {**timings, **{f"bulk.{k}": v for k, v in
                                                                            bulk_info["timings"].items()}}.items()},
    }  # fmt: skip


# --- verification: bulk pages render as Wagtail-published pages do -----------------------------------------


class _Rollback(Exception):
    pass


def _html(client, url: str) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"FAIL GET {url}: {response.status_code}")
    return CSRF.sub(b'name="csrfmiddlewaretoken" value=""', response.content)


def verify_bulk(marker: dict, client) -> dict:
    """For bulk pages of every kind: render, republish through Wagtail (save_revision().publish(), so
    Page.full_clean, the tree, url_path and page_went_live all run), render again: the HTML and the
    rendered fields must not change. Rolled back afterwards. Also: treebeard finds no problem in the
    tree, and a bulk page's query count equals a Wagtail-published one's (the measured variants)."""
    from django.db import transaction
    from wagtail.models import Page

    from members.models import Member

    publisher = Member.objects.get(username=marker["managers"][0])
    checked, differing = [], []
    keep = ["title", "draft_title", "slug", "url_path", "path", "depth", "numchild", "live", "has_unpublished_changes",
            "first_published_at", "locale_id", "content_type_id", "owner_id", "expired", "locked", "go_live_at",
            "translation_key"]  # fmt: skip
    for name, groups in marker["samples"].items():
        for pk in groups["bulk"][:3]:
            page = Page.objects.get(pk=pk).specific
            url = page.url
            before_html = _html(client, url)
            before = {f: getattr(Page.objects.get(pk=pk), f) for f in keep}
            before_specific = page.serializable_data()
            try:
                with transaction.atomic():
                    page.save_revision(user=publisher).publish(user=publisher)
                    after_html = _html(client, url)
                    after = {f: getattr(Page.objects.get(pk=pk), f) for f in keep}
                    after_specific = Page.objects.get(pk=pk).specific.serializable_data()
                    raise _Rollback
            except _Rollback:
                pass
            ignore = {"latest_revision", "live_revision", "last_published_at", "latest_revision_created_at",
                      "has_unpublished_changes", "draft_title"}  # fmt: skip
            specific_diff = sorted(
                k for k in set(before_specific) | set(after_specific)
                if k not in ignore and before_specific.get(k) != after_specific.get(k)
            )  # fmt: skip
            field_diff = {k: (before[k], after[k]) for k in keep if before[k] != after[k]}
            checked.append(pk)
            if before_html != after_html or field_diff or specific_diff:
                differing.append({"page": pk, "url": url, "html_equal": before_html == after_html,
                                  "fields": {k: [str(a), str(b)] for k, (a, b) in field_diff.items()},
                                  "serializable_data": specific_diff})  # fmt: skip
    problems = Page.find_problems()
    tree = {name: len(ids) for name, ids in zip(
        ["evil_chars", "bad_steplen", "orphans", "wrong_depth", "wrong_numchild"], problems, strict=True)}  # fmt: skip
    result = {"republished_and_compared": checked, "differing": differing, "treebeard_problems": tree}
    if differing or any(tree.values()):
        raise SystemExit(f"Bulk pages do not match Wagtail-published ones: {json.dumps(result, indent=2)}")
    return result


def prepare_content(args, members_marker: dict, log=print) -> dict:
    import dataset
    from django.db import connection

    ok, why = content_present(args, members_marker)
    if ok and not args.reset:
        marker = dataset.read_marker(MARKER_TABLE)
        log(
            f"Content present: {marker['pages']:,} pages, generated {marker['generated_at']} in "
            f"{marker['generation_seconds']['total']:.1f} s (use --reset to rebuild)."
        )
        return {"generated_now": False, **marker}
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(f"Refusing to generate content in {connection.settings_dict['NAME']!r}: not a bench database.")
    log(f"Generating {args.pages:,} pages ({why})…")
    info = generate_content(args, log=log)
    info["members_generated_at"] = members_marker.get("generated_at")
    dataset.write_marker(info, MARKER_TABLE)
    g = info["generation_seconds"]
    log(f"Generated in {g['total']:.1f} s ({', '.join(f'{k} {v:.1f}s' for k, v in g.items() if k != 'total')})")
    return {"generated_now": True, **info}


# --- cases ----------------------------------------------------------------------------------------------


def check(client, url: str, needles: dict[bytes, int | None]) -> None:
    """200, and each marker present (exactly n times when n is given)."""
    response = client.get(url, secure=True)
    bad = {
        k.decode(): response.content.count(k)
        for k, n in needles.items()
        if (response.content.count(k) != n if n is not None else k not in response.content)
    }
    if response.status_code != 200 or bad:
        raise SystemExit(f"FAIL GET {url}: status {response.status_code}, unexpected counts {bad} of {needles}")


def build_cases(marker: dict, client, viewer: str) -> tuple[list[Case], dict]:
    from wagtail.models import Page

    from content.models import ArticleIndexPage, ArticlePage
    from content.selectors import SECTION_PAGE_SIZE

    def urls(ids):
        return [Page.objects.get(pk=pk).url for pk in ids]

    s = marker["samples"]
    cases = []
    for name, label in (("article_hero", "article with hero image"), ("article_plain", "article without hero"),
                        ("digest", "digest (3-5 quotes)"), ("guest", "guest post")):  # fmt: skip
        real, bulk = urls(s[name]["through_wagtail"]), urls(s[name]["bulk"])
        timed = [u for pair in zip(real, bulk, strict=False) for u in pair] or real + bulk
        variants = [(f"published via Wagtail {u}", u) for u in real[:2]] + [(f"bulk {u}", u) for u in bulk[:3]]
        cases.append(Case(name, f"{label}, cycling {len(timed)} pages ({viewer})", timed, variants, goal=name in GOAL_CASES,
                          expect_results=False))  # fmt: skip
    index = ArticleIndexPage.objects.get().url
    live = ArticlePage.objects.live().count()
    last = math.ceil(live / SECTION_PAGE_SIZE)
    index_variants = [("page 1", index), ("page 2", f"{index}?page=2"), (f"page {last // 2}", f"{index}?page={last // 2}"),
                      (f"page {last} (last)", f"{index}?page={last}")]  # fmt: skip
    cases += [
        Case("home", f"/ ({viewer})", ["/"], [("home", "/")], goal=True, expect_results=False),
        Case("index_first", f"{index} page 1 of {last} ({live:,} live articles)", [index], index_variants,
             goal=False, expect_results=False),
        Case("index_last", f"{index}?page={last} (last page)", [f"{index}?page={last}"], index_variants,
             goal=False, expect_results=False),
        Case("search", f"/search/?q= one of {SEARCH_WORDS}", [f"/search/?q={w}" for w in SEARCH_WORDS],
             [(w, f"/search/?q={w}") for w in SEARCH_WORDS], goal=False, expect_results=False),
    ]  # fmt: skip
    # Every measured page once (renditions are made on first view, not in the counted requests), and
    # checked for its content.
    for case in cases:
        for url in dict.fromkeys([*case.timed, *(u for _, u in case.variants)]):
            client.get(url, secure=True)
    for u in cases[0].timed[:4]:
        check(client, u, {b'class="article__hero"': 1, b'class="embed embed--member"': 1, b'class="quote-block"': 1,
                          b'class="tag"': None, b"Discuss it in the forums": 1})  # fmt: skip
    for u in cases[1].timed[:4]:
        check(client, u, {b'class="article__hero"': 0, b'class="embed embed--member"': 1})
    for u in cases[2].timed[:4]:
        check(client, u, {b'class="digest-quote"': None, b"Discuss it in the forums": 1})
    check(client, "/", {b'class="content-card"': None, b'id="featured-heading"': 1})
    check(client, index, {b'class="content-card"': SECTION_PAGE_SIZE})
    check(client, f"/search/?q={SEARCH_WORDS[0]}", {b"No pages match": 0})
    return cases, {"article_index_pages": last, "live_articles": live}


def run_cases(args, marker: dict, viewer_kind: str) -> tuple[dict, dict]:
    import dataset
    from django.test import Client

    from members.models import Member

    client = Client()
    if viewer_kind == "member":
        client.force_login(Member.objects.get(username=dataset.VIEWER_HANDLE))
    cases, parameters = build_cases(marker, client, viewer_kind)
    if args.only:
        cases = [c for c in cases if c.name in args.only]
    results = {}
    print(f"As {viewer_kind}: {args.warmup} warm-up + {args.requests} timed requests a case…")
    for case in cases:
        measure(case, client, args.requests, args.warmup)
        result = summary(case)
        result["meets_goal"] = (
            (result["median_ms"] < GOAL_MEDIAN_MS and result["queries_constant"]) if case.goal else None
        )
        results[case.name] = result
        print(f"  {case.name:<14} median {result['median_ms']:.1f} ms, {result['queries_per_request']} queries"
              f"{'' if result['queries_constant'] else ' (NOT constant: ' + str(result['query_counts_by_variant']) + ')'}")  # fmt: skip
    return results, parameters


def print_table(all_results: dict) -> None:
    header = f"{'viewer':<10} {'case':<14} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'constant':>9} {'goal <30':>9}"
    print()
    print(header)
    print("-" * len(header))
    for viewer, results in all_results.items():
        for name, r in results.items():
            constant = (
                "yes"
                if r["queries_constant"]
                else "NO " + "/".join(map(str, sorted(set(r["query_counts_by_variant"].values()))))
            )
            goal = "-" if r["meets_goal"] is None else ("ok" if r["meets_goal"] else "MISS")
            print(f"{viewer:<10} {name:<14} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['sql_ms_median']:>7.1f} "
                  f"{r['queries_per_request']:>8} {constant:>9} {goal:>9}")  # fmt: skip
    print()
    for viewer, results in all_results.items():
        for name, r in results.items():
            for q in sorted(r["sql"], key=lambda q: -q["ms"])[:2]:
                print(f"  {viewer}/{name}: SQL {q['ms']:.2f} ms: {' '.join(q['sql'].split())[:150]}…")
    print()


def main() -> int:
    args = parse_args()
    configure_environment(args.database_url)
    os.environ["MEDIA_ROOT"] = str(MEDIA_DIR)  # images and renditions stay out of the project's media/
    os.environ.pop("REDIS_URL", None)  # in-process: locmem cache and in-memory channel layer
    if args.reset:
        import django

        django.setup()
        drop_database(args.database_url)
    ensure_database(args.database_url)

    import django

    django.setup()
    import dataset
    from directory import migrate
    from django.conf import settings
    from django.test.utils import override_settings

    load = os.getloadavg()[0]
    # Two bench members are made managers, so dataset.status() no longer matches once content exists:
    # with the content present (same members' generation), the members are reused as they are.
    ok, why = content_present(args, dataset.read_marker() or {}) if not args.reset else (False, "--reset")
    if ok:
        data = {"database_created": False, "migrate_seconds": round(migrate(), 2), "generated_now": False,
                "generation": dataset.read_marker()}  # fmt: skip
    else:
        if dataset.read_marker(MARKER_TABLE) is not None:
            print(f"Rebuilding the content bench database ({why})…")
            drop_database(args.database_url)
            ensure_database(args.database_url)
        data = prepare_data(Namespace(members=args.members, reset=False, database_url=args.database_url))
    members_marker = dataset.read_marker() or {}
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    content = prepare_content(args, members_marker)

    from django.test import Client

    from members.models import Member

    verifier = Client()
    verifier.force_login(Member.objects.get(username=dataset.VIEWER_HANDLE))
    verification = verify_bulk(content, verifier)
    print(f"Bulk pages verified: {len(verification['republished_and_compared'])} republished through Wagtail "
          f"render identically; tree: {verification['treebeard_problems']}")  # fmt: skip

    all_results, parameters = {}, {}
    for viewer in args.viewers:
        all_results[viewer], parameters = run_cases(args, content, viewer)

    from wagtail.models import Page

    report = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "database": _safe_url(args.database_url),
        "members": args.members,
        "pages_in_tree": Page.objects.count(),
        "goal": f"home and article median < {GOAL_MEDIAN_MS:.0f} ms with constant queries",
        "data": data,
        "content": content,
        "verification": verification,
        "parameters": parameters,
        "cases": all_results,
        "environment": {**environment_facts(), "load_average_at_start": round(load, 2)},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print_table(all_results)
    print(f"Load average at start {load:.2f}, at end {report['environment']['load_average_at_end']}")
    print(f"Results written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    missed = [f"{v}/{n}" for v, rs in all_results.items() for n, r in rs.items() if r["meets_goal"] is False]
    if missed:
        print(f"Goal missed: {', '.join(missed)}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
