from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """A group's file library: its posts' attachments and files uploaded to it, versions."""

    name = "library"
    label = "library"
    verbose_name = "File library"

    def ready(self) -> None:
        from groups.tabs import register_group_tab

        from . import receivers  # noqa: F401

        register_group_tab("Files", "library:files", "files")
