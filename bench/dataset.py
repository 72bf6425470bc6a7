"""The benchmark's synthetic community: N members with skills, interests and the member role.

BENCH-ONLY EXCEPTION: the app's rule is that every write to the members domain goes through
members.services. This module writes the tables directly (PostgreSQL COPY into members_member,
members_memberskill, the groups and interests through tables, and one set-based UPDATE for
search_document) because creating 100,000 members one service call at a time takes hours. That is
allowed here, in bench/, and nowhere else. `verify_search_documents` checks that the SQL UPDATE builds
exactly what services.refresh_search_document builds, so the data the benchmark searches is the data
the app would have written.
"""

from __future__ import annotations

import io
import json
import random
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import vocabulary as v
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from community.roles import Role
from members import services
from members.models import Interest, Member, MemberSkill, Skill

# Bump when the generator changes what it makes: a bench database of another version is rebuilt.
DATASET_VERSION = 2
MARKER_TABLE = "bench_dataset"  # one row about the generated data; only ever in the bench database
BENCH_DOMAIN = "bench.mutua.test"
VIEWER_HANDLE = "bench-viewer"
SEED = 20260101
INACTIVE_SHARE = 0.02

# The same document as services.refresh_search_document, for every member at once:
#   name (display_name, or the handle when empty) + handle   weight A, 'simple'
#   headline + the member's skill names (ordered by name)     weight B, 'english'
#   organisation, job title, location                         weight C, 'simple'
#   bio                                                       weight D, 'english'
# Django's SearchVector compiles to setweight(to_tsvector(config::regconfig, COALESCE(text, '')), w),
# joined with ||; the f-strings in refresh_search_document become the || ' ' || concatenations.
SEARCH_DOCUMENT_UPDATE = """
UPDATE members_member AS m
SET search_document =
      setweight(to_tsvector('simple'::regconfig, COALESCE(COALESCE(NULLIF(m.display_name, ''), m.username), '')), 'A')
   || setweight(to_tsvector('simple'::regconfig, COALESCE(m.username, '')), 'A')
   || setweight(to_tsvector('english'::regconfig, COALESCE(m.headline || ' ' || COALESCE(s.names, ''), '')), 'B')
   || setweight(to_tsvector('simple'::regconfig,
                            COALESCE(m.organisation || ' ' || m.job_title || ' ' || m.location, '')), 'C')
   || setweight(to_tsvector('english'::regconfig, COALESCE(m.bio, '')), 'D')
FROM members_member AS base
LEFT JOIN (
    SELECT ms.member_id, string_agg(sk.name, ' ' ORDER BY sk.name) AS names
    FROM members_memberskill AS ms JOIN members_skill AS sk ON sk.id = ms.skill_id
    GROUP BY ms.member_id
) AS s ON s.member_id = base.id
WHERE base.id = m.id AND m.email LIKE %s
"""


@dataclass
class Status:
    bench_members: int
    other_members: int
    missing_documents: int
    role_links: int
    member_skills: int
    marker: dict | None  # what generate() recorded: version, members, timings

    def complete(self, members: int) -> bool:
        return (
            self.marker is not None
            and self.marker.get("version") == DATASET_VERSION
            and self.marker.get("members") == members
            and self.bench_members == members
            and self.other_members == 0
            and self.missing_documents == 0
            and self.role_links >= members
            and self.member_skills >= 2 * members
        )


def status() -> Status:
    bench = Member.objects.filter(email__endswith="@" + BENCH_DOMAIN)
    member_group = Group.objects.filter(name=Role.MEMBER.value).first()
    return Status(
        bench_members=bench.count(),
        other_members=Member.objects.exclude(email__endswith="@" + BENCH_DOMAIN).count(),
        missing_documents=bench.filter(search_document__isnull=True).count(),
        role_links=Member.groups.through.objects.filter(group=member_group).count() if member_group else 0,
        member_skills=MemberSkill.objects.count(),
        marker=read_marker(),
    )


