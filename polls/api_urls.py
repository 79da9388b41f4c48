from django.urls import path

from . import api

urlpatterns = [
    path("polls/", api.PollCreateApi.as_view(), name="poll-create"),
    path("polls/<int:poll_id>/", api.PollDetailApi.as_view(), name="poll-detail"),
    path("polls/<int:poll_id>/votes/", api.VoteApi.as_view(), name="poll-vote"),
    path("polls/<int:poll_id>/close/", api.CloseApi.as_view(), name="poll-close"),
    path("polls/<int:poll_id>/voters/", api.VotersApi.as_view(), name="poll-voters"),
    path(
        "polls/<int:poll_id>/voters/<int:option_id>/",
        api.OptionVotersApi.as_view(),
        name="poll-option-voters",
    ),
    path("posts/<int:post_id>/poll/", api.PostPollApi.as_view(), name="post-poll"),
]
