from django.urls import path

from . import views

app_name = "crisis"

urlpatterns = [
    path("", views.incidents, name="incidents"),
    path("incidents/<int:incident_id>/", views.incident, name="incident"),
    path("incidents/<int:incident_id>/timeline/", views.timeline, name="timeline"),
    path("incidents/<int:incident_id>/notes/", views.add_note, name="note"),
    path("incidents/<int:incident_id>/close/", views.close, name="close"),
    path("incidents/<int:incident_id>/announce/", views.announce, name="announce"),
    path("incidents/<int:incident_id>/report/", views.report, name="report"),
    path("incidents/<int:incident_id>/report.md", views.report_markdown, name="report-md"),
    path("incidents/<int:incident_id>/report.csv", views.report_csv, name="report-csv"),
    path(
        "held/<int:held_id>/<str:decision>/",
        views.decide_held_reply,
        name="held-reply",
    ),
    path("playbook/", views.playbook, name="playbook"),
    path("playbook/versions/", views.playbook_versions, name="playbook-versions"),
    path("playbook/versions/<int:number>/", views.playbook_version, name="playbook-version"),
    path(
        "playbook/versions/<int:number>/publish/",
        views.publish_playbook,
        name="playbook-publish",
    ),
    path(
        "playbook/versions/<int:number>/acknowledge/",
        views.acknowledge_playbook,
        name="playbook-acknowledge",
    ),
    path("playbook/diff/", views.playbook_diff, name="playbook-diff"),
    path("team/", views.team, name="team"),
    path("team/remove/", views.team_remove, name="team-remove"),
]
