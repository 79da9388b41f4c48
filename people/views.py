from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import exports as core_exports
from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form
from core.pagination import InvalidCursor
from core.sections import sections_for

from . import personal_data, selectors, services
from .experts import find_experts
from .forms import DirectoryFilterForm, ProfileForm
from .models import AVATAR_FOLDER, EXPORT_FOLDER

DIRECTORY_PAGE_SIZE = 24


def _section(request, name: str) -> None:
    request.active_section = name


@require_GET
def directory(request):
    _section(request, "people")
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest("Those filters are not valid.")
    # Cached with the counts: the filter's list, and the chosen one without a query of its own;
    # the generation read before the page (person_cards, the total). One round trip.
    filtered = any(form.cleaned_data[name] for name in ("department", "skill", "q"))
    counts = selectors.directory_counts(request.user, everyone=not filtered)
    departments = counts.departments
    slug = form.cleaned_data["department"]
    department = next((d for d in departments if d.slug == slug), None) if slug else None
    skill = selectors.get_skill(form.cleaned_data["skill"])
    if (form.cleaned_data["department"] and department is None) or (
        form.cleaned_data["skill"] and skill is None
    ):
        raise Http404("No such department or skill.")
    query = form.cleaned_data["q"]
    generation = counts.generation
    try:
        page = selectors.people_page(
            viewer=request.user,
            cursor=form.cleaned_data["cursor"],
            size=DIRECTORY_PAGE_SIZE,
            department=department,
            skill=skill,
            query=query,
            as_rows=True,
            defer_rows=True,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
    context = {
        "form": form,
        "people": page.items,  # rows (a search's ids): person_cards reads what it lacks
        "cards_generation": generation,
        "next_cursor": page.next_cursor,
        "department": department,
        "skill": skill,
    }
    if request.htmx and form.cleaned_data["cursor"]:
        return render(request, "people/_directory_page.html", context)
    context.update(
        {
            "departments": departments,
            "popular_skills": counts.popular_skills,
            "total": selectors.directory_total(
                viewer=request.user,
                department=department,
                skill=skill,
                query=query,
                generation=generation,
                everyone=counts.everyone,
            ),
            "total_cap": selectors.TOTAL_CAP,
        }
    )
    return render(request, "people/directory.html", context)


@require_GET
def profile(request, username: str):
    _section(request, "people")
    person = selectors.get_visible_profile(viewer=request.user, username=username)
    return render(
        request,
        "people/profile.html",
        {
            "person": person,
            "chain": selectors.manager_chain(person),
            "reports": selectors.direct_reports(person),
            "is_me": person.user_id == request.user.pk,
            # What apps above people add (knowledge: "answered N customer questions").
            "sections": sections_for("profile", request.user, person),
        },
    )


@require_GET
def my_profile(request):
    return redirect("people:profile", username=request.user.username)


def edit_profile(request):
    _section(request, "people")
    me = selectors.profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, profile=me)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.EDITABLE_FIELDS}
            try:
                services.update_profile(
                    actor=request.user,
                    profile=me,
                    data=data,
                    skills=services.parse_skills(form.cleaned_data["skills"]),
                    avatar=form.cleaned_data["avatar"] or None,
                    clear_avatar=form.cleaned_data["clear_avatar"],
                )
            except ApplicationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("people:profile", username=request.user.username)
        me.refresh_from_db()
    else:
        form = ProfileForm(profile=me)
    token = selectors.api_token_of(request.user)
    return render(
        request,
        "people/edit.html",
        {"form": form, "person": me, "token": token},
        status=400 if form.errors else 200,
    )


@require_POST
def api_token(request):
    if request.POST.get("action") == "revoke":
        services.revoke_api_token(actor=request.user)
        messages.success(request, "Your API token is revoked.")
    else:
        services.regenerate_api_token(actor=request.user)
        messages.success(request, "A new API token is ready. The old one no longer works.")
    return redirect("people:edit")


@require_POST
def sign_out_everywhere(request):
    ended = services.sign_out_everywhere(
        actor=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        f"Signed out everywhere else: {ended} other session{'s' if ended != 1 else ''} ended, "
        "your API token revoked, open tabs elsewhere closed.",
    )
    return redirect("people:edit")