def read_marker(table: str = MARKER_TABLE) -> dict | None:
    """What a benchmark recorded about the data it generated (each keeps one row in its own table)."""
    if table not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT info FROM {table} ORDER BY at DESC LIMIT 1")
        row = cursor.fetchone()
    if not row:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def write_marker(info: dict, table: str = MARKER_TABLE) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} (at timestamptz DEFAULT now(), info jsonb NOT NULL)")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} (info) VALUES (%s)", [json.dumps(info, default=str)])


def zipf_weights(count: int, exponent: float) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def ascii_slug(text: str) -> str:
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(table: str, columns: list[str], rows) -> int:
    """COPY rows (iterables of Python values) into a table; returns the number of rows."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN", buffer)
    return count


class Community:
    """Draws members deterministically from the vocabulary (same seed, same community)."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.first_names = v.FIRST_NAMES
        self.first_weights = zipf_weights(len(self.first_names), 0.5)
        self.last_names = list(dict.fromkeys(v.LAST_NAMES))
        self.last_weights = zipf_weights(len(self.last_names), 0.5)
        stems, kinds = v.ORG_STEMS, v.ORG_KINDS
        combos = [f"{stem} {kind}" for stem in stems for kind in kinds]
        random.Random(seed + 1).shuffle(combos)
        self.organisations = combos[:500]
        self.organisation_weights = zipf_weights(len(self.organisations), 0.8)
        self.cities = v.CITIES
        self.city_weights = zipf_weights(len(self.cities), 0.9)
        self.titles = [f"{level}{role.lower()}" if level else role for level in v.SENIORITY for role in v.ROLES]
        self.titles += v.HEADS_OF
        self.title_weights = zipf_weights(len(self.titles), 0.4)
        self.interest_weights = zipf_weights(len(v.INTERESTS), 0.6)

    def pick(self, items, weights):
        return self.rng.choices(items, weights)[0]

    def distinct(self, items, weights, count: int) -> list:
        chosen: dict = {}
        while len(chosen) < count:
            for item in self.rng.choices(items, weights, k=count - len(chosen)):
                chosen.setdefault(item, None)
        return list(chosen)

    def text(self, template: str, **known) -> str:
        r = self.rng
        words = {
            "role": known.get("role") or r.choice(v.ROLES),
            "org": known.get("org") or self.pick(self.organisations, self.organisation_weights),
            "city": known.get("city") or self.pick(self.cities, self.city_weights),
            "city2": r.choice(self.cities),
            "skill": known["skills"][0],
            "skill2": known["skills"][1],
            "skill3": r.choice(v.SKILLS),
            "interest": known.get("interest") or r.choice(v.INTERESTS),
            "audience": r.choice(v.AUDIENCES),
            "thing": r.choice(v.THINGS),
            "outcome": r.choice(v.OUTCOMES),
            "adjective": r.choice(v.ADJECTIVES),
            "years": r.randint(2, 25),
            "hobby": r.choice(v.HOBBIES),
            "field": r.choice(v.FIELDS),
        }
        words["role_article"] = ("an " if words["role"][0].lower() in "aeiou" else "a ") + words["role"].lower()
        return template.format(**words)


