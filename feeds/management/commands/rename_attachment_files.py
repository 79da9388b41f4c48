from django.core.management.base import BaseCommand

from feeds.models import Attachment
from feeds.services import rename_legacy_attachment_file


class Command(BaseCommand):
    help = (
        "Give attachments stored under their uploader's file name (uploaded before stored "
        "names were random) a random stored name. The name people see does not change. "
        "Safe to run again; run it in a quiet hour (a download in flight may get a 404)."
    )

    def handle(self, *args, **options):
        moved = kept = 0
        for attachment in Attachment.objects.order_by("pk").iterator():
            if rename_legacy_attachment_file(attachment=attachment):
                moved += 1
            else:
                kept += 1
        self.stdout.write(f"{moved} renamed, {kept} unchanged.")
