"""Crisis mode: the open incident that holds it (read by the reply gate; cached for what
every page shows), the banner, and "Declare an incident" on a listening alert."""

from django.core.cache import cache
from django.db.models import Expression, QuerySet
from django.urls import reverse

from core import session_reads
from policies import selectors as policies

from ..models import Incident
from .common import _active
from .incidents import readable_incidents
from .team import may_declare, may_write_incident

CRISIS_CACHE_KEY = "crisis:mode-incident"
CRISIS_CACHE_SECONDS = 300


# The banner's incident, read with a page's session (core.session_reads; apps.py registers it).
CRISIS_MODE = "crisis.mode"


def _holding() -> QuerySet[Incident]:
    return Incident.objects.filter(status=Incident.Status.OPEN, crisis_mode=True)


def crisis_mode_incident() -> Incident | None:
    """The open incident that holds crisis mode (the newest, if several do), or None. One
    query; the reply gate asks here, never the cache."""
    return _holding().first()


def crisis_mode_of(_user_ref) -> Expression:
    """`crisis_mode_incident` as an expression (the same for every reader): a JSON object of
    its id, title and second_approval, or null. What a signed-in page reads with its session
    (core.session_reads), instead of a round trip to the cache."""
    return session_reads.first_row(_holding(), "id", "title", "second_approval")


def crisis_mode_on() -> Incident | None:
    """`crisis_mode_incident` through the cache (no query while it holds), for what every
    page shows: the banner, the holding statements. Services forget it on every change."""
    cached = cache.get(CRISIS_CACHE_KEY)
    if cached is None:
        incident = crisis_mode_incident()
        cached = (incident.pk, incident.title, incident.second_approval) if incident else ()
        cache.set(CRISIS_CACHE_KEY, cached, CRISIS_CACHE_SECONDS)
    return _holding_incident(*cached) if cached else None


def _holding_incident(pk: int, title: str, second_approval) -> Incident:
    return Incident(pk=pk, title=title, second_approval=bool(second_approval), crisis_mode=True)


def _crisis_mode_for(user) -> Incident | None:
    """crisis_mode_on, from what the reader's session read when it did (no round trip)."""
    read = session_reads.read(user, CRISIS_MODE)
    if read is session_reads.MISSING:
        return crisis_mode_on()
    return _holding_incident(read["id"], read["title"], read["second_approval"]) if read else None


def forget_crisis_mode() -> None:
    cache.delete(CRISIS_CACHE_KEY)


def remember_no_crisis() -> None:
    """Record that no incident holds crisis mode, as the first page after a cold cache would
    (the tests start each empty company this way, so a page's pinned query count is its
    steady cost, not the cold cache's one read)."""
    cache.set(CRISIS_CACHE_KEY, (), CRISIS_CACHE_SECONDS)


def banner_incident(request) -> tuple[Incident | None, bool]:
    """The crisis-mode incident for the banner, and whether the viewer may open it. Shown
    to the crisis team, the social team and admins, to the leaders and mentors of the
    departments it concerns (who read it), and to whoever speaks for the brand (mentors,
    certified representatives), who must stop replying too. No query
    when no incident holds crisis mode (read with the page's session, or cached)."""
    user = getattr(request, "user", None)
    if not _active(user):
        return None, False
    incident = _crisis_mode_for(user)
    if incident is None:
        return None, False
    if may_write_incident(user):
        return incident, True
    may_open = readable_incidents(user).filter(pk=incident.pk).exists()
    if may_open or policies.speaks_for_the_brand(user):
        return incident, may_open
    return None, False


def declare_from_alert_action(viewer, alert) -> dict | None:
    """ "Declare an incident" on a listening alert's page (monitoring.hooks), for whoever
    declares: the incidents page, its form filled in from the alert. No query (roles are
    cached on the viewer)."""
    if not may_declare(viewer):
        return None
    url = reverse("crisis:incidents") + f"?alert={alert.pk}#declare-title"
    return {"label": "Declare an incident", "url": url, "method": "get"}
