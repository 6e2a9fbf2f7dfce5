"""Load every public page type with wrk through gunicorn, next to a fixed
30 KB "ceiling" page served by the same server and middleware, and measure
each page in process (milliseconds, SQL queries, bytes). Writes
bench/RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        python bench/run.py [--seconds 10]

Run bench/generate.py first (``make bench`` does both).
"""

import argparse
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
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
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
        "ceiling (fixed 30 KB)": ("/bench/ceiling/", "anonymous"),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it).")

    static_root = tempfile.mkdtemp(prefix="newsroom-static-")
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    env = os.environ | SERVER_ENV
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    targets = pages()
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
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
        env=env,
    )
    try:
        for _ in range(60):
            if (
                subprocess.run(
                    [
                        "curl",
                        "-sf",
                        "-o",
                        "/dev/null",
                        f"http://127.0.0.1:{PORT}/bench/ceiling/",
                    ]
                ).returncode
                == 0
            ):
                break
            time.sleep(0.5)
        loaded = {}
        for name, (path, who) in targets.items():
            if who == "staff":
                continue
            url = f"http://127.0.0.1:{PORT}{path}"
            wrk(url, 2)  # warm up
            loaded[name] = wrk(url, args.seconds)
            print(f"{name:32} {loaded[name]['rps']:8.1f} req/s", flush=True)
        rss = worker_rss_mb(server.pid)
        total_requests = sum(result["requests"] for result in loaded.values())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    try:
        measured = in_process(targets, rounds=args.rounds)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    write_results(args, targets, loaded, measured, rss, total_requests)


def write_results(args, targets, loaded, measured, rss, total_requests) -> None:
    ceiling = loaded["ceiling (fixed 30 KB)"]["rps"]
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
        f"Python {platform.python_version()}, PostgreSQL on the same machine",
        "- Command: `make bench` (bench/generate.py, then bench/run.py "
        f"--seconds {args.seconds})",
        "- Server: gunicorn, 2 gthread workers × 4 threads, production settings "
        "(DEBUG off, whitenoise); load: wrk, 2 threads, 8 connections, "
        f"{args.seconds} s per page after a 2 s warm-up",
        "- Data: 100,000 stories over ten years, 20 sections, 500 authors, "
        "5,000 tags (long tail, near-duplicates), 1,000,000 comments with nested "
        "replies (10,000 on one story), 2,000 images",
        "",
        "Every page below is **uncached** on the server: the shared page cache of "
        "issue 8 is not built yet, so there is no cached column.",
        "",
        "| page | req/s | ratio to ceiling | p50 ms | p99 ms | in-process ms "
        "| SQL queries | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in targets:
        result = loaded.get(name)
        inner = measured[name]
        if result:
            load = (
                f"{result['rps']:.0f} | {result['rps'] / ceiling:.3f} | "
                f"{result['p50']:.1f} | {result['p99']:.1f}"
            )
        else:
            load = "– | – | – | –"
        lines.append(
            f"| {name} | {load} | {inner['ms']:.1f} | {inner['queries']} "
            f"| {inner['bytes']:,} |"
        )
    lines += [
        "",
        f"Worker memory (RSS) after {total_requests:,} requests: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss),
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
