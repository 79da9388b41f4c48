from django.urls import path

from . import api

urlpatterns = [
    path("messages/conversations/", api.ConversationListApi.as_view(), name="conversation-list"),
    path(
        "messages/conversations/<int:conversation_id>/",
        api.ConversationDetailApi.as_view(),
        name="conversation-detail",
    ),
    path(
        "messages/conversations/<int:conversation_id>/messages/",
        api.MessageListApi.as_view(),
        name="conversation-messages",
    ),
    path(
        "messages/conversations/<int:conversation_id>/read/",
        api.ReadMarkerApi.as_view(),
        name="conversation-read",
    ),
    path(
        "messages/conversations/<int:conversation_id>/participants/",
        api.ParticipantsApi.as_view(),
        name="conversation-participants",
    ),
    path(
        "messages/conversations/<int:conversation_id>/participants/<str:username>/",
        api.ParticipantDetailApi.as_view(),
        name="conversation-participant",
    ),
    path("messages/<int:message_id>/", api.MessageDetailApi.as_view(), name="message-detail"),
    path(
        "messages/<int:message_id>/reactions/",
        api.MessageReactionsApi.as_view(),
        name="message-reactions",
    ),
    path(
        "messages/<int:message_id>/reactions/<str:kind>/",
        api.MessageReactionDetailApi.as_view(),
        name="message-reaction",
    ),
]
