"""My data: the copies of personal data a viewer asked for, and the one they may download."""

from django.http import Http404

MY_DATA_EXPORTS = 20


def data_exports_requested(viewer):
    """The copies `viewer` asked for (of their own data, or, for an admin, of others'), with
    whose data each is, newest first (index export_by_requester); none for the signed out."""
    from ..models import DataExport

    if not viewer.is_authenticated:
        return DataExport.objects.none()
    return (
        DataExport.objects.filter(requested_by=viewer)
        .select_related("person__profile")
        .order_by("-created_at", "-id")
    )


def data_exports_of(viewer) -> list:
    """The newest MY_DATA_EXPORTS of data_exports_requested: one query."""
    return list(data_exports_requested(viewer)[:MY_DATA_EXPORTS])


def get_data_export(viewer, export_id):
    """A copy `viewer` may download: only the one who asked for it, and an admin only while
    they are one. 404 alike for missing and someone else's."""
    from .. import roles
    from ..models import DataExport

    try:
        export_id = int(export_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    export = (
        DataExport.objects.filter(pk=export_id, requested_by_id=getattr(viewer, "pk", None))
        .select_related("person", "requested_by")
        .first()
    )
    if export is None or not viewer.is_active:
        raise Http404("No such copy.")
    if export.person_id != viewer.pk and not roles.is_admin(viewer):
        raise Http404("No such copy.")
    return export
