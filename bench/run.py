"""Load every public page type with wrk through gunicorn, next to a fixed
30 KB "ceiling" page served by the same server and middleware, and measure
each page in process (milliseconds, SQL queries, bytes). Writes
bench/RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        python bench/run.py [--seconds 10]

Run bench/generate.py first (``make bench`` does both).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # Plain HTTP on 127.0.0.1 (HTTPS redirect and HSTS are on by default).
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
    # One log line per request would flood the terminal; the ceiling page
    # skips it too, so the ratios are unchanged.
    "NEWSROOM_REQUEST_LOG_LEVEL": "WARNING",
    "NEWSROOM_BENCH_CEILING": "1",
}


def wrk(url: str, seconds: int, connections: int = 8) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def in_process(paths: dict, *, rounds: int) -> dict:
    """Median milliseconds, queries and bytes per page through Django's test
    client, in this process, with production settings."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous, staff = Client(), Client()
    staff.force_login(get_user_model().objects.filter(is_superuser=True).first())
    measured = {}
    for name, (path, who) in paths.items():
        client = staff if who == "staff" else anonymous
        timings, queries, size = [], 0, 0
        for n in range(rounds + 2):
            cache.clear()  # the uncached case: every request does the work
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (name, path, response.status_code)
            if n >= 2:  # the first two warm up
                timings.append(elapsed)
            queries, size = len(captured), len(response.content)
        measured[name] = {
            "ms": statistics.median(timings),
            "queries": queries,
            "bytes": size,
        }
    return measured


