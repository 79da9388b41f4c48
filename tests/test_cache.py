"""The cache the product runs on: Redis in production (core.cache.RedisCache), local memory
embedded; the window counter the intake throttle counts with, on both."""

import threading
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from core.cache import count_in_window

on_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the Redis backend: the services suite (REDIS_URL set)"
)


def test_concurrent_hits_are_each_counted_once():
    key = f"test-window:{uuid.uuid4().hex}"
    counts: list[int] = []
    lock = threading.Lock()

    def hit(times: int) -> None:
        mine = [count_in_window(key, 60) for _ in range(times)]
        with lock:
            counts.extend(mine)

    threads = [threading.Thread(target=hit, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 201))
    assert cache.get(key) == 200


def test_a_window_starts_again_from_one_once_it_has_expired():
    key = f"test-window:{uuid.uuid4().hex}"
    assert [count_in_window(key, 1) for _ in range(3)] == [1, 2, 3]
    time.sleep(1.2)
    assert count_in_window(key, 1) == 1


@on_redis
def test_the_window_expires_from_its_first_hit_not_its_last():
    key = f"test-window:{uuid.uuid4().hex}"
    count_in_window(key, 30)
    client = cache._cache.get_client(write=True)
    stored = cache.make_and_validate_key(key)
    client.expire(stored, 5)  # as if 25 of the 30 seconds had passed
    count_in_window(key, 30)
    assert 0 < client.ttl(stored) <= 5


@on_redis
def test_one_redis_client_serves_every_cache_call_of_a_thread():
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("test-client", 1)
    cache.get_many(["test-client", "other"])
    assert cache._cache.get_client() is cache._cache.get_client("test-client")
    assert cache.get("test-client") == 1
