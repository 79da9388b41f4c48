"""The Files tab of a group: its library, a file's page with its versions, uploads, and the
files themselves (each found by its row and the visibility selectors, core/files.py)."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form
from core.pagination import InvalidCursor
from groups.views import group_context
from policies.selectors import posting_gate

from . import selectors, services
from .forms import LibraryFilterForm, UploadForm, VersionForm
from .models import LIBRARY_FOLDER, PREVIEW_FOLDER

PAGE_SIZE = 30
PREVIEW_MAX_AGE = 3600


def _library_context(request, slug: str, tab: str = "files") -> dict:
    context = group_context(request, slug, tab)
    context["may_add"] = context["readable"] and selectors.can_add_files(
        request.user, context["group"], context["membership"]
    )
    context["upload_gate"] = posting_gate(request) if context["may_add"] else None
    context["max_upload_mb"] = services.max_upload_bytes() // 1048576
    context["kinds_we_keep"] = services.KINDS_WE_KEEP
    return context


@require_http_methods(["GET", "POST"])
def files(request, slug: str):
    """The library: sorted, searchable, with an upload form for members who may write."""
    context = _library_context(request, slug)
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    group = context["group"]
    upload_form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        try:
            library_file = services.add_file(
                actor=request.user,
                group=group,
                upload=upload_form.cleaned_data["file"],
                name=upload_form.cleaned_data["name"],
                description=upload_form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            if exc.status != 400:
                raise
            show_on_form(upload_form, exc, default_field="file")
        else:
            messages.success(request, f"“{library_file.name}” is in the library.")
            return redirect("library:file", group.slug, library_file.pk)
    form = LibraryFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    sort = form.cleaned_data["sort"] or "date"
    try:
        entries, next_cursor = selectors.library_page(
            request.user,
            group,
            sort=sort,
            query=form.cleaned_data["q"],
            cursor=form.cleaned_data["cursor"] or None,
            size=PAGE_SIZE,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    context.update(
        {
            "form": form,
            "sort": sort,
            "query": form.cleaned_data["q"],
            "sorts": selectors.SORT_LABELS,
            "entries": entries,
            "next_cursor": next_cursor,
            "upload_form": upload_form,
        }
    )
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "library/_files_page.html", context)
    status = 400 if upload_form.errors else 200
    return render(request, "library/files.html", context, status=status)


@require_http_methods(["GET", "POST"])
def file_detail(request, slug: str, file_id: int):
    """A library file: its preview, description, versions, and a new version's form."""
    context = _library_context(request, slug)
    if not context["readable"]:
        return render(request, "groups/locked.html", context)
    library_file = selectors.get_library_file(request.user, context["group"], file_id)
    version_form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and version_form.is_valid():
        try:
            version = services.add_version(
                actor=request.user,
                library_file=library_file,
                upload=version_form.cleaned_data["file"],
                note=version_form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            if exc.status != 400:
                raise
            show_on_form(version_form, exc, default_field="file")
        else:
            messages.success(request, f"Version {version.number} is the current one.")
            return redirect("library:file", context["group"].slug, library_file.pk)
    context.update(
        {
            "file": library_file,
            "versions": list(selectors.versions_of(library_file)),
            "may_change": selectors.can_change_file(
                request.user, library_file, context["membership"]
            ),
            "version_form": version_form,
        }
    )
    status = 400 if version_form.errors else 200
    return render(request, "library/file.html", context, status=status)


@require_POST
def delete(request, slug: str, file_id: int):
    group = selectors.get_readable_group(request.user, slug)
    library_file = selectors.get_library_file(request.user, group, file_id)
    services.delete_file(actor=request.user, library_file=library_file)
    messages.success(request, f"“{library_file.name}” is no longer in the library.")
    return redirect("library:files", group.slug)


@require_GET
def download(request, slug: str, file_id: int, number: int):
    """Any version of a library file, for readers of the group; always a download."""
    group = selectors.get_readable_group(request.user, slug)
    version = selectors.get_version(request.user, group, file_id, number)
    return serve_version(version)


def serve_version(version):
    return serve_stored_file(
        name=version.stored.name,
        folder=LIBRARY_FOLDER,
        filename=version.name,
        content_type="application/octet-stream",
        inline=False,
        max_age=PREVIEW_MAX_AGE,
    )


@require_GET
def preview(request, slug: str, file_id: int, number: int):
    """The PNG preview of a version (an image or a PDF's first page)."""
    group = selectors.get_readable_group(request.user, slug)
    version = selectors.get_version(request.user, group, file_id, number)
    return _serve_preview(version.preview, f"{version.name}.png")


@require_GET
def attachment_preview(request, slug: str, attachment_id: int):
    """The PNG preview of a post's attachment, for readers of the post."""
    group = selectors.get_readable_group(request.user, slug)
    attachment = selectors.get_group_attachment(request.user, group, attachment_id)
    found = getattr(attachment, "library_preview", None)
    return _serve_preview(found.preview if found else None, f"{attachment.name}.png")


def _serve_preview(stored, filename: str):
    from django.http import Http404

    if not stored:
        raise Http404("No preview.")
    return serve_stored_file(
        name=stored.name,
        folder=PREVIEW_FOLDER,
        filename=filename,
        content_type="image/png",
        inline=True,
        max_age=PREVIEW_MAX_AGE,
    )
