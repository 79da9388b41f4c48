"""Sessions: is a signed-in session still good? (the live socket asks on arrival, and its
process re-checks its open sockets together)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from types import MappingProxyType

from django.conf import settings
from django.contrib import auth
from django.utils import timezone
from django.utils.crypto import constant_time_compare


@dataclass(frozen=True)
class Access:
    user: object
    expires: dt.datetime


def check_access(user_id: int, session_key: str | None) -> Access | None:
    """Whether the session `session_key` still signs `user_id` in, read from the database
    as django.contrib.auth.get_user would, but without writing anything (no flush, no key
    cycling): None when the session is gone or expired, belongs to someone else, its
    backend is no longer configured, the account is inactive or deleted, or the password
    changed since it signed in (its auth hash no longer matches, SECRET_KEY_FALLBACKS
    included). Else the fresh user and when the session expires."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    model = getattr(store, "model", None)
    if model is not None:  # db and cached_db: the row is the truth, its expiry included
        row = model.objects.filter(session_key=session_key, expire_date__gt=timezone.now())
        row = row.only("session_data", "expire_date").first()
        if row is None:
            return None
        data, expires = store.decode(row.session_data), row.expire_date
    else:
        data = store.load()
        if not data:
            return None
        expires = store.get_expiry_date()
    backend_path = data.get(auth.BACKEND_SESSION_KEY)
    if str(data.get(auth.SESSION_KEY)) != str(user_id):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = auth.load_backend(backend_path).get_user(user_id)
    if user is None or not user.is_active:
        return None
    session_hash = data.get(auth.HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not session_hash or not any(constant_time_compare(session_hash, h) for h in hashes):
        return None
    return Access(user=user, expires=expires)


_DECODED: dict[tuple[str, tuple], Mapping] = {}
# About 1 KB a session: at most 10 MB a process, for ten times the sockets one serves.
DECODED_KEPT = 10_000


def _decoded(store, session_data: str, secrets: tuple) -> Mapping:
    """`store.decode(session_data)`, read-only, kept by the text itself and the keys it
    was signed with. Decoding checks the signature (HMAC) and parses JSON: a fifth of the
    cost of re-checking 1,000 sockets, every time, for sessions whose text had not changed.
    The same text under the same keys always decodes the same, so nothing is kept that a
    new check would answer differently: a session changed, signed out or expired is a
    different text or no row."""
    found = _DECODED.get((session_data, secrets))
    if found is None:
        if len(_DECODED) >= DECODED_KEPT:
            _DECODED.clear()
        found = _DECODED[(session_data, secrets)] = MappingProxyType(store.decode(session_data))
    return found


def check_access_many(pairs) -> dict[tuple[int, str | None], Access | None]:
    """check_access for many (user_id, session_key) pairs at once, with the same answers: the
    open sockets of a daphne process re-checking together when a company-wide event reaches
    them all. With a database session engine, one query for the sessions and one per
    authentication backend that reads many users at once (`get_users`: ours) for the users,
    whatever their number; else one check each."""
    pairs = set(pairs)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    store = store_class()
    model = getattr(store, "model", None)
    if model is None:
        return {pair: check_access(*pair) for pair in pairs}
    keys = {key for _, key in pairs if key}
    rows = model.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    secrets = (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    sessions = {
        key: (_decoded(store, data, secrets), expires)
        for key, data, expires in rows.values_list("session_key", "session_data", "expire_date")
    }
    claimed: dict[str, set[int]] = {}  # backend path -> user ids its sessions name
    for user_id, key in pairs:
        data = sessions.get(key, ({}, None))[0]
        backend_path = data.get(auth.BACKEND_SESSION_KEY)
        if str(data.get(auth.SESSION_KEY)) == str(user_id) and (
            backend_path in settings.AUTHENTICATION_BACKENDS
        ):
            claimed.setdefault(backend_path, set()).add(user_id)
    users: dict[tuple[str, int], object] = {}
    for backend_path, user_ids in claimed.items():
        backend = auth.load_backend(backend_path)
        if hasattr(backend, "get_users"):  # get_user for many, in one query
            for user in backend.get_users(user_ids):
                users[(backend_path, user.pk)] = user
        else:
            for user_id in user_ids:
                users[(backend_path, user_id)] = backend.get_user(user_id)
    found: dict[tuple[int, str | None], Access | None] = {}
    for user_id, key in pairs:
        data, expires = sessions.get(key, ({}, None))
        user = users.get((data.get(auth.BACKEND_SESSION_KEY), user_id))
        found[(user_id, key)] = None
        if user is None or not user.is_active or str(data.get(auth.SESSION_KEY)) != str(user_id):
            continue
        session_hash = data.get(auth.HASH_SESSION_KEY) or ""
        hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
        if session_hash and any(constant_time_compare(session_hash, h) for h in hashes):
            found[(user_id, key)] = Access(user=user, expires=expires)
    return found
