"""How many anonymous pages the shared page cache keeps while comments are
approved at a steady rate (about 40 a second) on a few busy stories.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 python bench/pagecache_load.py [--seconds 20]

Adds a "Page cache load" section with a few hundred stories to the database if
it is not there yet (ten of them busy: old, with a tag of their own, so no other
page shows them), starts gunicorn with production settings on it and the given
Redis, and while a thread posts and approves comments on the busy stories,
requests every page once (each is built while comments keep landing), then
keeps requesting them all. A page is "related" when its Surrogate-Key header
names a busy story; every other one is "unrelated" and should be a hit.
Prints the figures; `--json` prints them as JSON for bench/run.py.
"""

import argparse
import itertools
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION_SLUG = "page-cache-load"
BUSY_TAG = "page cache load busy thread"
HOST = "127.0.0.1"
POSTERS = 8


# --- The stories ----------------------------------------------------------------


def build_dataset(*, stories: int = 300, busy: int = 10) -> dict:
    """The load's section, stories, tags and the two accounts it uses; made
    once, found again on later runs. Django must be set up."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import ReaderProfile
    from articles.models import Article, Author, Byline, Section, Status

    section, created = Section.objects.get_or_create(
        slug=SECTION_SLUG,
        defaults={
            "name": "Page cache load",
            "description": "Stories read while comments land on others.",
        },
    )
    if created:
        author = Author.objects.create(
            name="Load Desk", slug=f"{SECTION_SLUG}-desk", bio="Writes for the load."
        )
        now = timezone.now()
        for n in range(stories):
            is_busy = n < busy
            story = Article.objects.create(
                headline=f"Harbour story number {n} for the page cache load",
                slug=f"{SECTION_SLUG}-{n}",
                dek="A story read while readers comment on other stories.",
                body="<p>The council meets on Thursday to decide the harbour.</p>",
                section=section,
                status=Status.PUBLISHED,
                # The busy stories are old: off the front and section pages.
                published_at=now - timedelta(days=60 if is_busy else 0, minutes=n),
            )
            Byline.objects.create(article=story, author=author, position=0)
            story.tags.set([BUSY_TAG] if is_busy else [f"load topic {n % 12}"])
    users = get_user_model()
    moderator, _ = users.objects.get_or_create(
        username=f"{SECTION_SLUG}-moderator",
        defaults={"is_staff": True, "is_superuser": True},
    )
    reader, _ = users.objects.get_or_create(username=f"{SECTION_SLUG}-reader")
    ReaderProfile.objects.get_or_create(
        user=reader, defaults={"display_name": "Load Reader"}
    )
    listed = list(
        Article.objects.published()
        .filter(section=section)
        .select_related("section")
        .prefetch_related("tagged_items__tag")
        .order_by("-published_at")
    )
    busy_stories = [
        story for story in listed if BUSY_TAG in {tag.name for tag in story.tag_list}
    ]
    return {
        "busy": [story.pk for story in busy_stories],
        "paths": pages_to_read(section, listed),
        "moderator": moderator.pk,
        "reader": reader.pk,
    }


def pages_to_read(section, listed) -> list[str]:
    """Every story page, the section's first pages and every tag page."""
    paths = ["/", section.get_absolute_url(), f"{section.get_absolute_url()}?page=2"]
    paths += [story.get_absolute_url() for story in listed]
    tags = {tag.pk: tag for story in listed for tag in story.tag_list}
    paths += [tag.get_absolute_url() for tag in tags.values()]
    return paths


def comment_approver(*, busy: list[int], moderator: int, reader: int) -> Callable:
    """Post a comment on the next busy story and approve it, as a moderator
    would: the approval invalidates that story's pages."""
    from django.contrib.auth import get_user_model

    from comments.models import Comment, CommentStatus, ModerationLog
    from comments.services import comment_moderate

    users = get_user_model()
    by, author = users.objects.get(pk=moderator), users.objects.get(pk=reader)
    stories = itertools.cycle(busy)

    def approve() -> None:
        comment = Comment.objects.create(
            article_id=next(stories),
            author=author,
            body=f"A reader's view on the harbour, number {secrets.token_hex(4)}.",
            status=CommentStatus.PENDING,
        )
        Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
        comment_moderate(
            comments=Comment.objects.filter(pk=comment.pk),
            action=ModerationLog.Action.APPROVE,
            by=by,
        )

    return approve


# --- The load -------------------------------------------------------------------


class CommentLoad(threading.Thread):
    """Calls `approve` `rate` times a second until stopped (never in bursts to
    catch up: a slow approval delays the next)."""

    def __init__(self, approve: Callable[[], None], rate: float):
        super().__init__(daemon=True)
        self.approve, self.rate = approve, rate
        self.stopping = threading.Event()
        self.done = 0
        self.failure: BaseException | None = None

    def run(self) -> None:
        from django.db import connection

        began = due = time.monotonic()
        try:
            while not self.stopping.is_set():
                self.approve()
                self.done += 1
                # Behind schedule, carry on from now rather than in a burst.
                due = max(due + 1 / self.rate, time.monotonic())
                self.stopping.wait(due - time.monotonic())
        except BaseException as error:  # reported by the caller, never lost
            self.failure = error
        finally:
            self.seconds = time.monotonic() - began
            connection.close()

    def stop(self) -> float:
        """Stop and return the comments approved per second."""
        self.stopping.set()
        self.join(timeout=30)
        if self.failure is not None:
            raise RuntimeError("the comment load failed") from self.failure
        return self.done / max(self.seconds, 0.001)


