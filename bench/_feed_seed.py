"""The feed bench's content (bench/feed.py, `--seed`, in a Django process): 500 groups with
skewed sizes, 5 to 15 memberships per user, then with COPY a million posts over two years,
comments, reactions and topics, denser on recent posts; idempotent, the content in one
transaction. The sizes are here; bench/feed.py prints and measures them.
"""

import datetime as dt
import random
import time

from bench import _common

GROUPS = _common.size(500, 8)
POSTS = _common.size(1_000_000, 3_000)
COMMENTS = _common.size(200_000, 500)
REACTIONS = _common.size(500_000, 1_000)
TAGGED_SHARE = 0.10
COMPANY_SHARE = 0.04
YEARS = 2

_WORDS = (
    "invoice billing customer release roadmap deploy meeting budget pricing launch design "
    "review support ticket onboarding hiring quarter target feedback survey campaign brand "
    "social partner contract renewal security incident outage fix update office travel "
    "lunch coffee team retro sprint demo metrics dashboard report forecast sales marketing "
    "product mobile app web api database cloud migration training policy compliance audit "
    "holiday schedule volunteer charity workshop webinar conference blog video podcast "
    "question answer idea proposal draft plan goal win thanks welcome congratulations"
)
WORDS = _WORDS.split()
_TOPICS = (
    "billing pricing release hiring security outage travel sustainability remote "
    "customerlove feedback roadmap design mobile cloud compliance training events sales "
    "marketing"
)
TOPICS = _TOPICS.split()


def seed_main() -> None:
    """In a Django process: the groups, memberships and content, idempotently."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from feeds.models import Post
    from groups.models import Group, Membership
    from groups.services import ensure_company_group

    rng = random.Random(2026)
    company = ensure_company_group()
    user_ids = list(
        get_user_model().objects.filter(is_active=True).order_by("id").values_list("id", flat=True)
    )
    have = set(Group.objects.filter(slug__startswith="bench-").values_list("slug", flat=True))
    privacies = ["public"] * 60 + ["private"] * 25 + ["secret"] * 15
    new = [
        Group(
            name=f"Bench group {i:03}",
            slug=f"bench-{i:03}",
            description=f"Benchmark group {i} about {WORDS[i % len(WORDS)]}.",
            kind="interest",
            privacy=privacies[i % len(privacies)],
        )
        for i in range(GROUPS)
        if f"bench-{i:03}" not in have
    ]
    Group.objects.bulk_create(new, batch_size=1000)
    print(f"groups: {len(new)} new, {GROUPS - len(new)} there; All company id {company.pk}")
    groups = list(Group.objects.filter(slug__startswith="bench-").order_by("slug"))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(groups))]

    members: dict[int, list[int]] = {g.pk: [] for g in groups}
    if not Membership.objects.filter(group__in=groups).exists():
        rows = []
        for user_id in user_ids:
            chosen = set()
            want = min(rng.randint(5, 15), len(groups))
            while len(chosen) < want:
                chosen.add(rng.choices(range(len(groups)), weights)[0])
            rows += [Membership(group_id=groups[i].pk, user_id=user_id) for i in chosen]
        with transaction.atomic():
            Membership.objects.bulk_create(rows, batch_size=10_000, ignore_conflicts=True)
        print(f"memberships: {len(rows):,} new")
    else:
        print("memberships: there")
    for group_id, user_id in Membership.objects.filter(group__in=groups).values_list(
        "group_id", "user_id"
    ):
        members[group_id].append(user_id)

    if Post.objects.filter(group__in=groups).exists():
        print(f"content: there ({Post.objects.count():,} posts)")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        raw.execute("SET LOCAL session_replication_role = replica")  # no FK trigger per row
        raw.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The search indexes are built once after the load, not a million times during it.
        raw.execute(
            "DROP INDEX IF EXISTS post_search_vector, comment_search_vector, "
            "post_body_search, comment_body_search"
        )
        post_ids, post_times, post_groups = _copy_posts(raw, rng, groups, weights, members, company)
        print(f"posts: {len(post_ids):,} copied ({time.perf_counter() - started:.0f} s)")
        _copy_topics(raw, rng, post_ids, post_times)
        _copy_comments(raw, rng, post_ids, post_times, post_groups, members, user_ids)
        _copy_reactions(raw, rng, post_ids, user_ids)
        print(f"comments, reactions, topics copied ({time.perf_counter() - started:.0f} s)")
        for table in ("feeds_post", "feeds_comment", "feeds_reaction", "feeds_post_topics"):
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
                f"(SELECT max(id) FROM {table}))"
            )
        _create_search_indexes(raw)
        print(f"search indexes built ({time.perf_counter() - started:.0f} s)")
        _count_activity()
        print(f"comment and reaction counters filled ({time.perf_counter() - started:.0f} s)")


def _count_activity() -> None:
    """The posts' own counters, as the services keep them (COPY went around the services):
    the grouped UPDATEs of the migration that introduced them."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("feeds.migrations.0004_post_counters")
    with connection.cursor() as cursor:
        cursor.execute(migration.COUNT_COMMENTS)
        cursor.execute(migration.COUNT_REACTIONS)


def _create_search_indexes(cursor) -> None:
    import importlib

    # The indexes of the latest search migration (the stored search_vector columns are
    # filled by PostgreSQL as the rows arrive: generated columns).
    migration = importlib.import_module("feeds.migrations.0006_stored_search_vectors")

    class Editor:  # what the migration's function needs of a schema editor
        class connection:
            vendor = "postgresql"

        @staticmethod
        def execute(sql):
            cursor.execute(sql)

    migration.create(None, Editor)


