"""Django's database sessions, each request's session read with one prepared statement.

Every signed-in page reads its session first. Django builds that query with the ORM on every
request (about half a millisecond of Python) and PostgreSQL plans it every time; here it is
built once per process and, on PostgreSQL, prepared on each connection (core.compiled). The
table, its rows, the cookie and every other method are Django's
(django.contrib.sessions.backends.db): sessions made before go on working, and signing out
or "sign out everywhere" deletes the same rows. SESSION_ENGINE names this module
(config/authentication.py). A session signed in through an authentication backend since
renamed (settings.RENAMED_AUTH_BACKENDS) reads as signed in through its new name, so that
renaming one signs nobody out.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from . import compiled


class SessionStore(db.SessionStore):
    def decode(self, session_data):
        data = super().decode(session_data)
        renamed = settings.RENAMED_AUTH_BACKENDS.get(data.get(BACKEND_SESSION_KEY))
        if renamed is not None:
            data[BACKEND_SESSION_KEY] = renamed
        return data

    def _get_session_from_db(self):
        """Django's row for the session key if it has not expired, else None (and the key
        forgotten, so that the session is new), as Django's own method answers."""
        model = self.model
        key = self.session_key
        if key is not None:

            def build(key, now):
                return model.objects.filter(session_key=key, expire_date__gt=now).values(
                    "session_key", "session_data", "expire_date"
                )

            shape = ("core.session", model._meta.label)
            rows = compiled.run(shape, build, {"key": key, "now": timezone.now()})
            if rows:
                return compiled.instance(model, rows[0])
        self._session_key = None
        return None