def generate(members: int, *, log=print) -> dict:
    """Fill an empty members schema with `members` members; returns timings (seconds)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    community = Community()
    r = community.rng
    now = timezone.now()

    with transaction.atomic():
        # The taxonomy: ~200 approved skills (Zipf popularity by list order) and a few proposed ones.
        slugs: set[str] = set()
        skill_rows = []
        for name, status_ in (
            [(n, Skill.Status.APPROVED) for n in v.SKILLS]
            + [(n, Skill.Status.APPROVED) for n, _ in v.NICHE_SKILLS]
            + [(n, Skill.Status.PROPOSED) for n in v.PROPOSED_SKILLS]
        ):
            base = ascii_slug(name.replace("#", " sharp").replace("+", " plus")) or "skill"
            slug, n = base, 2
            while slug in slugs:
                slug, n = f"{base}-{n}", n + 1
            slugs.add(slug)
            skill_rows.append(Skill(name=name, slug=slug, status=status_, created=now))
        Skill.objects.bulk_create(skill_rows)
        skills = list(Skill.objects.filter(name__in=v.SKILLS).order_by("pk"))
        skill_names = [skill.name for skill in skills]
        skill_weights = zipf_weights(len(skills), 0.5)
        Interest.objects.bulk_create([Interest(name=name) for name in v.INTERESTS])
        interests = list(Interest.objects.order_by("pk"))
        timings["taxonomy"] = time.perf_counter() - started

        # Members, drawn in Python and COPYed in one go.
        t = time.perf_counter()
        fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
        columns = [f.column for f in fields]
        drawn = []  # (handle, skills idx list, interest idx list)
        member_rows = []
        for i in range(members):
            first = community.pick(community.first_names, community.first_weights)
            last = community.pick(community.last_names, community.last_weights)
            if i == 0:
                handle = VIEWER_HANDLE
            else:
                handle = f"{ascii_slug(first)[:12]}-{ascii_slug(last)[:10]}-{i}".strip("-")
            skill_idx = community.distinct(range(len(skills)), skill_weights, r.randint(2, 8))
            member_skills = [skill_names[k] for k in skill_idx]
            interest_idx = community.distinct(
                range(len(interests)), community.interest_weights, r.choice([0, 0, 1, 2, 3, 4])
            )
            title = community.pick(community.titles, community.title_weights)
            organisation = (
                community.pick(community.organisations, community.organisation_weights) if r.random() > 0.08 else ""
            )
            city = community.pick(community.cities, community.city_weights) if r.random() > 0.05 else ""
            interest = interests[interest_idx[0]].name if interest_idx else None
            known = {
                "role": title,
                "org": organisation or None,
                "city": city or None,
                "skills": member_skills,
                "interest": interest,
            }
            headline = community.text(r.choice(v.HEADLINES), **known)[:140] if r.random() > 0.06 else ""
            if r.random() > 0.12:
                sentences = r.sample(v.BIO_SENTENCES, r.randint(2, 6))
                bio = " ".join(community.text(s, **known) for s in sentences)
                if r.random() < 0.3:
                    bio = bio.replace(". ", ".\n\n", 1)
            else:
                bio = ""
            joined = now - timedelta(days=2200) if i == 0 else now - timedelta(seconds=r.randint(3600, 6 * 365 * 86400))
            values = {
                "password": "!bench-no-password",
                "last_login": None if r.random() < 0.3 else joined + (now - joined) * r.random(),
                "is_superuser": False,
                "username": handle,
                "first_name": first,
                "last_name": last,
                "email": f"{handle}@{BENCH_DOMAIN}",
                "is_staff": False,
                "is_active": i == 0 or r.random() > INACTIVE_SHARE,
                "date_joined": joined,
                "display_name": f"{first} {last}" if r.random() > 0.01 else "",
                "headline": headline,
                "organisation": organisation,
                "job_title": title if r.random() > 0.04 else "",
                "location": city,
                "bio": bio,
                "website": f"https://{handle}.example.net/" if r.random() < 0.25 else "",
                "linkedin_url": f"https://www.linkedin.com/in/{handle}/" if r.random() < 0.5 else "",
                "github_url": f"https://github.com/{handle}" if r.random() < 0.3 else "",
                "mastodon_url": "",
                "avatar": "",
                "search_document": None,
            }
            member_rows.append([values[f.attname] if f.attname in values else f.get_default() for f in fields])
            drawn.append((handle, skill_idx, interest_idx))
        # The long tail: approved skills only a handful of members list (the case where a planner
        # that expects an average skill to be common walks the whole name index looking for them).
        niche = list(Skill.objects.filter(name__in=[name for name, _ in v.NICHE_SKILLS]).order_by("pk"))
        holders_of = dict(v.NICHE_SKILLS)
        for n, skill in enumerate(niche):
            room = [i for i in range(1, members) if len(drawn[i][1]) < 8]  # nobody above 8 skills
            for i in r.sample(room, min(holders_of[skill.name], len(room))):
                drawn[i][1].append(len(skills) + n)
        skills = skills + niche
        timings["draw"] = time.perf_counter() - t

        t = time.perf_counter()
        copy_rows(Member._meta.db_table, columns, member_rows)
        del member_rows
        ids = dict(Member.objects.filter(email__endswith="@" + BENCH_DOMAIN).values_list("username", "pk"))
        timings["copy_members"] = time.perf_counter() - t

        t = time.perf_counter()
        ms_fields = {f.attname: f for f in MemberSkill._meta.concrete_fields if not f.primary_key}
        ms_columns = [ms_fields[name].column for name in ("member_id", "skill_id", "added")]
        links = copy_rows(
            MemberSkill._meta.db_table,
            ms_columns,
            ((ids[handle], skills[k].pk, now) for handle, skill_idx, _ in drawn for k in skill_idx),
        )
        groups_through = Member.groups.through
        member_group = Group.objects.get(name=Role.MEMBER.value)  # made by the post_migrate handler
        copy_rows(
            groups_through._meta.db_table,
            [groups_through._meta.get_field("member").column, groups_through._meta.get_field("group").column],
            ((pk, member_group.pk) for pk in ids.values()),
        )
        interests_through = Member.interests.through
        copy_rows(
            interests_through._meta.db_table,
            [interests_through._meta.get_field("member").column, interests_through._meta.get_field("interest").column],
            ((ids[handle], interests[k].pk) for handle, _, interest_idx in drawn for k in interest_idx),
        )
        timings["copy_links"] = time.perf_counter() - t
        log(f"  {len(ids):,} members, {links:,} member skills, {len(skills)} approved skills")

        t = time.perf_counter()
        with connection.cursor() as cursor:
            # Statistics first: planned on the empty tables' estimates, the UPDATE's joins go quadratic.
            for model in (Member, MemberSkill, Skill):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute(SEARCH_DOCUMENT_UPDATE, ["%@" + BENCH_DOMAIN])
            log(f"  search_document built for {cursor.rowcount:,} members")
        timings["search_documents"] = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            Member._meta.db_table,
            MemberSkill._meta.db_table,
            Skill._meta.db_table,
            groups_through._meta.db_table,
            interests_through._meta.db_table,
            Group._meta.db_table,
        ):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
    timings["vacuum_analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    write_marker(
        {
            "version": DATASET_VERSION,
            "members": members,
            "seed": SEED,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "generation_seconds": {key: round(value, 2) for key, value in timings.items()},
        }
    )
    return timings


def verify_search_documents(sample: int = 25) -> int:
    """Rebuild a sample of documents with services.refresh_search_document and check they equal the
    bulk UPDATE's. Runs in a transaction that is rolled back, so the bench data stays as generated."""
    handles = list(
        Member.objects.filter(email__endswith="@" + BENCH_DOMAIN)
        .order_by("?")
        .values_list("username", flat=True)[:sample]
    )
    # Include a member without a display name and one without a bio, the COALESCE edge cases.
    for extra in (
        Member.objects.filter(display_name="", email__endswith="@" + BENCH_DOMAIN),
        Member.objects.filter(bio="", email__endswith="@" + BENCH_DOMAIN),
    ):
        first = extra.values_list("username", flat=True).first()
        if first:
            handles.append(first)
    mismatches = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for handle in handles:
                member = Member.objects.get(username=handle)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT search_document::text FROM members_member WHERE id = %s", [member.pk])
                    (bulk,) = cursor.fetchone()
                    services.refresh_search_document(member=member)
                    cursor.execute("SELECT search_document::text FROM members_member WHERE id = %s", [member.pk])
                    (service,) = cursor.fetchone()
                if bulk != service:
                    mismatches.append((handle, bulk, service))
            raise Rollback
    except Rollback:
        pass
    if mismatches:
        handle, bulk, service = mismatches[0]
        raise SystemExit(
            f"search_document mismatch for {len(mismatches)} of {len(handles)} members; first: {handle}\n"
            f"  bulk:    {bulk}\n  service: {service}"
        )
    return len(handles)
