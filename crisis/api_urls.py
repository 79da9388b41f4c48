from django.urls import path

from . import api

urlpatterns = [
    path("crisis/playbook/", api.PlaybookListApi.as_view(), name="crisis-playbook"),
    path(
        "crisis/playbook/current/", api.PlaybookCurrentApi.as_view(), name="crisis-playbook-current"
    ),
    path("crisis/playbook/diff/", api.PlaybookDiffApi.as_view(), name="crisis-playbook-diff"),
    path(
        "crisis/playbook/<int:number>/",
        api.PlaybookDetailApi.as_view(),
        name="crisis-playbook-detail",
    ),
    path(
        "crisis/playbook/<int:number>/publish/",
        api.PlaybookPublishApi.as_view(),
        name="crisis-playbook-publish",
    ),
    path(
        "crisis/playbook/<int:number>/acknowledge/",
        api.PlaybookAcknowledgeApi.as_view(),
        name="crisis-playbook-acknowledge",
    ),
    path("crisis/incidents/", api.IncidentListApi.as_view(), name="crisis-incidents"),
    path(
        "crisis/incidents/<int:incident_id>/",
        api.IncidentDetailApi.as_view(),
        name="crisis-incident-detail",
    ),
    path(
        "crisis/incidents/<int:incident_id>/close/",
        api.IncidentCloseApi.as_view(),
        name="crisis-incident-close",
    ),
    path(
        "crisis/incidents/<int:incident_id>/timeline/",
        api.IncidentTimelineApi.as_view(),
        name="crisis-incident-timeline",
    ),
    path(
        "crisis/incidents/<int:incident_id>/notes/",
        api.IncidentNotesApi.as_view(),
        name="crisis-incident-notes",
    ),
    path(
        "crisis/incidents/<int:incident_id>/announcement/",
        api.IncidentAnnouncementApi.as_view(),
        name="crisis-incident-announcement",
    ),
    path(
        "crisis/incidents/<int:incident_id>/held-replies/",
        api.IncidentHeldRepliesApi.as_view(),
        name="crisis-incident-held-replies",
    ),
    path(
        "crisis/held-replies/<int:held_id>/approve/",
        api.HeldReplyApproveApi.as_view(),
        name="crisis-held-reply-approve",
    ),
    path(
        "crisis/held-replies/<int:held_id>/reject/",
        api.HeldReplyRejectApi.as_view(),
        name="crisis-held-reply-reject",
    ),
    # Served by crisis for the monitoring app's alerts (monitoring never imports crisis).
    path(
        "monitoring/alerts/<int:alert_id>/declare/",
        api.DeclareFromAlertApi.as_view(),
        name="monitoring-alert-declare",
    ),
    path("social/org/", api.OrgChartApi.as_view(), name="social-org"),
    path("social/brand-activity/", api.BrandActivityApi.as_view(), name="social-brand-activity"),
]
