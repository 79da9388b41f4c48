"""What listening offers the apps above it on the alert page: extra actions.

`register_alert_action(name, build)`: `build(viewer, alert)` returns None or a dict
{"label": str, "url": str, "method": "post" (a button, the default) or "get" (a link)} for
the alert page (crisis registers "Declare an incident" here, a link to its form filled in
from the alert; its URL and API are crisis's). It must cost a fixed number of queries.
"""

from collections.abc import Callable

_actions: dict[str, Callable] = {}


def register_alert_action(name: str, build: Callable) -> None:
    _actions[name] = build


def alert_actions(viewer, alert) -> list[dict]:
    return [a for build in _actions.values() if (a := build(viewer, alert))]
