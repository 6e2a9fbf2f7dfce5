"""Time one or more pages in process, uncached, as bench/run.py measures them,
and print the SQL of each request with its time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        python bench/page_profile.py [--sql] [--explain] [--rounds 5] [--warm]
        [--reader] [--cprofile N] [page names or paths]

By default every cache is emptied before each request. --warm keeps the
caches (fragments) between rounds and turns the whole-page cache off, the
"page cache off, fragments warm" case; --reader fetches the anonymous pages
as a logged-in reader (never page-cached: every commenter). Everything runs
in one transaction that is rolled back, so logging in writes nothing to the
shared benchmark database.
"""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print every query")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest")
    parser.add_argument(
        "--warm", action="store_true", help="page cache off, fragments warm"
    )
    parser.add_argument("--reader", action="store_true", help="as a logged-in reader")
    parser.add_argument(
        "--cprofile",
        type=int,
        metavar="N",
        default=0,
        help="print the N functions with the most own time over the rounds",
    )
    args = parser.parse_args()
    static_root = tempfile.mkdtemp(prefix="newsroom-static-")
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=run.ROOT,
        env=os.environ | run.SERVER_ENV,
        check=True,
    )
    try:
        measure(args, run.pages())
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def measure(args, targets: dict) -> None:
    from django.db import transaction

    with transaction.atomic():
        measure_in_transaction(args, targets)
        transaction.set_rollback(True)


def measure_in_transaction(args, targets: dict) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    anonymous, staff = Client(), Client()
    staff.force_login(users.filter(is_superuser=True).first())
    if args.reader:
        anonymous.force_login(users.filter(is_staff=False, is_active=True).first())
    if args.warm:
        settings.NEWSROOM_PAGE_CACHE = False
    chosen = {
        name: target
        for name, target in targets.items()
        if not args.pages or any(p in name for p in args.pages)
    }
    chosen |= {p: (p, "anonymous") for p in args.pages if p.startswith("/")}
    for name, (path, who) in chosen.items():
        client = staff if who == "staff" else anonymous
        timings, cpu = [], []
        profiler = cProfile.Profile() if args.cprofile else None
        for n in range(args.rounds + 1):
            if not args.warm or not n:
                cache.clear()  # uncached: the page cache lives in the default cache
            with CaptureQueriesContext(connection) as captured:
                if profiler and n:
                    profiler.enable()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                elapsed_cpu = (time.process_time() - start_cpu) * 1000
                if profiler:
                    profiler.disable()
            assert response.status_code == 200, (name, response.status_code)
            if n:
                timings.append(elapsed)
                cpu.append(elapsed_cpu)
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        # Python's own time (CPU) is steadier than wall time on a busy machine.
        print(
            f"{name:32} {statistics.median(timings):8.1f} ms  "
            f"{statistics.median(cpu):6.1f} ms CPU  "
            f"{len(captured):3} queries  {sql_ms:7.1f} ms in SQL (last round)"
        )
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("tottime")
            stats.print_stats(args.cprofile)
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        if args.sql:
            for query in captured.captured_queries:
                print(f"   {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        if args.explain and queries and queries[0]["sql"].startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries[0]["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
