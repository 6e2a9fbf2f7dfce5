"""The shared page cache: whole anonymous pages, and fragments for everyone,
each entry kept with the surrogate keys it depends on.

A view names what its page shows with `depends_on(request, keys.story(12), ...)`
(every key is built in pagecache/keys.py). A change names what it touched
with `invalidate(keys.story(12), ...)` (pagecache/signals.py turns the owning
apps' signals into these calls): every key
gets a new version token, so every entry that was built on the old token is
stale at once, in every web process sharing the cache (Redis in production).
The same keys go out in the `Surrogate-Key` header and to the CDN purge hook.

A change also moves a site-wide count of changes on by one, and each new token
carries the count its change brings and the time it was made. A page notes the
count before it is built; at store time it reads the tokens of its own keys
and is kept unless one of them carries a higher count (its own story changed
meanwhile, so it may show old news under a new token). Changes to keys it does
not show never stop it being kept. Read from a replica, it is not kept either
while one of its keys changed less than the replica's allowed lag ago.

A hit costs one round trip while the count has not moved since the entry was
last checked; after a change anywhere, the first hit also reads the entry's
tokens and stamps the entry with the new count (three round trips).

An entry is also never kept past the next scheduled go-live, so a story set to
publish at nine is on the cached front page at nine.
"""

import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.cache import is_reachable, on_recovery
from pagecache import tasks
from pagecache.keys import SCHEDULE

try:
    from redis import RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    RedisError = OSError
# A cache that cannot be reached is a cache miss, never an error page.
CACHE_ERRORS = (RedisError, OSError)
logger = logging.getLogger(__name__)

# The count of changes so far (an integer, moved on by every invalidation).
GENERATION = "pc:changes"
_NONE_YET = 0  # no count yet: no change, or the count was evicted
NEXT_GO_LIVE = "pc:next-go-live"
_NO_GO_LIVE = "none"


def _version_key(key: str) -> str:
    return f"pc:v:{key}"


def _paths_key(key: str) -> str:
    return f"pc:paths:{key}"


# --- What a page depends on -----------------------------------------------------


def depends_on(request, *keys: str) -> None:
    """Record that the page being built for `request` shows what `keys` name."""
    request.surrogate_keys = getattr(request, "surrogate_keys", set()) | set(keys)


def expires_at(request, moment: datetime | None) -> None:
    """The page changes by itself at `moment` (a thread closing, say)."""
    if moment is None:
        return
    current = getattr(request, "cache_expires", None)
    request.cache_expires = moment if current is None else min(current, moment)


def depends(*keys: str) -> Callable:
    """Decorate a view whose pages depend on fixed keys (feeds, sitemaps)."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            depends_on(request, *keys)
            return view(request, *args, **kwargs)

        wrapped.__name__ = getattr(view, "__name__", type(view).__name__)
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


# --- Invalidation ---------------------------------------------------------------


def invalidate(*keys: str) -> None:
    """Make every entry that depends on `keys` stale once the current
    transaction commits (at once outside one), and purge them from the CDN."""
    keys = {key for key in keys if key}
    if keys:
        transaction.on_commit(lambda: _flush(keys))


def _flush(keys: set[str]) -> None:
    try:
        _bump(keys)
    except CACHE_ERRORS:
        # The change is committed; pages kept meanwhile age out by their TTL.
        logger.exception("Could not invalidate %s in the cache", sorted(keys))
    if not is_reachable(cache):
        # Redis took no new tokens (core/cache.py dropped them): give them
        # when it is back, or pages kept from before would be served as fresh.
        with _unflushed_lock:
            _unflushed.update(keys)


_unflushed: set[str] = set()
_unflushed_lock = threading.Lock()


def _flush_unflushed() -> None:
    with _unflushed_lock:
        keys = set(_unflushed)
        _unflushed.clear()
    if keys:
        _flush(keys)


on_recovery(_flush_unflushed)


def _bump(keys: set[str]) -> None:
    if SCHEDULE in keys:
        cache.delete(NEXT_GO_LIVE)
        keys = keys - {SCHEDULE}
    if not keys:
        return
    # The tokens are written before the count moves past them: a page checked
    # against the old tokens under the new count would be served as fresh.
    # Each token carries the count this change brings: only a page that read
    # a count at least that high before it was built is sure to show it.
    count = cache.get(GENERATION)
    made = f"{(_seed() if count is None else count) + 1}:{time.time():.3f}:"
    cache.set_many(
        {_version_key(key): made + secrets.token_hex(8) for key in keys},
        timeout=None,
    )
    _count_change()
    tasks.schedule(keys=sorted(keys), paths=_registered_paths(keys))


def _seed() -> int:
    """Where the count starts: past every count a token already carries, as
    long as changes come slower than a thousand a second on average."""
    return int(time.time() * 1000)


def _count_change() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:  # the first change, or the count was evicted
        if not cache.add(GENERATION, _seed() + 1, timeout=None):
            # Another process started it meanwhile; or the cache is
            # unreachable, and _flush gives the change again on recovery.
            with contextlib.suppress(ValueError):
                cache.incr(GENERATION)


def _made(token: str | None) -> tuple[int, float]:
    """The count a token's change brings, and when it was made (0 for none)."""
    count, _, rest = (token or "").partition(":")
    at, _, _ = rest.partition(":")
    try:
        return int(count), float(at)
    except ValueError:  # no token, or one from before tokens carried these
        return 0, 0.0


