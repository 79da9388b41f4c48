from django.urls import path

from . import api

urlpatterns = [
    path("knowledge/", api.EntryListApi.as_view(), name="knowledge-list"),
    path("knowledge/<int:entry_id>/", api.EntryDetailApi.as_view(), name="knowledge-detail"),
    path(
        "knowledge/<int:entry_id>/publish/",
        api.EntryPublishApi.as_view(),
        name="knowledge-publish",
    ),
    path(
        "knowledge/<int:entry_id>/revisions/",
        api.EntryRevisionsApi.as_view(),
        name="knowledge-revisions",
    ),
    path(
        "questions/<int:question_id>/similar/",
        api.QuestionSimilarApi.as_view(),
        name="question-similar",
    ),
]
