"""Rebuild the weekly rollups of community analytics for a range of weeks that are over:
after an import, a restore, or to show an old deletion at once."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics import services
from groups.models import Group


class Command(BaseCommand):
    help = "Rebuild community analytics' weekly rollups (company and groups) for a range."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=12, help="the last N weeks that are over")
        parser.add_argument("--since", help="YYYY-MM-DD: from this week (instead of --weeks)")
        parser.add_argument("--until", help="YYYY-MM-DD: to this week (default: the last one over)")
        parser.add_argument(
            "--group",
            action="append",
            help="a group's slug (repeatable); default: every group active in each week",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            until = dt.date.fromisoformat(options["until"]) if options["until"] else today
            if options["since"]:
                since = dt.date.fromisoformat(options["since"])
            else:
                since = today - dt.timedelta(weeks=options["weeks"])
        except ValueError as exc:
            raise CommandError(f"--since/--until: {exc}") from exc
        groups = None
        if options["group"]:
            groups = list(Group.objects.filter(slug__in=options["group"]))
            unknown = set(options["group"]) - {g.slug for g in groups}
            if unknown:
                raise CommandError(f"--group: no such group {', '.join(sorted(unknown))}")
        weeks = services.closed_weeks(since, until)
        written = services.roll_up(weeks=weeks, groups=groups)
        self.stdout.write(f"{written} weekly rollups written for {len(weeks)} weeks")
