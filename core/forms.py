"""The one way a page shows a service's refusal on the form that caused it."""

from django import forms

from .errors import ApplicationError


def show_on_form(form: forms.Form, exc: ApplicationError, *, default_field: str | None = None):
    """Put `exc` on the field it names (else on `default_field`, else on the whole form), so
    the page is the form again with the message beside what the user typed. Anything that is
    not about the input (a refusal, a missing object) the view lets through to
    core.middleware.ApplicationErrorMiddleware instead."""
    form.add_error(exc.field if exc.field in form.fields else default_field, exc.message)
