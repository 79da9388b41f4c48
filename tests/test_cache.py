"""The cache the product runs on: Redis in production (core.cache.RedisCache), local memory
embedded; the window counter the intake throttle counts with, and several values read in
one round trip (get_many_or_set), on both."""

import threading
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from core.cache import WindowAllowance, count_in_window, get_many_or_set

on_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the Redis backend: the services suite (REDIS_URL set)"
)


def _from_threads(call, times: int, threads: int = 8) -> list:
    """What `call()` returned, `times` in each of `threads` threads running at once."""
    results: list = []
    lock = threading.Lock()

    def hit() -> None:
        mine = [call() for _ in range(times)]
        with lock:
            results.extend(mine)

    running = [threading.Thread(target=hit) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return results


def test_concurrent_hits_are_each_counted_once():
    key = f"test-window:{uuid.uuid4().hex}"
    counts = _from_threads(lambda: count_in_window(key, 60), 25)
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


def test_get_many_or_set_reads_what_is_there_and_makes_only_what_is_missing():
    made = []

    def make(value):
        def maker():
            made.append(value)
            return value

        return maker

    cache.set("test-there", "kept")
    wanted = {
        "test-there": (make("not made"), 60),
        "test-missing": (make("made"), 60),
        "test-forever": ("plain", None),
    }
    expected = {"test-there": "kept", "test-missing": "made", "test-forever": "plain"}
    assert get_many_or_set(wanted) == expected
    assert made == ["made"]
    assert cache.get_many(list(wanted)) == expected  # stored for the next reader
    assert get_many_or_set(wanted) == expected
    assert made == ["made"]


def test_get_many_or_set_agrees_with_a_value_another_caller_stored_first():
    """As get_or_set: a value stored between the read and the write is the one answered."""

    class Racing(dict):
        def items(self):
            cache.add("test-raced", "theirs", 60)  # another process, just after our read
            return super().items()

    found = get_many_or_set(Racing({"test-raced": (lambda: "ours", 60)}))
    assert found == {"test-raced": "theirs"} and cache.get("test-raced") == "theirs"


@on_redis
def test_get_many_or_set_costs_one_round_trip_when_everything_is_there(monkeypatch):
    cache.set_many({"test-a": 1, "test-b": 2})
    client = cache._cache.get_client()
    calls = []
    original = type(client).execute_command

    def counted(self, *args, **options):
        calls.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(type(client), "execute_command", counted)
    assert get_many_or_set({"test-a": (0, 60), "test-b": (0, 60)}) == {"test-a": 1, "test-b": 2}
    assert calls == ["MGET"]


def _admitted(allowances, key: str, limit: int, tries: int, window: int = 1) -> int:
    """Hits on `key` from each allowance in turn (as from several processes): how many were
    admitted."""
    return sum(allowances[n % len(allowances)].admit(key, limit, window, 60) for n in range(tries))


def test_an_allowance_admits_the_limit_and_no_more():
    key = f"test-allowance:{uuid.uuid4().hex}"
    allowance = WindowAllowance()
    assert _admitted([allowance], key, 1000, 1200) == 1000
    # The shared counter was asked once per block of 10 (and once more, refused), not once
    # per hit.
    assert cache.get(f"{key}:1") == 1000 + 10
    # Past the limit, the process refuses without asking: the 200 refusals added nothing.


def test_processes_sharing_a_counter_never_admit_more_than_the_limit():
    key = f"test-allowance:{uuid.uuid4().hex}"
    processes = [WindowAllowance() for _ in range(3)]
    admitted = _admitted(processes, key, 1000, 1500)
    # What a process took and had not spent when the others ran out was refused to them:
    # at most block - 1 (9) per process.
    assert 1000 - 3 * 9 <= admitted <= 1000


def test_a_small_limit_is_counted_exactly_across_processes():
    key = f"test-allowance:{uuid.uuid4().hex}"
    processes = [WindowAllowance() for _ in range(3)]
    assert _admitted(processes, key, 50, 80) == 50


def test_a_new_window_starts_from_the_limit_again_and_forgets_the_old_blocks():
    key = f"test-allowance:{uuid.uuid4().hex}"
    allowance = WindowAllowance()
    assert _admitted([allowance], key, 300, 5, window=7) == 5  # holds 3 - 5 % 3 = 1 left
    assert _admitted([allowance], key, 300, 400, window=8) == 300
    assert allowance.admit(key, 300, 7, 60)  # the old window's counter is its own


def test_threads_of_one_process_share_its_blocks_without_losing_count():
    key = f"test-allowance:{uuid.uuid4().hex}"
    allowance = WindowAllowance()
    assert sum(_from_threads(lambda: allowance.admit(key, 1000, 1, 60), 150)) == 1000