def _register_paths(keys: Iterable[str], path: str) -> None:
    """Remember which addresses show each key, for URL-based CDN purges."""
    keys = list(keys)
    known = cache.get_many([_paths_key(key) for key in keys])
    limit = settings.NEWSROOM_PURGE_MAX_PATHS
    updated = {}
    for key in keys:
        paths = known.get(_paths_key(key), [])
        if path not in paths:
            updated[_paths_key(key)] = [*paths, path][-limit:]
    if updated:
        cache.set_many(updated, timeout=None)


def _registered_paths(keys: Iterable[str]) -> list[str]:
    found = cache.get_many([_paths_key(key) for key in keys])
    return sorted({path for paths in found.values() for path in paths})


# --- Entries --------------------------------------------------------------------


def _current_tokens(keys: Iterable[str]) -> dict[str, str | None]:
    keys = list(keys)
    found = cache.get_many([_version_key(key) for key in keys])
    return {key: found.get(_version_key(key)) for key in keys}


def _lookup(cache_key: str) -> tuple[dict | None, int]:
    """The entry under `cache_key` if it is still fresh, and the count of
    changes; one round trip to the cache when nothing changed anywhere since
    the entry was last checked."""
    stamp_key = f"{cache_key}:checked"
    found = cache.get_many([cache_key, stamp_key, GENERATION])
    entry, generation = found.get(cache_key), found.get(GENERATION, _NONE_YET)
    if entry is None or found.get(stamp_key) == generation:
        return entry, generation
    # Something changed somewhere: is it something this entry shows?
    if _current_tokens(entry["tokens"]) != entry["tokens"]:
        return None, generation
    # No. Remember that the entry was good at this count. (A change landing
    # meanwhile moves the count on after its tokens, so this stamp is never
    # matched again.)
    cache.set(stamp_key, generation, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return entry, generation


def seconds_to_keep(until: datetime | None = None) -> int:
    """How long an entry may live: the setting, cut short by the next
    scheduled go-live and by `until`."""
    longest = settings.NEWSROOM_PAGE_CACHE_SECONDS
    moments = [moment for moment in (next_go_live(), until) if moment is not None]
    if not moments:
        return longest
    remaining = (min(moments) - timezone.now()).total_seconds()
    return max(0, min(longest, int(remaining)))


# Where the next go-live time comes from: the apps whose pages change by
# themselves at a known time name it (articles/apps.py: a scheduled story;
# live/apps.py: coverage starting or ending), so this module knows no app's
# models. Each source gives a query of at most one moment; all are read in
# one query.
_go_live_sources: list[Callable[[], QuerySet]] = []


def go_live_from(source: Callable[[], QuerySet]) -> None:
    """Also take the next go-live time from `source`: no argument; a sliced
    `values_list(..., flat=True)` query of the next moment, if any."""
    if source not in _go_live_sources:
        _go_live_sources.append(source)


def _soonest() -> datetime | None:
    """The soonest moment of every source, in one query: each source's is a
    scalar subquery (a UNION of sliced queries is one SQLite refuses)."""
    queries = [source() for source in _go_live_sources]
    if not queries:
        return None
    if len(queries) == 1:
        return min(queries[0], default=None)
    compiled = [query.query.sql_with_params() for query in queries]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in compiled)
    with connections[queries[0].db].cursor() as cursor:
        cursor.execute(sql, [param for _, params in compiled for param in params])
        row = cursor.fetchone()
    return min((_moment(value) for value in row if value is not None), default=None)


