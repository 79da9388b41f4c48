"""Listening pages: open alerts (live), one alert with its chart and questions, watch rules.

Who reads: monitoring.selectors (the social team, admins, department watchers). Who writes:
monitoring.services (ApplicationError, turned into messages here or by the middleware).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from people.selectors import all_departments

from . import charts, hooks, selectors, services
from .forms import RuleForm

STATUS_VIEWS = {"open": "Open", "resolved": "Resolved", "": "All"}
LIST_SIZE = 50


def _reader(request) -> None:
    request.active_section = "alerts"
    if not selectors.may_read_listening(request.user):
        raise PermissionDenied("Listening is for the social team, admins and department leaders.")


def _status(request) -> str:
    status = request.GET.get("status", "open")
    return status if status in STATUS_VIEWS else "open"


def _list_context(request) -> dict:
    status = _status(request)
    alerts = list(selectors.visible_alerts(request.user, status=status)[:LIST_SIZE])
    return {"alerts": alerts, "status": status, "views": STATUS_VIEWS}


@require_GET
def alerts(request):
    _reader(request)
    context = _list_context(request)
    context["manager"] = selectors.may_manage_rules(request.user)
    return render(request, "monitoring/alerts.html", context)


@require_GET
def alert_list(request):
    """The list alone: the page fetches it again when an alert.changed event arrives."""
    _reader(request)
    return render(request, "monitoring/_alert_list.html", _list_context(request))


@require_GET
def alert(request, alert_id: int):
    _reader(request)
    a = selectors.get_visible_alert(request.user, alert_id)
    series = selectors.alert_series(a)
    context = {
        "a": a,
        "chart": charts.volume_chart(series),
        "series": series,
        "questions": selectors.questions_behind(request.user, a),
        "actions": hooks.alert_actions(request.user, a),
    }
    return render(request, "monitoring/alert.html", context)


def _alert_action(request, alert_id: int, service, done: str):
    _reader(request)
    a = selectors.get_visible_alert(request.user, alert_id)
    try:
        service(actor=request.user, alert=a)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(a.get_absolute_url())


@require_POST
def acknowledge(request, alert_id: int):
    return _alert_action(request, alert_id, services.acknowledge_alert, "Acknowledged.")


@require_POST
def resolve(request, alert_id: int):
    return _alert_action(request, alert_id, services.resolve_alert, "Resolved.")


def _rule_data(form: RuleForm) -> dict:
    data = dict(form.cleaned_data)
    return data


@require_http_methods(["GET", "POST"])
def rules(request):
    _reader(request)
    departments = list(all_departments())
    form = RuleForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_rule(actor=request.user, **_rule_data(form))
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Rule saved: new questions are matched from now on.")
            return redirect("monitoring:rules")
    context = {
        "rules": list(selectors.visible_rules(request.user)),
        "form": form,
        "manager": selectors.may_manage_rules(request.user),
    }
    return render(request, "monitoring/rules.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def edit_rule(request, rule_id: int):
    _reader(request)
    rule = selectors.get_visible_rule(request.user, rule_id)
    departments = list(all_departments())
    initial = {
        "name": rule.name,
        "terms": "\n".join(rule.terms),
        "department": rule.department.slug if rule.department else "",
        "channel": rule.channel,
        "severity": rule.severity,
    }
    form = RuleForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST":
        active = request.POST.get("active")
        if active in ("0", "1") and "name" not in request.POST:
            services.update_rule(actor=request.user, rule=rule, active=active == "1")
            messages.success(request, "Rule turned on." if active == "1" else "Rule paused.")
            return redirect("monitoring:rules")
        if form.is_valid():
            try:
                services.update_rule(actor=request.user, rule=rule, **_rule_data(form))
            except ApplicationError as exc:
                if exc.status == 403:
                    raise
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Rule saved.")
                return redirect("monitoring:rules")
    context = {"rule": rule, "form": form, "manager": selectors.may_manage_rules(request.user)}
    return render(request, "monitoring/rule.html", context, status=400 if form.errors else 200)


@require_POST
def delete_rule(request, rule_id: int):
    _reader(request)
    rule = selectors.get_visible_rule(request.user, rule_id)
    services.delete_rule(actor=request.user, rule=rule)
    messages.success(request, "Rule deleted.")
    return redirect("monitoring:rules")
