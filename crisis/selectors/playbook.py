"""The crisis playbook: the versions a reader sees, the one in force, acknowledgements, diffs
and the holding statements in its Markdown."""

import re

from django.db.models import QuerySet
from django.http import Http404

from core.versioning import DiffLine, diff_lines

from ..models import PlaybookAcknowledgement, PlaybookVersion
from .common import _active
from .team import crisis_team, may_read_playbook, may_write_playbook


def visible_playbook_versions(user) -> QuerySet[PlaybookVersion]:
    if not may_read_playbook(user):
        return PlaybookVersion.objects.none()
    versions = PlaybookVersion.objects.all()
    if not may_write_playbook(user):
        versions = versions.exclude(status=PlaybookVersion.Status.DRAFT)
    return versions


def get_playbook_version(user, number) -> PlaybookVersion:
    try:
        return visible_playbook_versions(user).get(number=number)
    except (PlaybookVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such playbook version.") from exc


def current_playbook() -> PlaybookVersion | None:
    return PlaybookVersion.objects.filter(status=PlaybookVersion.Status.PUBLISHED).first()


def playbook_acknowledgement(user, version: PlaybookVersion | None):
    if version is None or not _active(user):
        return None
    return PlaybookAcknowledgement.objects.filter(user_id=user.pk, version=version).first()


def playbook_acknowledgements(viewer, version: PlaybookVersion):
    """The crisis team with when each acknowledged `version` (or None)."""
    acked = dict(
        PlaybookAcknowledgement.objects.filter(version=version).values_list(
            "user_id", "acknowledged_at"
        )
    )
    team = {}
    for role in crisis_team(viewer):
        team.setdefault(role.user_id, (role.user, []))[1].append(role.get_role_display())
    return [
        (user, roles, acked.get(user_id))
        for user_id, (user, roles) in sorted(
            team.items(), key=lambda item: item[1][0].profile.display_name
        )
    ]


def diff_playbook(old: PlaybookVersion, new: PlaybookVersion) -> list[DiffLine]:
    return diff_lines(old.body, new.body)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def holding_statements(version: PlaybookVersion | None) -> list[tuple[str, str]]:
    """(scenario, statement) from the playbook's Markdown: every `###` heading under a
    `## Holding statements` section, with the text below it. Plain text."""
    if version is None:
        return []
    statements: list[tuple[str, list[str]]] = []
    inside = False
    for line in version.body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), heading.group(2)
            if level <= 2:
                inside = title.strip().lower().startswith("holding statement")
                continue
            if inside and level == 3:
                statements.append((title, []))
                continue
        if inside and statements:
            statements[-1][1].append(line)
    return [
        (scenario, "\n".join(lines).strip())
        for scenario, lines in statements
        if "\n".join(lines).strip()
    ]
