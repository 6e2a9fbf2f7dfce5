"""Build a large, realistic newsroom in PostgreSQL, fast (COPY, not ORM saves).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        python bench/generate.py [--stories 100000] [--comments 1000000]

Ten years of stories over 20 sections and 500 authors, 5,000 tags with a
long tail (and some near-duplicates), a million comments with nested replies
(one story carries 10,000 of them) and 2,000 images. The database is emptied
first. Deterministic: the same seed gives the same newsroom.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.text import skeleton  # noqa: E402
from live.models import LiveCoverage  # noqa: E402

WORDS = [
    "harbour",
    "strait",
    "summit",
    "ferry",
    "council",
    "minister",
    "budget",
    "election",
    "port",
    "glacier",
    "heatwave",
    "museum",
    "court",
    "police",
    "trade",
    "tariff",
    "fishing",
    "quota",
    "bridge",
    "railway",
    "school",
    "clinic",
    "hospital",
    "vote",
    "coalition",
    "strike",
    "union",
    "festival",
    "league",
    "match",
    "storm",
    "flood",
    "drought",
    "harvest",
    "energy",
    "grid",
    "solar",
    "wind",
    "battery",
    "chip",
    "factory",
    "bank",
    "rates",
    "inflation",
    "housing",
    "rent",
    "wages",
    "tourism",
    "airport",
    "border",
    "treaty",
]
LEAD_INS = ["Why it matters:", "The big picture:", "Zoom out:", "What's next:"]


# The migrations whose BACKFILL statements fill the columns triggers keep.
KEPT_COUNTS = [
    "comments.migrations.0003_article_comment_count_triggers",
    "tags.migrations.0005_published_count_triggers",
    "comments.migrations.0005_comment_queue_rank",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into a table; returns how many."""
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as pipe,
    ):
        for row in rows:
            pipe.write_row(row)
            count += 1
    return count


