"""The crisis playbook: the one in force, its versions (drafts for admins and crisis
leads), publication, acknowledgement and diffs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from core.versioning import compared_numbers

from .. import selectors, services
from ..forms import PlaybookForm
from .common import _refuse_or_say, _section


def _playbook_reader(request) -> None:
    _section(request)
    if not selectors.may_read_playbook(request.user):
        raise PermissionDenied("The crisis playbook is for the crisis team and the social team.")


def playbook(request):
    _playbook_reader(request)
    version = selectors.current_playbook()
    context = {
        "version": version,
        "acknowledgement": selectors.playbook_acknowledgement(request.user, version),
        "statements": selectors.holding_statements(version),
        "team": selectors.playbook_acknowledgements(request.user, version) if version else [],
        "writer": selectors.may_write_playbook(request.user),
        "tab": "playbook",
    }
    return render(request, "crisis/playbook.html", context)


@require_http_methods(["GET", "POST"])
def playbook_versions(request):
    _playbook_reader(request)
    writer = selectors.may_write_playbook(request.user)
    versions = selectors.visible_playbook_versions(request.user)
    latest = versions.first()
    form = None
    if writer:
        initial = {"title": latest.title, "body": latest.body} if latest else {}
        form = PlaybookForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only admins and crisis leads write the playbook.")
        if form.is_valid():
            try:
                version = services.create_playbook_version(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, f"Draft {version.number} saved.")
                return redirect(version.get_absolute_url())
    context = {"versions": list(versions), "form": form, "writer": writer, "tab": "playbook"}
    return render(
        request,
        "crisis/playbook_versions.html",
        context,
        status=400 if form and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def playbook_version(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    writer = selectors.may_write_playbook(request.user)
    form = None
    if writer and version.is_draft:
        form = PlaybookForm(
            request.POST or None,
            initial={
                "title": version.title,
                "body": version.body,
                "change_note": version.change_note,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only drafts change, by admins and crisis leads.")
        if form.is_valid():
            try:
                services.edit_playbook_version(
                    actor=request.user, version=version, **form.cleaned_data
                )
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Draft saved.")
                return redirect(version.get_absolute_url())
    previous = (
        selectors.visible_playbook_versions(request.user).filter(number__lt=version.number).first()
    )
    context = {
        "version": version,
        "previous": previous,
        "form": form,
        "writer": writer,
        "acknowledgement": selectors.playbook_acknowledgement(request.user, version),
        "tab": "playbook",
    }
    return render(
        request,
        "crisis/playbook_version.html",
        context,
        status=400 if form and form.errors else 200,
    )


@require_POST
def publish_playbook(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    try:
        services.publish_playbook_version(actor=request.user, version=version)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
        return redirect(version.get_absolute_url())
    messages.success(request, f"Version {version.number} is the playbook now.")
    return redirect("crisis:playbook")


@require_POST
def acknowledge_playbook(request, number: int):
    _playbook_reader(request)
    version = selectors.get_playbook_version(request.user, number)
    try:
        services.acknowledge_playbook(actor=request.user, version=version)
    except ApplicationError as exc:
        _refuse_or_say(request, exc)
    return redirect("crisis:playbook")


@require_GET
def playbook_diff(request):
    _playbook_reader(request)
    old_number, new_number = compared_numbers(request.GET)
    old = selectors.get_playbook_version(request.user, old_number)
    new = selectors.get_playbook_version(request.user, new_number)
    context = {
        "old": old,
        "new": new,
        "lines": selectors.diff_playbook(old, new),
        "versions": selectors.visible_playbook_versions(request.user),
        "tab": "playbook",
    }
    return render(request, "crisis/playbook_diff.html", context)
