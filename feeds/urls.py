from django.urls import path

from . import posting_views, views

app_name = "feeds"

urlpatterns = [
    path("topics/<str:name>/", views.topic, name="topic"),
    path("topics/<str:name>/follow/", views.follow_topic, name="follow-topic"),
    path("posts/new/", views.compose, name="compose"),
    path("posts/preview/", views.preview, name="preview"),
    path("suggest/topics/", views.suggest_topics, name="suggest-topics"),
    path("posts/since/", views.since, name="since"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit"),
    path("posts/<int:post_id>/delete/", views.delete_post, name="delete"),
    path("posts/<int:post_id>/comments/", views.comment, name="comment"),
    path("posts/<int:post_id>/react/", views.react, name="react"),
    path("posts/<int:post_id>/accept/", views.accept_answer, name="accept"),
    path("posts/<int:post_id>/pin/", views.pin_post, name="pin"),
    path("posts/<int:post_id>/close/", views.close_comments, name="close"),
    path("posts/<int:post_id>/remove/", views.remove_post, name="remove"),
    path("posts/<int:post_id>/report/", views.report_post, name="report"),
    path(
        "posts/<int:post_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete-comment"),
    path("comments/<int:comment_id>/remove/", views.remove_comment, name="remove-comment"),
    path("comments/<int:comment_id>/report/", views.report_comment, name="report-comment"),
    path("people/<str:username>/posts/", views.person_feed, name="person"),
    path("people/<str:username>/follow/", views.follow_person, name="follow-person"),
    path("posts/saved/", posting_views.saved, name="saved"),
    path("posts/<int:post_id>/save/", posting_views.save, name="save"),
    path("posts/<int:post_id>/share/", posting_views.share, name="share"),
    path("posts/<int:post_id>/original/", posting_views.shared_original, name="shared-original"),
    path("posts/drafts/", posting_views.drafts_page, name="drafts"),
    path("posts/drafts/<int:draft_id>/", posting_views.draft, name="draft"),
    path("praise/new/", posting_views.give_praise, name="praise"),
]