def _moment(value) -> datetime:
    """A time as the database cursor gave it: SQLite's is text, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def next_go_live() -> datetime | None:
    """The soonest moment any source names; remembered until the schedule
    changes (saving any story, starting or ending coverage invalidates
    SCHEDULE)."""
    moment = cache.get(NEXT_GO_LIVE)
    if moment is None or (moment != _NO_GO_LIVE and moment <= timezone.now()):
        moment = _soonest() or _NO_GO_LIVE
        cache.set(NEXT_GO_LIVE, moment, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return None if moment == _NO_GO_LIVE else moment


def fragment(
    name: str,
    keys: Iterable[str],
    compute: Callable[[], object],
    *,
    keys_of: Callable[[object], Iterable[str]] | None = None,
):
    """A piece of a page (similar stories, say) shared by every reader,
    logged in or not, until one of `keys` changes — or one of `keys_of(value)`,
    the keys of what the computed value turned out to hold. None (nothing
    found) is never kept: whatever makes it something may announce no key."""
    cache_key = f"pc:fragment:{name}"
    try:
        entry, generation = _lookup(cache_key)
    except CACHE_ERRORS:
        logger.warning("Cache unreachable; building %s without it", name)
        return compute()
    if entry is not None:
        return entry["value"]
    value = compute()
    if value is None:
        return None
    if keys_of is not None:
        keys = [*keys, *keys_of(value)]
    try:
        _store(cache_key, {"value": value}, keys, generation, seconds_to_keep())
    except CACHE_ERRORS:
        logger.warning("Cache unreachable; %s not kept", name)
    return value


def _store(cache_key, entry, keys, generation, timeout) -> bool:
    """Keep `entry`, built after the count of changes was `generation`, unless
    one of its `keys` changed since (or, on a replica, just before)."""
    if timeout <= 0:
        return False
    tokens = _current_tokens(set(keys))
    made = [_made(token) for token in tokens.values()]
    if any(count > generation for count, _ in made):
        return False
    newest = max((at for _, at in made), default=0.0)
    lag = settings.NEWSROOM_REPLICA_MAX_LAG_SECONDS
    if settings.NEWSROOM_READ_REPLICA and time.time() - newest < lag:
        # Read from a replica that may not have the change yet: build it again
        # later rather than keep old news under new keys.
        return False
    entry["tokens"] = tokens
    cache.set_many({cache_key: entry, f"{cache_key}:checked": generation}, timeout)
    return True


def changes_so_far() -> int | None:
    """The count of changes, to note before reading what fragments will show
    (None when the cache cannot be reached)."""
    try:
        return cache.get(GENERATION, _NONE_YET)
    except CACHE_ERRORS:
        return None


def fragments(
    wanted: dict[str, Iterable[str]],
    build: Callable[[list[str]], dict[str, object]],
    *,
    read_after: int | None,
) -> dict[str, object]:
    """Many fragments at once (the story cards of a listing), each under its
    name and kept until one of its keys changes: one round trip to read them
    all while nothing changed, one to keep those `build` made for the names
    missing. `wanted` maps each name to its keys; `build` takes the missing
    names and returns their values, built from data read after the count of
    changes was `read_after` (changes_so_far()): a fragment one of whose keys
    changed since may show old news, and is not kept."""
    names = {name: f"pc:fragment:{name}" for name in wanted}
    try:
        values, _ = _lookup_many(names)
    except CACHE_ERRORS:
        logger.warning(
            "Cache unreachable; building %d fragments without it", len(names)
        )
        return build(list(wanted))
    missing = [name for name in wanted if name not in values]
    if not missing:
        return values
    built = build(missing)
    values.update(built)
    if read_after is None:
        return values
    try:
        _store_many(
            {names[name]: (built[name], wanted[name]) for name in missing},
            read_after,
            seconds_to_keep(),
        )
    except CACHE_ERRORS:
        logger.warning("Cache unreachable; %d fragments not kept", len(missing))
    return values


def _lookup_many(names: dict[str, str]) -> tuple[dict[str, object], int]:
    """`_lookup` for many entries: the fresh values by name, and the count."""
    stamps = {cache_key: f"{cache_key}:checked" for cache_key in names.values()}
    found = cache.get_many([*names.values(), *stamps.values(), GENERATION])
    generation = found.get(GENERATION, _NONE_YET)
    values, unchecked = {}, {}
    for name, cache_key in names.items():
        entry = found.get(cache_key)
        if entry is None:
            continue
        if found.get(stamps[cache_key]) == generation:
            values[name] = entry["value"]
        else:
            unchecked[name] = entry
    if unchecked:
        # Something changed somewhere: read every token these entries need at once.
        tokens = _current_tokens(
            {key for entry in unchecked.values() for key in entry["tokens"]}
        )
        good = {}
        for name, entry in unchecked.items():
            if all(tokens[key] == token for key, token in entry["tokens"].items()):
                values[name] = entry["value"]
                good[stamps[names[name]]] = generation
        if good:
            cache.set_many(good, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return values, generation


def _store_many(
    entries: dict[str, tuple[object, Iterable[str]]], generation, timeout
) -> None:
    """`_store` for many entries (cache key: value and keys), in two round trips."""
    if timeout <= 0:
        return
    entries = {
        cache_key: (value, set(keys)) for cache_key, (value, keys) in entries.items()
    }
    tokens = _current_tokens({key for _, keys in entries.values() for key in keys})
    lag = settings.NEWSROOM_REPLICA_MAX_LAG_SECONDS
    kept = {}
    for cache_key, (value, keys) in entries.items():
        made = [_made(tokens[key]) for key in keys]
        if any(count > generation for count, _ in made):
            continue
        newest = max((at for _, at in made), default=0.0)
        if settings.NEWSROOM_READ_REPLICA and time.time() - newest < lag:
            continue
        kept[cache_key] = {"value": value, "tokens": {key: tokens[key] for key in keys}}
        kept[f"{cache_key}:checked"] = generation
    if kept:
        cache.set_many(kept, timeout)
