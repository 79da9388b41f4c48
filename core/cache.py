"""The Redis cache backend, and a counter per time window that costs one round trip.

Django's RedisCache builds a new `redis.Redis` for every cache call, and building one fills
its table of about 170 response callbacks: a profile of the signed webhook (bench/intake.py)
spent more time there than in the cache's own round trips. A `redis.Redis` is safe to share
over its connection pool, so this backend keeps one per pool. Everything else (keys, the
serializer, pools, several servers) is Django's.

`count_in_window` is the intake throttle's counter: on Redis one pipeline of SET NX EX (the
window's first hit starts it at 0 with its expiry) and INCR; Django's own incr checks that the
key exists first (two round trips) and cannot set an expiry. Other backends (the embedded
mode's local memory) take the portable path: add, else incr.

`WindowAllowance` takes admissions from such a counter in blocks, so that a busy caller
pays the round trip once per block rather than once per hit (the throttle of the signed
webhook, whose round trip was a tenth of a delivery's time in bench/intake.py).

`get_many_or_set` is cache.get_or_set for several keys in one round trip: a page that reads
several cached values (the directory's departments, skills, counts and generation) pays one
round trip for them, not one each.

`push_and_claim` and `pop_ids` hold the queues of core.after_commit.enqueue_id_coalesced:
Redis lists, which only this backend offers.
"""

import threading

from django.core.cache import cache as default_cache
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool, made on first use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_in_window(self, key: str, timeout: int, amount: int = 1) -> int:
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incrby(key, amount)
        return pipeline.execute()[1]

    def push_and_claim(self, queue: str, item: int, claim: str, timeout: int) -> bool:
        pipeline = self.get_client(queue, write=True).pipeline(transaction=False)
        pipeline.rpush(queue, item)
        pipeline.set(claim, 1, ex=timeout, nx=True)
        return bool(pipeline.execute()[1])

    def pop_ids(self, queue: str, count: int) -> list[int]:
        return [int(item) for item in self.get_client(queue, write=True).lpop(queue, count) or ()]


class RedisCache(django_redis.RedisCache):
    """`CACHES["default"]["BACKEND"]` with REDIS_URL (config/caches.py)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_in_window(self, key: str, timeout: int, amount: int = 1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count_in_window(key, timeout, amount)

    def push_and_claim(self, queue: str, item: int, claim: str, timeout: int) -> bool:
        """Append `item` to the list `queue` and, in the same round trip, set `claim` for
        `timeout` seconds if it is not set: True when this call set it."""
        return self._cache.push_and_claim(
            self.make_and_validate_key(queue),
            item,
            self.make_and_validate_key(claim),
            timeout,
        )

    def pop_ids(self, queue: str, count: int) -> list[int]:
        """Up to `count` ids from the head of the list `queue`, taken out of it."""
        return self._cache.pop_ids(self.make_and_validate_key(queue), count)


def get_many_or_set(wanted: dict, cache=default_cache) -> dict:
    """{key: cache.get_or_set(key, default, timeout)} for `wanted` ({key: (default, timeout)},
    a default being a value or a callable that makes it), in one round trip when every key
    is there. A missing key is added as get_or_set adds it (cache.add, then what is there:
    concurrent callers agree on one value)."""
    found = cache.get_many(list(wanted))
    for key, (default, timeout) in wanted.items():
        if key not in found:
            found[key] = cache.get_or_set(key, default, timeout)
    return found


def count_in_window(key: str, timeout: int, cache=default_cache, amount: int = 1) -> int:
    """Add `amount` to the counter `key`, which exists for `timeout` seconds from its first
    hit; the new count. Safe under concurrent callers: no hit is lost or counted twice."""
    in_one_trip = getattr(cache, "count_in_window", None)  # `cache` may be Django's proxy
    if in_one_trip is not None:
        return in_one_trip(key, timeout, amount)
    try:
        return cache.incr(key, amount)
    except ValueError:  # the window's first hit, or a race for it
        if cache.add(key, amount, timeout):
            return amount
        try:
            return cache.incr(key, amount)
        except ValueError:  # gone again between the two calls: a new window
            return amount


class WindowAllowance:
    """At most `limit` admissions per key and fixed window, across every process, from a
    `count_in_window` counter; each process takes up to `block` admissions in one round
    trip and spends them locally within that window.

    The shared counter only ever hands out admissions numbered up to the limit, so no more
    than `limit` are admitted in a window, whatever the number of processes. What a block
    costs is the other way: admissions a process took and did not spend before the window
    ended were refused to the others, at most `block - 1` per process and window. The block
    is therefore a small share of the limit: `limit // 100`, at least 1 (exact counting)
    and at most `most`."""

    def __init__(self, most: int = 16):
        self.most = most
        self._lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        """Drop what this process holds (the tests' fresh start: their windows repeat)."""
        self._window = None
        self._left: dict[str, int] = {}
        self._refused: set[str] = set()

    def admit(self, key: str, limit: int, window: int, timeout: int, cache=default_cache):
        """True when one more hit on `key` in `window` (a number that grows with time) is
        within `limit`. The counter lives `timeout` seconds. Once the shared counter has
        refused a process in a window, that process refuses the key's further hits in it
        without asking: the counter only grows within a window, and a flood past the limit
        costs no round trips."""
        with self._lock:
            if window != self._window:  # what was left of the last window is gone with it
                self._window, self._left, self._refused = window, {}, set()
            left = self._left.get(key, 0)
            if left:
                self._left[key] = left - 1
                return True
            if key in self._refused:
                return False  # this window is spent: refused without a round trip
        block = max(1, min(self.most, limit // 100))
        count = count_in_window(f"{key}:{window}", timeout, cache=cache, amount=block)
        granted = min(block, limit - (count - block))
        if granted <= 0:
            with self._lock:
                if window == self._window:
                    self._refused.add(key)
            return False
        if granted > 1:
            with self._lock:
                if window == self._window:
                    self._left[key] = self._left.get(key, 0) + granted - 1
        return True
