"""The flow every "new … in a group" page shares (a poll, an event): the group named by
?group= or the form, the form bound on POST, and a clear answer on the form when something
is missing or refused. The page's own view supplies its form and the service that publishes;
nothing is written unless the service runs, and the service writes all or nothing.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest

from core.errors import ApplicationError
from core.forms import show_on_form

from . import selectors


def compose_in_group(
    request: HttpRequest,
    *,
    make_form: Callable[[Any, str], forms.Form],
    publish: Callable[[Any, dict], Any],
    default_field: str,
) -> tuple[forms.Form, Any, Any]:
    """(form, group, what `publish(group, cleaned_data)` made or None).

    `make_form(data, slug)` builds the page's form (data is None on GET). On POST without a
    group the form says to pick one; an invalid form keeps its errors; an ApplicationError
    from `publish` goes to its field (or `default_field`), except a 403, which is raised for
    the error page. The caller answers 400 when nothing was made on a POST."""
    slug = (request.POST.get("group") or request.GET.get("group") or "")[:100]
    group = selectors.get_listed_group(request.user, slug) if slug else None
    form = make_form(request.POST or None, slug)
    if request.method != "POST":
        return form, group, None
    if group is None:
        form.add_error("group", "Choose where to post: pick a group.")
    elif form.is_valid():
        try:
            return form, group, publish(group, form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc, default_field=default_field)
    return form, group, None
