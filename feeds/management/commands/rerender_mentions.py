from django.core.management.base import BaseCommand

from feeds.services import rerender_mentions


class Command(BaseCommand):
    help = (
        "Render again the stored HTML of posts and comments with @mentions, so every mention "
        "shows the person's current name, linked (posts written before mentions showed names, "
        "or after someone changed their name). Notifies nobody; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        changed = rerender_mentions(batch_size=batch_size)
        self.stdout.write(f"{changed} posts and comments rendered again.")