def next_ids(table: str, count: int) -> range:
    """Reserve `count` ids from the table's sequence."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
        start = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
            [start + count],
        )
    return range(start, start + count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--big-thread", type=int, default=10_000)
    parser.add_argument("--live-entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark dataset needs PostgreSQL: set DATABASE_URL.")
    rng = random.Random(args.seed)
    started = time.perf_counter()

    def step(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    # Load with triggers off (the kept counts, foreign keys): one row at a
    # time they would take longer than the load; the counts are filled in
    # once at the end with the migrations' own statements.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    now = timezone.now()

    # Sections, authors, tags (long tail, a few near-duplicates).
    copy(
        "articles_section",
        ["name", "slug", "description", "position"],
        ((f"Desk {n}", f"desk-{n}", sentence(rng, 12), n) for n in range(20)),
    )
    section_ids = [
        row[0] for row in _rows("SELECT id FROM articles_section ORDER BY id")
    ]
    copy(
        "articles_author",
        ["name", "slug", "bio"],
        ((f"Reporter {n}", f"reporter-{n}", sentence(rng, 15)) for n in range(500)),
    )
    author_ids = [row[0] for row in _rows("SELECT id FROM articles_author ORDER BY id")]
    tag_names = []
    for n in range(5000):
        base = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        tag_names.append(base)
    for n in range(0, 200, 2):  # near-duplicates: spacing and plurals
        tag_names[n + 1] = tag_names[n].replace(" ", "") + "s"
    copy(
        "tags_tag",
        [
            "name",
            "slug",
            "name_skeleton",
            "slug_skeleton",
            "description",
            "is_hidden_from_strip",
            "published_count",
        ],
        (
            (name, f"t-{n}", skeleton(name), skeleton(f"t-{n}"), "", False, 0)
            for n, name in enumerate(tag_names)
        ),
    )
    tag_ids = [row[0] for row in _rows("SELECT id FROM tags_tag ORDER BY id")]
    step("sections, authors, tags")

    # Images: one real picture's renditions shared by 2,000 library rows.
    from django.contrib.auth import get_user_model

    from accounts.models import ReaderProfile
    from images.imaging import check_and_clean
    from images.services import image_create
    from tests.images import picture_bytes

    admin = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
    template = image_create(
        upload=check_and_clean("bench.jpg", picture_bytes((1600, 1000))),
        by=admin,
        title="Bench",
        alt_text="A benchmark picture",
    )
    copy(
        "articles_image",
        [
            "file",
            "title",
            "alt_text",
            "is_decorative",
            "caption",
            "credit",
            "width",
            "height",
            "format",
            "focal_x",
            "focal_y",
            "renditions",
            "uploaded_at",
        ],
        (
            (
                template.file.name,
                f"Picture {n}",
                f"A picture number {n}",
                False,
                sentence(rng, 10),
                "Bench desk",
                template.width,
                template.height,
                template.format,
                0.5,
                0.5,
                json.dumps(template.renditions),
                now,
            )
            for n in range(1999)
        ),
    )
    image_ids = [row[0] for row in _rows("SELECT id FROM articles_image ORDER BY id")]
    step("2,000 images")

    # Stories over ten years, newest first in id order doesn't matter.
    article_ids = next_ids("articles_article", args.stories)
    span = timedelta(days=3650).total_seconds()
    body_cache = [
        "".join(
            f'<p><strong class="lead-in">{rng.choice(LEAD_INS)}</strong> '
            f"{sentence(rng, rng.randint(18, 40))}.</p>"
            for _ in range(6)
        )
        for _ in range(200)
    ]

    def stories():
        for n, pk in enumerate(article_ids):
            published = now - timedelta(seconds=span * (n / args.stories) + 60)
            yield (
                pk,
                sentence(rng, 9),
                f"story-{pk}",
                sentence(rng, 20),
                body_cache[n % 200],
                rng.choice(section_ids),
                "published",
                published,
                published,
                published,
                "",
                "",
                image_ids[n % len(image_ids)] if n % 3 == 0 else None,
                "",
                "default",
                1,
                0,
            )

    copy(
        "articles_article",
        [
            "id",
            "headline",
            "slug",
            "dek",
            "body",
            "section_id",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "source_name",
            "source_url",
            "hero_image_id",
            "hero_caption",
            "comments_mode",
            "edit_version",
            "comment_count",
        ],
        stories(),
    )
    copy(
        "articles_byline",
        ["article_id", "author_id", "position"],
        (
            (pk, author, position)
            for pk in article_ids
            for position, author in enumerate(
                rng.sample(author_ids, rng.choice((1, 1, 1, 2)))
            )
        ),
    )
    # Long tail: a few tags on many stories, most on a handful.
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(tag_ids))]
    copy(
        "tags_taggedarticle",
        ["content_object_id", "tag_id"],
        (
            (pk, tag)
            for pk in article_ids
            for tag in set(rng.choices(tag_ids, weights, k=4))
        ),
    )
    step(f"{args.stories:,} stories with bylines and tags")

    # Readers and comments: nested replies, one very long thread.
    readers = 5000
    user_ids = next_ids("auth_user", readers)
    password = make_password("bench-reader")  # one hash, shared
    copy(
        "auth_user",
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        (
            (
                pk,
                password,
                False,
                f"r{pk}@example.com",
                "",
                "",
                f"r{pk}@example.com",
                False,
                True,
                now,
            )
            for pk in user_ids
        ),
    )
    ReaderProfile.objects.bulk_create(
        ReaderProfile(
            user_id=pk,
            display_name=f"Reader {pk}",
            display_name_skeleton=skeleton(f"Reader {pk}"),
        )
        for pk in user_ids
    )
    comment_ids = next_ids("comments_comment", args.comments)
    big_story = article_ids[0]
    recent = article_ids[: max(1, args.stories // 10)]

    def comments():
        thread = []  # (id, root, depth) of the current story's comments
        story = None
        for n, pk in enumerate(comment_ids):
            if n < args.big_thread:
                new_story = big_story
            elif n % 40 == 0 or story is None:
                new_story = rng.choice(recent)
            else:
                new_story = story
            if new_story != story:
                story, thread = new_story, []
            if thread and rng.random() < 0.6:
                parent, root, depth = rng.choice(thread[-50:])
                depth = min(depth + 1, 3)
                parent_id = parent
            else:
                parent_id, root, depth = None, pk, 0
            thread.append((pk, root, depth))
            created = now - timedelta(minutes=args.comments - n)
            yield (
                pk,
                story,
                rng.choice(user_ids),
                parent_id,
                root,
                depth,
                sentence(rng, rng.randint(8, 40)),
                "approved" if n % 20 else "pending",
                "",
                False,
                created,
                None,
                "",
                0,
            )

    copy(
        "comments_comment",
        [
            "id",
            "article_id",
            "author_id",
            "parent_id",
            "root_id",
            "depth",
            "body",
            "status",
            "hold_reason",
            "notify_on_reply",
            "created_at",
            "ip_address",
            "user_agent",
            "report_count",
        ],
        comments(),
    )
    step(f"{args.comments:,} comments ({args.big_thread:,} on one story)")

    # Live coverage on the second-newest story, running, with its entries.
    live_story = article_ids[1]
    started_at = now - timedelta(days=2)
    (coverage_id,) = next_ids("live_livecoverage", 1)
    copy(
        "live_livecoverage",
        [
            "id",
            "story_id",
            "starts_at",
            "journalists_may_post",
            "created_at",
            "latest_entry_text",
        ],
        [(coverage_id, live_story, started_at, True, started_at, "")],
    )
    copy(
        "live_liveentry",
        ["coverage_id", "posted_at", "author_id", "body", "is_pinned", "is_key_event"],
        (
            (
                coverage_id,
                started_at + timedelta(seconds=15 * n),
                None,
                f"<p>{sentence(rng, rng.randint(10, 40))}</p>",
                n in (3, 7),
                n % 500 == 0,
            )
            for n in range(args.live_entries)
        ),
    )
    # What the cards show of it: the newest entry's time and first line.
    LiveCoverage.objects.get(pk=coverage_id).note_latest_entry()
    step(f"live coverage with {args.live_entries:,} entries")

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE articles_article a SET search_vector =
                setweight(to_tsvector('english', a.headline), 'A')
                || setweight(to_tsvector('english', a.dek), 'B')
                || setweight(to_tsvector('english', coalesce(t.names, '')), 'B')
                || setweight(to_tsvector('english',
                       regexp_replace(a.body, '<[^>]+>', ' ', 'g')), 'C')
            FROM (
                SELECT a2.id, string_agg(tt.name, ' ') AS names
                FROM articles_article a2
                LEFT JOIN tags_taggedarticle ta ON ta.content_object_id = a2.id
                LEFT JOIN tags_tag tt ON tt.id = ta.tag_id
                GROUP BY a2.id
            ) t
            WHERE t.id = a.id
            """
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        # Statistics first: without them the planner may scan the tag links
        # once per tag for the counts (hours, not seconds).
        cursor.execute("ANALYZE")
        for migration in KEPT_COUNTS:
            cursor.execute(import_module(migration).BACKFILL)
    step("search vectors; kept counts (comment_count, published_count, report_count)")
    with connection.cursor() as cursor:
        # Autovacuum may be off: set the visibility map and statistics now.
        cursor.execute("VACUUM ANALYZE")
    step("VACUUM ANALYZE")
    print(f"Big thread: /{_story_path(big_story)}")


def _rows(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _story_path(pk: int) -> str:
    from articles.models import Article

    return Article.objects.get(pk=pk).get_absolute_url().lstrip("/")


if __name__ == "__main__":
    main()
