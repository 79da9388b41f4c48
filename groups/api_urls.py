from django.urls import path

from . import api

urlpatterns = [
    path("groups/", api.GroupListApi.as_view(), name="group-list"),
    path("groups/<slug:slug>/", api.GroupDetailApi.as_view(), name="group-detail"),
    path("groups/<slug:slug>/join/", api.GroupJoinApi.as_view(), name="group-join"),
    path("groups/<slug:slug>/leave/", api.GroupLeaveApi.as_view(), name="group-leave"),
    path("groups/<slug:slug>/members/", api.MemberListApi.as_view(), name="group-members"),
    path(
        "groups/<slug:slug>/members/<str:username>/",
        api.MemberDetailApi.as_view(),
        name="group-member",
    ),
    path(
        "groups/<slug:slug>/join-requests/",
        api.JoinRequestListApi.as_view(),
        name="group-join-requests",
    ),
    path(
        "groups/<slug:slug>/join-requests/<int:request_id>/approve/",
        api.JoinRequestApproveApi.as_view(),
        name="group-join-request-approve",
    ),
    path(
        "groups/<slug:slug>/join-requests/<int:request_id>/deny/",
        api.JoinRequestDenyApi.as_view(),
        name="group-join-request-deny",
    ),
    path("groups/<slug:slug>/reports/", api.GroupReportListApi.as_view(), name="group-reports"),
    path("groups/<slug:slug>/audit-log/", api.AuditLogApi.as_view(), name="group-audit-log"),
    path("reports/<int:report_id>/dismiss/", api.ReportDismissApi.as_view(), name="report-dismiss"),
]