def pages() -> dict:
    """The page of each type to load, found in the benchmark database."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Author, Section
    from tags.models import Tag

    big_story = (
        Article.objects.published().annotate(n=Count("comments")).order_by("-n").first()
    )
    tag = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n").first()
    return {
        CEILING: ("/bench/ceiling/", "anonymous"),
        "headlines": ("/", "anonymous"),
        "section": (Section.objects.first().get_absolute_url(), "anonymous"),
        "tag": (tag.get_absolute_url(), "anonymous"),
        "author": (Author.objects.first().get_absolute_url(), "anonymous"),
        "story + 10,000-comment thread": (big_story.get_absolute_url(), "anonymous"),
        "search": ("/search/?q=harbour+ferry", "anonymous"),
        "feed (RSS)": ("/feeds/latest/rss/", "anonymous"),
        "sitemap (stories)": ("/sitemap-stories.xml", "anonymous"),
        "news sitemap": ("/news-sitemap.xml", "anonymous"),
        "admin: story list": ("/admin/articles/article/", "staff"),
        "admin: moderation queue": ("/admin/comments/comment/", "staff"),
    }


def worker_rss_mb(master_pid: int) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(kb / 1024)
    return sizes


def fetch(url: str) -> dict:
    """Headers of one GET, through curl."""
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-D", "-", url],
        capture_output=True,
        text=True,
    ).stdout
    return {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in out.splitlines()[1:])
    }


class Server:
    """gunicorn with production settings, 2 gthread workers, on PORT."""

    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "newsroom.wsgi",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(60):
            if fetch(f"http://127.0.0.1:{PORT}/bench/ceiling/"):
                return self
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def load_pages(targets: dict, seconds: int, *, cached: bool) -> dict:
    loaded = {}
    for name, (path, who) in targets.items():
        if who == "staff":
            continue
        url = f"http://127.0.0.1:{PORT}{path}"
        if cached and name != CEILING:
            # Build the page and keep it; then every load must be a hit.
            for _ in range(5):
                if fetch(url).get("x-cache") == "HIT":
                    break
            else:
                raise RuntimeError(f"{name}: {path} is never served from the cache")
        wrk(url, 2)  # warm up
        loaded[name] = wrk(url, seconds)
        print(
            f"{'cached' if cached else 'uncached':9} {name:32} "
            f"{loaded[name]['rps']:8.1f} req/s",
            flush=True,
        )
    return loaded


MIXED_SCRIPT = """
paths = {%s}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def mixed(targets: dict, requests: int) -> int:
    """Mixed anonymous requests over every page type until `requests` are done;
    returns how many were."""
    paths = ", ".join(f'"{path}"' for path, who in targets.values() if who != "staff")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(MIXED_SCRIPT % paths)
    done = 0
    try:
        while done < requests:
            out = subprocess.run(
                ["wrk", "-t2", "-c8", "-d10s", "-s", script.name]
                + [f"http://127.0.0.1:{PORT}/"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            done += int(re.search(r"(\d+) requests in", out).group(1))
    finally:
        os.unlink(script.name)
    return done


CEILING = "ceiling (fixed 30 KB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it).")

    static_root = tempfile.mkdtemp(prefix="newsroom-static-")
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    env = os.environ | SERVER_ENV
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    targets = pages()
    prefix = f"bench-{os.getpid()}"
    shared = env | {"REDIS_URL": args.redis, "NEWSROOM_CACHE_PREFIX": prefix}
    try:
        with Server(shared):
            cached = load_pages(targets, args.seconds, cached=True)
        with Server(shared | {"NEWSROOM_PAGE_CACHE": "0"}) as server:
            uncached = load_pages(targets, args.seconds, cached=False)
            requests = mixed(targets, 10_000)
            rss = worker_rss_mb(server.process.pid)
        measured = in_process(targets, rounds=args.rounds)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    under_comments = comment_load(env | {"REDIS_URL": args.redis}, prefix)
    write_results(
        args, targets, cached, uncached, measured, rss, requests, under_comments
    )


def comment_load(env: dict, prefix: str) -> dict:
    """bench/pagecache_load.py on this database: the page cache's hit ratio
    while comments are approved at 40 a second."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pagecache_load.py")]
        + ["--json", "--seconds", "20", "--rate", str(COMMENT_RATE)],
        cwd=ROOT,
        env=env | {"NEWSROOM_CACHE_PREFIX": f"{prefix}-comments"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.splitlines()[-1])
    print(
        f"under comments: unrelated pages {result['unrelated_ratio']:.1%} hits, "
        f"all {result['all_ratio']:.1%}",
        flush=True,
    )
    return result


COMMENT_RATE = 40


def write_results(
    args, targets, cached, uncached, measured, rss, requests, under_comments
) -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB, "
        f"Python {platform.python_version()}, PostgreSQL and Redis on the same "
        "machine",
        "- Command: `make bench` (bench/generate.py, then bench/run.py "
        f"--seconds {args.seconds})",
        "- Server: gunicorn, 2 gthread workers × 4 threads, production settings "
        "(DEBUG off, whitenoise, Redis cache); load: wrk, 2 threads, "
        f"8 connections, {args.seconds} s per page after a 2 s warm-up",
        "- Data: 100,000 stories over ten years, 20 sections, 500 authors, "
        "5,000 tags (long tail, near-duplicates), 1,000,000 comments with nested "
        "replies (10,000 on one story), 2,000 images",
        "",
        "**Cached**: anonymous pages from the shared page cache (every load "
        "checked to be a hit first). **Uncached**: a second server with the page "
        "cache off (`NEWSROOM_PAGE_CACHE=0`); fragments (trending strip, Similar "
        "News) still come from Redis, as they do for logged-in readers. Each "
        "ratio is to the ceiling page measured by the same server. "
        "**In process**: Django's test client in one process with the whole "
        f"cache cleared before every request (the coldest case), median of "
        f"{args.rounds} requests.",
        "",
        "| page | cached req/s | ratio | p50 ms | p99 ms "
        "| uncached req/s | ratio | p50 ms | p99 ms "
        "| in-process ms | SQL queries | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def load(results, name):
        result = results.get(name)
        if not result:
            return "– | – | – | –"
        ratio = result["rps"] / results[CEILING]["rps"]
        return (
            f"{result['rps']:.0f} | {ratio:.3f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f}"
        )

    for name in targets:
        inner = measured[name]
        lines.append(
            f"| {name} | {load(cached, name)} | {load(uncached, name)} "
            f"| {inner['ms']:.1f} | {inner['queries']} | {inner['bytes']:,} |"
        )
    lines += [
        "",
        f"Worker memory (RSS) of the uncached server after {requests:,} mixed "
        "requests over every page type (and the loads above): "
        + ", ".join(f"{mb:.0f} MB" for mb in rss),
        "",
        "**Page cache under comment load** (bench/pagecache_load.py, 300 stories "
        f"in a section of their own, comments approved at {COMMENT_RATE}/s on "
        "10 of them; every page read once under load, then over and over for "
        f"20 s): {under_comments['comments_per_second']:.1f} comments/s "
        f"approved; fresh unrelated pages kept "
        f"{under_comments['fresh_unrelated_kept']} of "
        f"{under_comments['unrelated_pages']}; hit ratio for pages not showing "
        f"a commented story {under_comments['unrelated_ratio']:.1%} "
        f"({under_comments['unrelated']['requests']:,} requests), for the "
        f"commented stories' own pages {under_comments['related_ratio']:.1%}, "
        f"for all pages {under_comments['all_ratio']:.1%}.",
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