@dataclass
class Tally:
    requests: int = 0
    hits: int = 0

    def add(self, hit: bool) -> None:
        self.requests += 1
        self.hits += hit

    @property
    def ratio(self) -> float:
        return self.hits / self.requests if self.requests else 0.0


@dataclass
class Result:
    seconds: float
    comments_per_second: float
    pages: int
    unrelated_pages: int
    fresh_unrelated_kept: int
    unrelated: Tally = field(default_factory=Tally)
    related: Tally = field(default_factory=Tally)

    @property
    def all_pages(self) -> Tally:
        return Tally(
            self.unrelated.requests + self.related.requests,
            self.unrelated.hits + self.related.hits,
        )

    def as_dict(self) -> dict:
        return asdict(self) | {
            "unrelated_ratio": self.unrelated.ratio,
            "related_ratio": self.related.ratio,
            "all_ratio": self.all_pages.ratio,
        }

    def summary(self) -> str:
        return (
            f"{self.comments_per_second:.1f} comments/s approved for "
            f"{self.seconds:.0f} s; fresh unrelated pages kept: "
            f"{self.fresh_unrelated_kept} of {self.unrelated_pages}; hit ratio: "
            f"unrelated {self.unrelated.ratio:.1%} of {self.unrelated.requests}, "
            f"related {self.related.ratio:.1%} of {self.related.requests}, "
            f"all {self.all_pages.ratio:.1%} of {self.all_pages.requests}"
        )


def get(base: str, path: str, host: str) -> tuple[bool, set[str]]:
    """Whether the page was a hit, and the keys it names."""
    request = urllib.request.Request(base + path, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        keys = set(response.headers.get("Surrogate-Key", "").split())
        return response.headers.get("X-Cache") == "HIT", keys


def measure(
    *,
    base: str,
    paths: list[str],
    busy: list[int],
    approve: Callable[[], None],
    seconds: float,
    rate: float = 40,
    host: str = HOST,
) -> Result:
    """Read `paths` from the server at `base` while `approve` runs `rate`
    times a second: once each (every page built under load), then over and
    over for `seconds`."""
    from pagecache import keys

    busy_keys = set(keys.many(keys.story, busy))
    # The first page works out the trending strip, which every page shows:
    # settle it before the load, as on a site that has been up a while.
    get(base, "/search/?q=harbour", host)
    # Several posters, as several moderators: one approval waits about 30 ms
    # on its commits, longer than the 25 ms a single poster would have.
    loads = [CommentLoad(approve, rate / POSTERS) for _ in range(POSTERS)]
    for load in loads:
        load.start()
    try:
        time.sleep(1)  # the comments are landing before the first page is built
        order = random.Random(13).sample(paths, len(paths))
        unrelated = set()
        for path in order:
            _, keys = get(base, path, host)
            if not keys & busy_keys:
                unrelated.add(path)
        started, rounds, tallies = time.monotonic(), 0, {True: Tally(), False: Tally()}
        fresh_kept = 0
        while time.monotonic() - started < seconds or rounds == 0:
            for path in order:
                hit, keys = get(base, path, host)
                tallies[bool(keys & busy_keys)].add(hit)
                if rounds == 0 and path in unrelated:
                    fresh_kept += hit
            rounds += 1
        elapsed = time.monotonic() - started
    finally:
        comments_per_second = sum([load.stop() for load in loads])
    return Result(
        seconds=elapsed,
        comments_per_second=comments_per_second,
        pages=len(paths),
        unrelated_pages=len(unrelated),
        fresh_unrelated_kept=fresh_kept,
        unrelated=tallies[False],
        related=tallies[True],
    )


# --- On its own -----------------------------------------------------------------


SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
    "NEWSROOM_REQUEST_LOG_LEVEL": "WARNING",
}


def serve(env: dict, port: int) -> subprocess.Popen:
    """gunicorn as bench/run.py starts it: 2 gthread workers x 4 threads."""
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "newsroom.wsgi"]
        + ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=40, help="comments a second")
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL is required: the load measures the shared cache.")
    # Keys of their own in Redis, so earlier runs' pages are not counted.
    os.environ.setdefault("NEWSROOM_CACHE_PREFIX", f"pcload-{os.getpid()}")
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    static_root = tempfile.mkdtemp(prefix="newsroom-static-")
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    dataset = build_dataset(stories=args.stories)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        check=True,
    )
    server = serve(os.environ.copy(), args.port)
    try:
        result = measure(
            base=f"http://127.0.0.1:{args.port}",
            paths=dataset["paths"],
            busy=dataset["busy"],
            approve=comment_approver(
                busy=dataset["busy"],
                moderator=dataset["moderator"],
                reader=dataset["reader"],
            ),
            seconds=args.seconds,
            rate=args.rate,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    print(json.dumps(result.as_dict()) if args.json else result.summary())


if __name__ == "__main__":
    main()