@require_GET
def org_chart(request, username: str | None = None):
    _section(request, "people")
    if username is None and request.GET.get("start") == "top":
        return render(request, "people/org.html", {"roots": selectors.top_of_org(request.user)})
    # Without a name the chart opens on the viewer: their manager above, their reports below.
    person = selectors.get_visible_profile(
        viewer=request.user, username=username or request.user.get_username()
    )
    return render(
        request,
        "people/org.html",
        {
            "person": person,
            "chain": list(reversed(selectors.manager_chain(person))),
            "reports": selectors.direct_reports(person),
        },
    )


@require_GET
def experts(request):
    _section(request, "people")
    topic = request.GET.get("topic", "").strip()[:100]
    # The whole page reads the popular skills with the generation, in one round trip.
    counts = None if request.htmx else selectors.directory_counts(request.user, everyone=False)
    generation = counts.generation if counts else None
    found = find_experts(viewer=request.user, topic=topic, generation=generation)
    template = "people/_experts.html" if request.htmx else "people/experts.html"
    context = {"topic": topic, "experts": found.rows, "generation": found.generation}
    if counts:
        context["popular_skills"] = counts.popular_skills[:20]
    return render(request, template, context)


@require_GET
def suggest(request):
    """People whose name starts with `q`: <option>s for an input's datalist, or with
    `as=listbox` the photo, name and title of each for the composer's "@" autocomplete."""
    people = selectors.suggest_people(
        viewer=request.user, prefix=(request.GET.get("q") or request.GET.get("manager") or "")[:60]
    )
    listbox = request.GET.get("as") == "listbox"
    template = "people/_suggest_options.html" if listbox else "people/_suggest.html"
    by_name = request.GET.get("value") == "name"  # the option's value is "Name (@username)"
    return render(request, template, {"people": people, "by_name": by_name})


@require_GET
def pick(request):
    """The options of a people picker (templates/_picker.html): active people by name or
    username, with their title and department (htmx)."""
    people = selectors.suggest_people(viewer=request.user, prefix=request.GET.get("q", "")[:60])
    return render(request, "people/_pick.html", {"people": people})


@require_GET
def avatar(request, name: str):
    """A profile photo, found by its stored name among the profiles the viewer may read.

    The URL is `profile.avatar.url` (`/media/avatars/<random>.png`, a new name on every
    upload, so it may be cached); a name that matches no row is 404, never a path on disk.
    """
    profile = selectors.get_profile_by_avatar(viewer=request.user, name=name)
    return serve_stored_file(
        name=profile.avatar.name,
        folder=AVATAR_FOLDER,
        filename=f"{profile.user.username}.png",
        content_type="image/png",
        inline=True,
        max_age=86400,
    )


# --- My data ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_data(request):
    """My data: ask for a copy of everything I wrote, and download the copies I asked for."""
    _section(request, "people")
    if request.method == "POST":
        personal_data.request_data_export(actor=request.user, person=request.user)
        messages.success(
            request,
            "Your copy is being prepared. You will get a notification with the link when "
            "it is ready.",
        )
        return redirect("people:data")
    exports = selectors.data_exports_of(request.user)
    links = {e.pk: personal_data.download_url(e) for e in exports if e.is_downloadable}
    rows = [(e, links.get(e.pk)) for e in exports]
    return render(
        request,
        "people/my_data.html",
        {
            "rows": rows,
            "contents": core_exports.exporters(),
            "days": settings.DATA_EXPORT_DAYS,
            "pending": any(
                e.status == e.Status.PENDING and e.person_id == request.user.pk for e in exports
            ),
        },
    )


@require_GET
def data_download(request, export_id: int):
    """A copy's zip, to the one who asked for it only, while its signed link is valid."""
    export = selectors.get_data_export(request.user, export_id)
    personal_data.check_download_token(export, request.GET.get("key", ""))
    stamp = (export.finished_at or export.created_at).strftime("%Y-%m-%d")
    return serve_stored_file(
        name=export.file.name,
        folder=EXPORT_FOLDER,
        filename=f"socialhub-data-{export.person.username}-{stamp}.zip",
        content_type="application/zip",
        inline=False,
        max_age=0,
    )
