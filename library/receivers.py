"""A post's attachment gets its library preview after the post commits."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.after_commit import enqueue_on_commit
from feeds.models import Attachment

from .previews import can_preview


@receiver(post_save, sender=Attachment, dispatch_uid="library.preview_attachment")
def preview_attachment(sender, instance: Attachment, created: bool, **kwargs) -> None:
    if created and can_preview(instance.content_type):
        enqueue_on_commit("library.tasks.make_attachment_preview", instance.pk)
