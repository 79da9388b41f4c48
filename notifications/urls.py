from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.center, name="center"),
    path("count/", views.count, name="count"),
    path("read/", views.mark_all_read, name="mark-all-read"),
    path("<int:notification_id>/read/", views.mark_read, name="mark-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("mute/<slug:slug>/", views.mute_group, name="mute-group"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
