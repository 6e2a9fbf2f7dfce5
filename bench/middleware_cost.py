"""What each middleware costs: the fixed ceiling page (and any other path)
through Django's handler in this process, with the whole MIDDLEWARE list and
with each middleware left out in turn; prints the CPU microseconds each one
adds per request (median of interleaved repetitions).

    DJANGO_DEBUG=0 python bench/middleware_cost.py [--path /bench/ceiling/]

No server, no load generator: the figure is the middleware's own work for an
anonymous reader, the request that a page-cache hit or a built page both pay.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import SERVER_ENV  # noqa: E402 (the benchmark's production settings)


def per_request_us(handler, factory, path: str, requests: int) -> float:
    start = time.process_time()
    for _ in range(requests):
        response = handler.get_response(factory.get(path))
        assert response.status_code in {200, 301, 302}, response.status_code
    return (time.process_time() - start) * 1e6 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/bench/ceiling/")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.base import BaseHandler
    from django.test import RequestFactory
    from django.test.utils import override_settings

    def handler(middleware):
        with override_settings(MIDDLEWARE=middleware):
            built = BaseHandler()
            built.load_middleware()
        return built

    everything = list(settings.MIDDLEWARE)
    stacks = {"(all)": handler(everything), "(none)": handler([])}
    for name in everything:
        stacks[name] = handler([other for other in everything if other != name])
    factory = RequestFactory()
    for name in list(stacks):
        try:  # another middleware may need this one (auth needs sessions)
            per_request_us(stacks[name], factory, args.path, 1)
        except Exception:  # noqa: BLE001 - any failure: not removable alone
            print(f"   (needed by another middleware)  {name}")
            del stacks[name]
    samples = {name: [] for name in stacks}
    for _ in range(args.repeats):  # interleaved, so drift hits every stack alike
        for name, stack in stacks.items():
            samples[name].append(
                per_request_us(stack, factory, args.path, args.requests)
            )
    full = statistics.median(samples["(all)"])
    print(
        f"{args.path}: all middleware {full:.0f} µs a request, "
        f"none {statistics.median(samples['(none)']):.0f} µs"
    )
    saved = {
        name: full - statistics.median(samples[name])
        for name in stacks.keys() - {"(all)", "(none)"}
    }
    for name, cost in sorted(saved.items(), key=lambda item: -item[1]):
        print(f"{cost:8.0f} µs  {name}")


if __name__ == "__main__":
    main()