def _copy(cursor, table: str, columns: str, lines: list[str]) -> None:
    """COPY `lines` into `table`; every other column with a model default (the counters,
    say, NOT NULL in the database without a database default) gets that default, so a
    column added later cannot break the seeding again."""
    extra = _defaults(table, {c.strip() for c in columns.split(",")})
    if extra:
        columns += ", " + ", ".join(extra)
        tail = "\t" + "\t".join(extra.values()) + "\n"
        lines = [line[:-1] + tail for line in lines]
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write("".join(lines))


def _defaults(table: str, given: set[str]) -> dict[str, str]:
    """{column: its model default as COPY text} for `table`'s columns not in `given`."""
    from django.apps import apps
    from django.db import connection

    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    out = {}
    for field in model._meta.concrete_fields:
        if field.column in given or not field.has_default():
            continue
        value = field.get_db_prep_save(field.get_default(), connection)
        if isinstance(value, bool):
            value = "t" if value else "f"
        out[field.column] = "\\N" if value is None else str(value)
    return out


def _body(rng: random.Random, topic: str | None) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 40))
    words[0] = words[0].capitalize()
    text = " ".join(words) + "."
    return f"{text} #{topic}" if topic else text


def _copy_posts(cursor, rng, groups, weights, members, company):
    cursor.execute("SELECT coalesce(max(id), 0) FROM feeds_post")
    first_id = cursor.fetchone()[0] + 1
    end = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    start = end - dt.timedelta(days=365 * YEARS)
    span = (end - start).total_seconds()
    columns = (
        "id, group_id, author_id, kind, body, body_html, created_at, removed_reason, "
        "comments_closed, badge"
    )
    ids, times, post_groups, lines = [], [], [], []
    company_authors = [u for m in list(members.values())[:20] for u in m][:2000]
    group_ids = [g.pk for g in groups]
    picks = rng.choices(range(len(groups)), weights, k=POSTS)
    for i in range(POSTS):
        if rng.random() < COMPANY_SHARE:
            group_id, author = company.pk, rng.choice(company_authors)
        else:
            group_id = group_ids[picks[i]]
            author = rng.choice(members[group_id])
        created = start + dt.timedelta(seconds=span * i / POSTS + rng.uniform(0, 60))
        topic = rng.choice(TOPICS) if rng.random() < TAGGED_SHARE else None
        body = _body(rng, topic)
        post_id = first_id + i
        kind = "question" if body.endswith("?") else "update"
        lines.append(
            f"{post_id}\t{group_id}\t{author}\t{kind}\t{body}\t<p>{body}</p>\t"
            f"{created.isoformat()}\t\tf\t\n"
        )
        ids.append(post_id)
        times.append(created)
        post_groups.append(group_id)
        if len(lines) == 100_000:
            _copy(cursor, "feeds_post", columns, lines)
            lines = []
    if lines:
        _copy(cursor, "feeds_post", columns, lines)
    return ids, times, post_groups


def _recent_index(rng: random.Random, n: int) -> int:
    """An index into n posts, denser among the newest (what a feed page shows)."""
    return n - 1 - int(n * rng.random() ** 3)


def _copy_topics(cursor, rng, post_ids, post_times) -> None:
    cursor.execute(
        "INSERT INTO feeds_topic (name, created_at) SELECT unnest(%s::text[]), now() "
        "ON CONFLICT (name) DO NOTHING",
        [TOPICS],
    )
    cursor.execute("SELECT name, id FROM feeds_topic WHERE name = ANY(%s)", [TOPICS])
    topic_ids = dict(cursor.fetchall())
    # The posts' bodies end with "#topic" for TAGGED_SHARE of them: read them back.
    cursor.execute(
        "SELECT id, substring(body from '#([a-z]+)$') FROM feeds_post "
        "WHERE id >= %s AND body LIKE '%%#%%'",
        [post_ids[0]],
    )
    lines = [f"{pid}\t{topic_ids[name]}\n" for pid, name in cursor.fetchall() if name in topic_ids]
    _copy(cursor, "feeds_post_topics", "post_id, topic_id", lines)


def _copy_comments(cursor, rng, post_ids, post_times, post_groups, members, user_ids) -> None:
    columns = "post_id, author_id, body, body_html, created_at, removed_reason"
    lines = []
    now = dt.datetime.now(dt.UTC)  # a comment on a recent post is never dated after the seed
    for _ in range(COMMENTS):
        i = _recent_index(rng, len(post_ids))
        authors = members.get(post_groups[i]) or user_ids
        created = min(post_times[i] + dt.timedelta(minutes=rng.randint(1, 3000)), now)
        body = _body(rng, None)
        lines.append(
            f"{post_ids[i]}\t{rng.choice(authors)}\t{body}\t<p>{body}</p>\t{created.isoformat()}\t\n"
        )
    _copy(cursor, "feeds_comment", columns, lines)


def _copy_reactions(cursor, rng, post_ids, user_ids) -> None:
    kinds = ("like", "like", "like", "celebrate", "insightful", "support")
    seen: set[tuple[int, int, str]] = set()
    lines = []
    now = dt.datetime.now(dt.UTC).isoformat()
    while len(seen) < REACTIONS:
        key = (post_ids[_recent_index(rng, len(post_ids))], rng.choice(user_ids), rng.choice(kinds))
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{key[0]}\t{key[1]}\t{key[2]}\t{now}\n")
    _copy(cursor, "feeds_reaction", "post_id, user_id, kind, created_at", lines)
