"""A post's card: what a feed shows of it, as JSON text, kept per version of the post.

Everything on a card but READER_FIELDS is the same for every reader, so it is
serialized once per version of the post (Post.version, bumped in the transaction of each
change) and kept twice: in this process (the cards it served lately, no round trip) and in the
shared cache (Redis in production). Who may read which post is decided before, by the
selector that chose the posts; a card is only ever looked up by a post id that selector gave.
"""

import threading
import time
from collections import OrderedDict

from django.core.cache import cache

from core.api import as_json

from . import selectors
from .serializers import PostSerializer, shared_data

# What a card says that depends on its reader: written after the cached part, per request.
READER_FIELDS = ("my_reactions", "saved", "shared")

# How long a cached card may show an author's or commenter's old name after a rename (twice
# this at most: a process keeps a card it took from the shared cache for as long again);
# every change to the post itself (edit, comment, reaction, pin, ...) makes a new card at once.
CARD_SECONDS = 300


def _card_keys(request, posts) -> list[str]:
    # "v3": the format of the cached value; a change of format changes the keys.
    prefix = f"feeds:card:v3:{request.scheme}:{request.get_host()}"
    return [f"{prefix}:{post.pk}:{post.version}" for post in posts]


def card_texts(request, posts: list, *, reactions_read: bool = False) -> list[str]:
    """PostSerializer output for `posts` as JSON text, one per post; `posts` need only their
    id, version and shared_post_id loaded (and `my_reactions` and `saved` when
    `reactions_read`: read with the page).

    A card is kept as JSON text without its closing brace; what depends on the reader (their
    reactions, whether they saved it, what they may see of a shared post) is written after
    it. A page of posts this process served lately costs no round trip and
    parses nothing; cards it lacks come from the shared cache in one round trip, and only
    posts missing from both are loaded in full.
    """
    keys = _card_keys(request, posts)
    cards = _recent.get_many(keys)
    wanted = [key for key in keys if key not in cards]
    if wanted:
        shared = cache.get_many(wanted)
        _recent.set_many(shared)
        cards.update(shared)
    missing = [post.pk for post, key in zip(posts, keys, strict=True) if key not in cards]
    if missing:
        full = selectors.decorate_for_everyone(selectors.posts_for_display(missing))
        for post in full:
            post.my_reactions = set()
        fresh = PostSerializer(full, many=True, context={"request": request}).data
        made = {}
        for key, card in zip(_card_keys(request, full), fresh, strict=True):
            for per_reader in READER_FIELDS:
                del card[per_reader]
            made[key] = as_json(card)[:-1]
        cache.set_many(made, CARD_SECONDS)
        _recent.set_many(made)
        cards.update(made)
    if not reactions_read:
        selectors.attach_my_reactions(posts, viewer=request.user)
    selectors.attach_shared_originals(posts, viewer=request.user)
    context = {"request": request}
    return [
        f'{cards[key]},"my_reactions":{_reactions_json(post.my_reactions)},'
        f'"saved":{_LITERALS.get(post.saved) or as_json(post.saved)},'
        f'"shared":{"null" if not post.shared_post_id else as_json(shared_data(post, context))}}}'
        for post, key in zip(posts, keys, strict=True)
    ]


# The reader's part of most cards (no reaction, not saved, not a share) without json.dumps:
# three calls per card were most of a warm page's card work (bench/feed.py's profile).
_LITERALS = {True: "true", False: "false", None: "null"}


def _reactions_json(reactions) -> str:
    return as_json(sorted(reactions)) if reactions else "[]"


class _RecentCards:
    """The cards this process served lately: at most `size`, each for CARD_SECONDS, the
    least recently used leaving first. Keys carry the post's version, so a change to a
    post is never served from here."""

    def __init__(self, size: int):
        self.size = size
        self._cards: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, str]:
        now = time.monotonic()
        found = {}
        with self._lock:
            for key in keys:
                kept = self._cards.get(key)
                if kept is not None and kept[0] > now:
                    self._cards.move_to_end(key)
                    found[key] = kept[1]
        return found

    def set_many(self, cards: dict[str, str]) -> None:
        until = time.monotonic() + CARD_SECONDS
        with self._lock:
            for key, text in cards.items():
                self._cards[key] = (until, text)
                self._cards.move_to_end(key)
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._cards.clear()


# About 2 KB a card: 5,000 cards are about 10 MB per process, the first 200 pages of 25.
_recent = _RecentCards(5000)


def forget_local() -> None:
    """Empty this process's cards (tests, between two companies)."""
    _recent.clear()
