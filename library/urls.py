"""The Files tab of the group pages: /groups/<slug>/files/ (config.urls)."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("<slug:slug>/files/", views.files, name="files"),
    path("<slug:slug>/files/<int:file_id>/", views.file_detail, name="file"),
    path("<slug:slug>/files/<int:file_id>/delete/", views.delete, name="delete"),
    path(
        "<slug:slug>/files/<int:file_id>/v<int:number>/download/",
        views.download,
        name="download",
    ),
    path(
        "<slug:slug>/files/<int:file_id>/v<int:number>/preview.png",
        views.preview,
        name="preview",
    ),
    path(
        "<slug:slug>/files/attachments/<int:attachment_id>/preview.png",
        views.attachment_preview,
        name="attachment-preview",
    ),
]
