"""Included under /api/v1/policies/."""

from django.urls import path

from . import api

urlpatterns = [
    path("current/", api.CurrentVersionApi.as_view(), name="policy-current"),
    path("me/", api.MyStatusApi.as_view(), name="policy-me"),
    path("versions/", api.VersionListApi.as_view(), name="policy-versions"),
    path("versions/<int:number>/", api.VersionDetailApi.as_view(), name="policy-version"),
    path(
        "versions/<int:number>/publish/",
        api.VersionPublishApi.as_view(),
        name="policy-version-publish",
    ),
    path(
        "versions/<int:number>/acknowledge/",
        api.VersionAcknowledgeApi.as_view(),
        name="policy-version-acknowledge",
    ),
    path("versions/<int:number>/quiz/", api.VersionQuizApi.as_view(), name="policy-version-quiz"),
    path("diff/", api.DiffApi.as_view(), name="policy-diff"),
    path("quiz/", api.QuizApi.as_view(), name="policy-quiz"),
    path("quiz/attempts/", api.QuizAttemptApi.as_view(), name="policy-quiz-attempts"),
    path("settings/", api.SettingsApi.as_view(), name="policy-settings"),
    path("report/", api.ReportApi.as_view(), name="policy-report"),
    path("representatives/", api.RepresentativeListApi.as_view(), name="policy-representatives"),
    path(
        "representatives/<str:username>/revoke/",
        api.RepresentativeRevokeApi.as_view(),
        name="policy-representative-revoke",
    ),
    path("accounts/", api.BrandAccountListApi.as_view(), name="policy-accounts"),
    path("accounts/<int:account_id>/", api.BrandAccountDetailApi.as_view(), name="policy-account"),
    path(
        "accounts/<int:account_id>/authorizations/",
        api.AuthorizationListApi.as_view(),
        name="policy-account-authorizations",
    ),
    path(
        "accounts/<int:account_id>/authorizations/<str:username>/",
        api.AuthorizationDetailApi.as_view(),
        name="policy-account-authorization",
    ),
    path(
        "accounts/<int:account_id>/handover/",
        api.HandoverApi.as_view(),
        name="policy-account-handover",
    ),
    path("offboarding/", api.OffboardingApi.as_view(), name="policy-offboarding"),
    path(
        "offboarding/preview/",
        api.OffboardingPreviewApi.as_view(),
        name="policy-offboarding-preview",
    ),
    path("audit-log/", api.AuditLogApi.as_view(), name="policy-audit-log"),
]
