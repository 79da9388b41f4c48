"""The certification pages: the quiz editor (admins), the quiz employees take (scored on
the server), the certified representatives, and admins revoking a certification."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.forms import show_on_form
from people import selectors as people
from people.roles import is_admin

from .. import selectors, services
from ..forms import QuizForm, RevokeForm
from .common import _admin_only, _refuse, _section


@require_http_methods(["GET", "POST"])
def quiz_editor(request, number: int):
    _admin_only(request)
    found = selectors.get_visible_version(request.user, number)
    existing = selectors.quiz_of(found)
    form = QuizForm(
        request.POST or None,
        initial={
            "pass_mark": existing.pass_mark if existing else 80,
            "questions": services.quiz_as_text(existing),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_quiz(
                actor=request.user,
                version=found,
                pass_mark=form.cleaned_data["pass_mark"],
                questions=services.parse_quiz_text(form.cleaned_data["questions"]),
            )
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Quiz saved.")
            return redirect(found.get_absolute_url())
    context = {"version": found, "form": form, "quiz": existing}
    return render(request, "policies/quiz_editor.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def quiz(request):
    """Employees take the quiz. The page carries questions and choice ids only; the answer
    key stays on the server, which scores the submission."""
    _section(request)
    current_quiz = selectors.current_quiz()
    if current_quiz is None:
        return render(request, "policies/quiz.html", {"quiz": None})
    error, attempt = "", None
    if request.method == "POST":
        answers = {
            key.removeprefix("q"): value
            for key, value in request.POST.items()
            if key.startswith("q") and key[1:].isdigit()
        }
        try:
            attempt = services.submit_quiz(actor=request.user, quiz=current_quiz, answers=answers)
        except ApplicationError as exc:
            if exc.status == 403:
                messages.error(request, exc.message)
                return redirect("policies:current")
            error = exc.message
    context = {
        "quiz": current_quiz,
        "attempt": attempt,
        "error": error,
        "chosen": set(request.POST.values()) if error else set(),
        "certification": selectors.active_certification(request.user),
        "acknowledged": selectors.has_acknowledged_current(request.user),
    }
    return render(request, "policies/quiz.html", context, status=400 if error else 200)


# --- Certified people -----------------------------------------------------------------


@require_GET
def representatives(request):
    _section(request)
    context = {
        "certifications": list(selectors.representatives(request.user)),
        "admin": is_admin(request.user),
        "settings": selectors.policy_settings(),
    }
    return render(request, "policies/representatives.html", context)


@require_POST
def revoke_certification(request, username: str):
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    person = people.get_account(username=username)
    if person is None:
        raise Http404("No such person.")
    try:
        services.revoke_certification(actor=request.user, user=person, reason=reason)
    except ApplicationError as exc:
        return _refuse(request, exc, reverse("policies:representatives"))
    messages.success(request, f"{username} is no longer a certified representative.")
    return redirect("policies:representatives")
