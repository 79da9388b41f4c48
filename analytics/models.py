"""Weekly rollups: the figures of each week that is over, per group and for the whole
company (group empty), computed from the raw rows by analytics.figures and stored by
analytics.services so that a report reads a row per week instead of counting a million
posts. The current week is never stored: it is always counted afresh.

Kept up to date by the clock (ANALYTICS_ROLLUP_HOUR: the weeks that just ended and the
ANALYTICS_ROLLUP_REFRESH_WEEKS before them, again, for late deletions) and rebuilt for any
range on demand (`manage.py rollup_analytics`); a week a report needs and does not find is
counted from the raw rows for that request and stored by a task after it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from groups.models import Group


class WeeklyFigures(models.Model):
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField(help_text="The Monday the week starts on (site time zone)")
    active = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    # Hours to the first answer of each answered question: the period's median is taken
    # over all of them, not over the weeks' medians.
    delays = models.JSONField(default=list, blank=True)
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "week"],
                name="analytics_week_of_group",
                condition=Q(group__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["week"], name="analytics_week_of_company", condition=Q(group__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Week of {self.week} ({self.group_id or 'company'})"


class WeeklyContribution(models.Model):
    """How many posts and comments one person wrote in a week, per group and for the company
    (group empty): the top contributors of a period are the sums over its weeks."""

    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["group", "week"],
                name="analytics_contrib_group",
                condition=Q(group__isnull=False),
            ),
            models.Index(
                fields=["week"], name="analytics_contrib_company", condition=Q(group__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} in the week of {self.week}"
