from django.urls import path

from . import api

urlpatterns = [
    path("groups/<slug:slug>/files/", api.GroupFilesApi.as_view(), name="group-files"),
    path(
        "groups/<slug:slug>/files/<int:file_id>/",
        api.GroupFileApi.as_view(),
        name="group-file",
    ),
    path(
        "groups/<slug:slug>/files/<int:file_id>/versions/",
        api.GroupFileVersionsApi.as_view(),
        name="group-file-versions",
    ),
    path(
        "groups/<slug:slug>/files/<int:file_id>/versions/<int:number>/download/",
        api.GroupFileDownloadApi.as_view(),
        name="group-file-download",
    ),
]
