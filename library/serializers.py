"""Input and output shapes of the files API. Names and descriptions are plain text: a
client renders them as text, never as HTML."""

from django.urls import reverse
from rest_framework import serializers

from core.api import StrictSerializer

from .models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH
from .selectors import SORTS


class UploaderSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()


class LibraryEntrySerializer(serializers.Serializer):
    """A row of the library: a file uploaded to it, or a post's attachment."""

    kind = serializers.ChoiceField(choices=["file", "attachment"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    date = serializers.DateTimeField(help_text="The current version's upload, or the post's")
    uploader = serializers.SerializerMethodField()
    post = serializers.IntegerField(source="post_id", allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    download_url = serializers.CharField()
    preview_url = serializers.CharField(help_text="A PNG preview; empty when there is none")

    def get_uploader(self, entry) -> UploaderSerializer:
        return {"username": entry.uploader_username, "display_name": entry.uploader_name}


class FileVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    note = serializers.CharField()
    uploaded_by = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()

    def get_uploaded_by(self, version) -> UploaderSerializer:
        user = version.uploaded_by
        return {"username": user.username, "display_name": user.profile.display_name}

    def get_download_url(self, version) -> str:
        f = version.file
        return reverse("library:download", args=[f.group.slug, f.pk, version.number])

    def get_preview_url(self, version) -> str:
        if not version.preview:
            return ""
        f = version.file
        return reverse("library:preview", args=[f.group.slug, f.pk, version.number])


class LibraryFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version_count = serializers.IntegerField()
    versions = serializers.SerializerMethodField()

    def get_versions(self, library_file) -> FileVersionSerializer(many=True):
        versions = self.context.get("versions", [])
        for version in versions:
            version.file = library_file
        return FileVersionSerializer(versions, many=True).data


class FileListQuerySerializer(serializers.Serializer):
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="date")
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class FileUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="multipart/form-data")
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NAME_LENGTH, default=""
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH, default=""
    )


class VersionUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="multipart/form-data")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTE_LENGTH, default=""
    )
