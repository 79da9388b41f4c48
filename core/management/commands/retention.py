from django.core.management.base import BaseCommand, CommandError

from core import retention


class Command(BaseCommand):
    help = "Delete rows past their retention (the same as the daily beat task); --dry-run counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--only", nargs="*", metavar="RULE", help="these rules only")

    def handle(self, *args, dry_run=False, batch_size=None, only=None, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        try:
            if dry_run:
                figures = retention.count(only=only)
            else:
                figures = retention.run(batch_size=batch_size, only=only)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "would delete" if dry_run else "deleted"
        described = {rule.name: rule.describe for rule in retention.rules()}
        for name, n in figures.items():
            what = "kept (off)" if n is None else f"{verb} {n}"
            self.stdout.write(f"{name}: {what} — {described[name]}")
