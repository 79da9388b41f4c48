from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from mozilla_django_oidc import views as oidc_views

from core import views as core_views
from feeds import api_urls as feeds_api_urls
from feeds import group_urls as feeds_group_urls
from groups import urls as groups_urls
from people import api as people_api
from people import data_api
from people import views as people_views
from routing import api_urls as routing_api_urls

from . import views

api_v1 = [
    *routing_api_urls.webhook_urlpatterns,
    *feeds_api_urls.feed_urlpatterns,
    path("auth/token/", views.ObtainTokenApi.as_view(), name="token"),
    path("people/", people_api.PeopleListApi.as_view(), name="people-list"),
    path("people/me/", people_api.MeApi.as_view(), name="people-me"),
    path("people/me/avatar/", people_api.MyAvatarApi.as_view(), name="people-me-avatar"),
    path(
        "people/me/sign-out-everywhere/",
        people_api.SignOutEverywhereApi.as_view(),
        name="people-sign-out-everywhere",
    ),
    path("people/me/data/", data_api.MyDataExportsApi.as_view(), name="my-data-exports"),
    path(
        "people/me/data/<int:export_id>/download/",
        data_api.MyDataExportDownloadApi.as_view(),
        name="my-data-export-download",
    ),
    path("people/<str:username>/", people_api.PersonDetailApi.as_view(), name="people-detail"),
    path(
        "people/<str:username>/data/",
        data_api.PersonDataExportApi.as_view(),
        name="person-data-export",
    ),
    path("departments/", people_api.DepartmentListApi.as_view(), name="department-list"),
    path("", include("groups.api_urls")),
    path("", include("feeds.api_urls")),
    path("policies/", include("policies.api_urls")),
    path("", include("crisis.api_urls")),
    path("campaigns/", include("campaigns.api_urls")),
    path("", include("routing.api_urls")),
    path("", include("notifications.api_urls")),
    path("monitoring/", include("monitoring.api_urls")),
    path("", include("knowledge.api_urls")),
    path("", include("messaging.api_urls")),
    path("", include("polls.api_urls")),
    path("", include("agenda.api_urls")),
    path("", include("library.api_urls")),
    path("", include("analytics.api_urls")),
]

urlpatterns = [
    # The API first: most requests are its, and every pattern above a URL is tried before it.
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.prometheus_metrics, name="metrics"),
    path("people/", include("people.urls")),
    # One namespace for the group pages, whichever app renders them (the feed tab is feeds').
    path(
        "groups/",
        include((groups_urls.urlpatterns + feeds_group_urls.urlpatterns, groups_urls.app_name)),
    ),
    path("groups/", include("library.urls")),
    path("groups/", include("analytics.group_urls")),
    path("analytics/", include("analytics.urls")),
    path("policies/", include("policies.urls")),
    path("crisis/", include("crisis.urls")),
    path("social/", include("crisis.social_urls")),
    path("campaigns/", include("campaigns.urls")),
    path("questions/", include("routing.urls")),
    path("listening/", include("monitoring.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("notifications/", include("notifications.urls")),
    path("directory/", include("directory.urls")),
    # SCIM 2.0 for Entra ID and Okta (directory/scim): a bearer token, no session.
    path("scim/v2/", include("directory.scim.urls")),
    path("messages/", include("messaging.urls")),
    path("polls/", include("polls.urls")),
    path("events/", include("agenda.urls")),
    path("bulk-jobs/<int:pk>/", core_views.bulk_job, name="bulk-job"),
    path("", include("feeds.urls")),
    path("", include("feeds.search_urls")),
    # Only avatars live under /media/, each found by its row (core/files.py); post
    # attachments are served by feeds at /posts/<id>/attachments/<id>/.
    path("media/avatars/<str:name>", people_views.avatar, name="avatar"),
    path(
        "accounts/login/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # One sign-in page for everything, so lockouts and SSO apply to the admin too.
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]

if settings.OIDC_ENABLED:
    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.permission_denied"
handler400 = "config.views.bad_request"
