"""Query expressions the ORM lacks."""

from django.db.models import IntegerField, QuerySet, Subquery


class CountOf(Subquery):
    """How many rows a queryset gives, as a correlated subquery (COUNT(*) over it): counted
    for each outer row that is kept, so that under an ORDER BY ... LIMIT PostgreSQL counts
    for the page's rows only, where a join and GROUP BY counts every row first. With a
    sliced queryset, counting stops at its end; an unsliced one is counted unordered."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        if not queryset.query.is_sliced:
            queryset = queryset.order_by()
        super().__init__(queryset, **extra)
