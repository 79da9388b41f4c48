from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("start/", views.start, name="start"),
    path("unread/", views.badge, name="badge"),
    path("email/", views.email_settings, name="email"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path("<int:conversation_id>/send/", views.send, name="send"),
    path("<int:conversation_id>/since/", views.since, name="since"),
    path("<int:conversation_id>/read/", views.read, name="read"),
    path("<int:conversation_id>/people/", views.add_people, name="add"),
    path("<int:conversation_id>/remove/", views.remove_person, name="remove"),
    path("<int:conversation_id>/leave/", views.leave, name="leave"),
    path("m/<int:message_id>/edit/", views.edit, name="edit"),
    path("m/<int:message_id>/delete/", views.delete, name="delete"),
    path("m/<int:message_id>/react/", views.react, name="react"),
    path("m/<int:message_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
