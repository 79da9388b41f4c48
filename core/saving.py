"""Writing only what changed: one helper for the services that copy a record from outside
(SCIM, the CSV import, an SSO sign-in) onto a row that usually already holds it."""

from django.db import models


def save_changed(instance: models.Model, values: dict) -> dict[str, tuple]:
    """Set each of `values` that differs from `instance`'s field and save only those fields.

    Returns {field: (old, new)} for what changed; saves nothing, and so sends no signal,
    when nothing did. A save moves what listens to it (the directory's counts generation
    forgets every kept card), so copying the same record again must not save.
    """
    changed = {}
    for field, value in values.items():
        old = getattr(instance, field)
        if old != value:
            changed[field] = (old, value)
            setattr(instance, field, value)
    if changed:
        instance.save(update_fields=list(changed))
    return changed
