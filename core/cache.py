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

`push_and_claim` and `pop_ids` hold the queues of core.after_commit.enqueue_id_coalesced:
Redis lists, which only this backend offers.
"""

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

    def count_in_window(self, key: str, timeout: int) -> int:
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
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

    def count_in_window(self, key: str, timeout: int, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count_in_window(key, timeout)

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


def count_in_window(key: str, timeout: int, cache=default_cache) -> int:
    """Add one to the counter `key`, which exists for `timeout` seconds from its first hit;
    the new count. Safe under concurrent callers: no hit is lost or counted twice."""
    in_one_trip = getattr(cache, "count_in_window", None)  # `cache` may be Django's proxy
    if in_one_trip is not None:
        return in_one_trip(key, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the window's first hit, or a race for it
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # gone again between the two calls: a new window
            return 1
