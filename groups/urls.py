"""Group pages. The feed tab and report decisions are feeds' (feeds.group_urls): config.urls
mounts both lists under /groups/ in this namespace."""

from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/about/", views.about, name="about"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/cover/<str:name>", views.cover, name="cover"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/join/cancel/", views.cancel_request, name="cancel-request"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/requests/<int:request_id>/", views.decide_request, name="decide-request"),
    path("<slug:slug>/members/<str:username>/remove/", views.remove_member, name="remove-member"),
    path("<slug:slug>/members/<str:username>/mute/", views.mute_member, name="mute-member"),
    path("<slug:slug>/members/<str:username>/role/", views.change_role, name="change-role"),
]
