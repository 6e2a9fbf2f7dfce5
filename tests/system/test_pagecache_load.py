"""Under a steady stream of approved comments, the shared page cache still
keeps the pages that do not show the commented stories: a shorter run of
bench/pagecache_load.py through gunicorn (production settings) and a real
Redis."""

import os

import pytest

from bench.pagecache_load import build_dataset, comment_approver, measure
from tests.servers import (
    HOST,
    TEST_REDIS_URL,
    production_servers,
    require_redis,
    run_prefix,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="gunicorn and the comment posters share one PostgreSQL database",
    ),
]


def test_pages_stay_cached_while_comments_land_on_other_stories(
    settings, tmp_path, django_db_blocker
):
    require_redis(TEST_REDIS_URL)
    prefix = run_prefix("pcload")
    # The posters in this process invalidate in the Redis the servers read.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    dataset = build_dataset(stories=40, busy=5)
    with production_servers(
        django_db_blocker,
        tmp_path,
        workers=2,
        threads=2,
        cache_prefix=prefix,
    ) as (server,):
        result = measure(
            base=server.base,
            paths=dataset["paths"],
            busy=dataset["busy"],
            approve=comment_approver(
                busy=dataset["busy"],
                moderator=dataset["moderator"],
                reader=dataset["reader"],
            ),
            seconds=5,
            rate=40,
            host=HOST,
        )

    # The load was real: comments kept landing, and the busy stories' own
    # pages kept going stale on the servers.
    assert result.comments_per_second > 15, result.summary()
    assert result.related.requests > 0 and result.related.ratio < 0.5, result.summary()
    # Pages built while comments landed elsewhere were kept...
    assert result.fresh_unrelated_kept > 0.9 * result.unrelated_pages, result.summary()
    # ...and served from the cache from then on.
    assert result.unrelated.ratio > 0.9, result.summary()
