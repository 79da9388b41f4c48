"""Routes of the crisis and social pages and APIs for tests/test_routes.py: route -> (path to
request, what an anonymous visitor gets)."""

from ..route_kinds import API, LOGIN

ROUTES: dict = {
    "crisis/": ("/crisis/", LOGIN),
    "crisis/incidents/<int:incident_id>/": ("/crisis/incidents/1/", LOGIN),
    "crisis/incidents/<int:incident_id>/timeline/": ("/crisis/incidents/1/timeline/", LOGIN),
    "crisis/incidents/<int:incident_id>/notes/": ("/crisis/incidents/1/notes/", LOGIN),
    "crisis/incidents/<int:incident_id>/close/": ("/crisis/incidents/1/close/", LOGIN),
    "crisis/incidents/<int:incident_id>/announce/": ("/crisis/incidents/1/announce/", LOGIN),
    "crisis/incidents/<int:incident_id>/report/": ("/crisis/incidents/1/report/", LOGIN),
    "crisis/incidents/<int:incident_id>/report.md": ("/crisis/incidents/1/report.md", LOGIN),
    "crisis/incidents/<int:incident_id>/report.csv": ("/crisis/incidents/1/report.csv", LOGIN),
    "crisis/held/<int:held_id>/<str:decision>/": ("/crisis/held/1/approve/", LOGIN),
    "crisis/playbook/": ("/crisis/playbook/", LOGIN),
    "crisis/playbook/versions/": ("/crisis/playbook/versions/", LOGIN),
    "crisis/playbook/versions/<int:number>/": ("/crisis/playbook/versions/1/", LOGIN),
    "crisis/playbook/versions/<int:number>/publish/": (
        "/crisis/playbook/versions/1/publish/",
        LOGIN,
    ),
    "crisis/playbook/versions/<int:number>/acknowledge/": (
        "/crisis/playbook/versions/1/acknowledge/",
        LOGIN,
    ),
    "crisis/playbook/diff/": ("/crisis/playbook/diff/", LOGIN),
    "crisis/team/": ("/crisis/team/", LOGIN),
    "crisis/team/remove/": ("/crisis/team/remove/", LOGIN),
    "social/": ("/social/", LOGIN),
    "social/activity/": ("/social/activity/", LOGIN),
    "social/activity/items/": ("/social/activity/items/", LOGIN),
    "api/v1/crisis/incidents/<int:incident_id>/held-replies/": (
        "/api/v1/crisis/incidents/1/held-replies/",
        API,
    ),
    "api/v1/crisis/held-replies/<int:held_id>/approve/": (
        "/api/v1/crisis/held-replies/1/approve/",
        API,
    ),
    "api/v1/crisis/held-replies/<int:held_id>/reject/": (
        "/api/v1/crisis/held-replies/1/reject/",
        API,
    ),
    "api/v1/crisis/playbook/": ("/api/v1/crisis/playbook/", API),
    "api/v1/crisis/playbook/current/": ("/api/v1/crisis/playbook/current/", API),
    "api/v1/crisis/playbook/diff/": ("/api/v1/crisis/playbook/diff/", API),
    "api/v1/crisis/playbook/<int:number>/": ("/api/v1/crisis/playbook/1/", API),
    "api/v1/crisis/playbook/<int:number>/publish/": ("/api/v1/crisis/playbook/1/publish/", API),
    "api/v1/crisis/playbook/<int:number>/acknowledge/": (
        "/api/v1/crisis/playbook/1/acknowledge/",
        API,
    ),
    "api/v1/crisis/incidents/": ("/api/v1/crisis/incidents/", API),
    "api/v1/crisis/incidents/<int:incident_id>/": ("/api/v1/crisis/incidents/1/", API),
    "api/v1/crisis/incidents/<int:incident_id>/close/": ("/api/v1/crisis/incidents/1/close/", API),
    "api/v1/crisis/incidents/<int:incident_id>/timeline/": (
        "/api/v1/crisis/incidents/1/timeline/",
        API,
    ),
    "api/v1/crisis/incidents/<int:incident_id>/notes/": ("/api/v1/crisis/incidents/1/notes/", API),
    "api/v1/crisis/incidents/<int:incident_id>/announcement/": (
        "/api/v1/crisis/incidents/1/announcement/",
        API,
    ),
    "api/v1/monitoring/alerts/<int:alert_id>/declare/": (
        "/api/v1/monitoring/alerts/1/declare/",
        API,
    ),
    "api/v1/social/org/": ("/api/v1/social/org/", API),
    "api/v1/social/brand-activity/": ("/api/v1/social/brand-activity/", API),
}
