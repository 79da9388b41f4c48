from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/read/", api.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path(
        "notifications/<int:notification_id>/read/",
        api.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/preferences/",
        api.PreferencesApi.as_view(),
        name="notification-preferences",
    ),
]
