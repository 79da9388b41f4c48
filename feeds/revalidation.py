"""The live sockets of one process re-check their right to read together.

A company-wide event reaches every open socket at once, and each one whose last check is
older than SOCKET_REVALIDATE_SECONDS must ask the database again before forwarding it
(feeds/consumers.py). One by one that was three queries and, under daphne with
DATABASE_CONN_MAX_AGE=0, a new database connection per socket, all on the one thread that
runs the process's database calls: a few milliseconds each, so seconds for a thousand
sockets. Here the sockets due in the same turn of the event loop wait for one database call
that answers them all (people.selectors.check_access_many, groups.selectors.feed_group_ids_of:
four queries whatever their number). The answers are the same as one check each; only the
work is shared.
"""

import asyncio
import weakref
from dataclasses import dataclass

from channels.db import database_sync_to_async

MAX_BATCH = 2000


@dataclass(frozen=True)
class Verdict:
    """What a socket's re-check found: None when its session no longer signs its user in."""

    access: object | None  # people.selectors.Access
    feed_groups: set[int]


def _check_all(pairs: list[tuple[int, str | None]]) -> dict:
    from groups import selectors as group_selectors
    from people import selectors as people_selectors

    found = people_selectors.check_access_many(pairs)
    live = {user_id for (user_id, _), access in found.items() if access is not None}
    groups = group_selectors.feed_group_ids_of(live) if live else {}
    return {
        pair: Verdict(access, set(groups.get(pair[0], ())) if access else set())
        for pair, access in found.items()
    }


_check_all_async = database_sync_to_async(_check_all)


class Revalidator:
    """Per event loop: sockets ask, one database call answers everyone who asked meanwhile."""

    def __init__(self):
        self.waiting: dict[tuple[int, str | None], list[asyncio.Future]] = {}
        self.flushing = False

    async def check(self, user_id: int, session_key: str | None) -> Verdict:
        future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault((user_id, session_key), []).append(future)
        if not self.flushing:
            self.flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # let the sockets woken by the same event ask too
            while self.waiting:
                batch = dict(list(self.waiting.items())[:MAX_BATCH])
                for pair in batch:
                    del self.waiting[pair]
                try:
                    verdicts = await _check_all_async(list(batch))
                except BaseException as exc:
                    for futures in batch.values():
                        for future in futures:
                            if not future.done():
                                future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for pair, futures in batch.items():
                    for future in futures:
                        if not future.done():
                            future.set_result(verdicts[pair])
        finally:
            self.flushing = False


_revalidators: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Revalidator]" = (
    weakref.WeakKeyDictionary()
)


async def check(user_id: int, session_key: str | None) -> Verdict:
    """This socket's verdict, answered with every other socket of this process asking now."""
    loop = asyncio.get_running_loop()
    revalidator = _revalidators.get(loop)
    if revalidator is None:
        revalidator = _revalidators[loop] = Revalidator()
    return await revalidator.check(user_id, session_key)
