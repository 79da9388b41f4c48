"""Campaign pages: the list, a campaign with its contributions, the share-ready posts for
representatives, and the social team's report. Reads are campaigns.selectors'; writes are
campaigns.services'.
"""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.files import serve_stored_file
from core.forms import show_on_form

from . import selectors, services
from .forms import CampaignForm, ContributionForm, ShareForm
from .models import IMAGE_FOLDER


def _section(request) -> None:
    request.active_section = "campaigns"


def _refuse(request, exc: ApplicationError, to: str):
    if exc.status == 403:
        raise exc
    messages.error(request, exc.message)
    return redirect(to)


@require_GET
def campaign_list(request):
    _section(request)
    context = {
        "campaigns": list(selectors.visible_campaigns(request.user)[:100]),
        "manager": selectors.may_manage(request.user),
    }
    return render(request, "campaigns/list.html", context)


@require_http_methods(["GET", "POST"])
def new(request):
    _section(request)
    if not selectors.may_manage(request.user):
        raise ApplicationError("Only the social team can start campaigns.", status=403)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Draft saved. Open it when it is ready.")
            return redirect(campaign)
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def edit(request, campaign_id: int):
    """The social team corrects a draft or open campaign (the form of a new one, filled in)."""
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    if not selectors.may_manage(request.user):
        raise ApplicationError("Only the social team can edit campaigns.", status=403)
    fields = ("title", "hashtag", "starts_at", "ends_at", "brief", "guidance")
    initial = {name: getattr(campaign, name) for name in fields}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ApplicationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, "Campaign saved.")
            return redirect(campaign)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "campaign": campaign}
    return render(request, "campaigns/new.html", context, status=status)


def _detail_context(request, campaign, contribution_form=None):
    manager = selectors.may_manage(request.user)
    return {
        "campaign": campaign,
        "manager": manager,
        "contributions": list(selectors.visible_contributions(request.user, campaign)[:200]),
        "form": contribution_form or ContributionForm(),
    }


@require_GET
def detail(request, campaign_id: int):
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    return render(request, "campaigns/detail.html", _detail_context(request, campaign))


@require_POST
def open_campaign(request, campaign_id: int):
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    try:
        services.open_campaign(actor=request.user, campaign=campaign)
    except ApplicationError as exc:
        return _refuse(request, exc, campaign.get_absolute_url())
    messages.success(request, "The campaign is open; everyone was told.")
    return redirect(campaign)


@require_POST
def close_campaign(request, campaign_id: int):
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    try:
        services.close_campaign(actor=request.user, campaign=campaign)
    except ApplicationError as exc:
        return _refuse(request, exc, campaign.get_absolute_url())
    messages.success(request, "The campaign is closed.")
    return redirect(campaign)


@require_POST
def contribute(request, campaign_id: int):
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    form = ContributionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.contribute(
                actor=request.user,
                campaign=campaign,
                text=form.cleaned_data["text"],
                consent=form.cleaned_data["consent"],
                image=form.cleaned_data["image"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc)
        else:
            messages.success(request, "Thank you: your story is in.")
            return redirect(campaign)
    context = _detail_context(request, campaign, form)
    return render(request, "campaigns/detail.html", context, status=400)


@require_GET
def image(request, campaign_id: int, contribution_id: int):
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    item = selectors.get_visible_contribution(request.user, campaign, contribution_id)
    if not item.image:
        raise Http404("This contribution has no photo.")
    return serve_stored_file(
        name=item.image.name,
        folder=IMAGE_FOLDER,
        filename=item.image_name or "photo",
        content_type=item.image_type,
        inline=True,
        max_age=3600,
    )


@require_POST
def pick(request, campaign_id: int, contribution_id: int):
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    item = selectors.get_visible_contribution(request.user, campaign, contribution_id)
    text = request.POST.get("suggested_text", "")  # the service says what is wrong with it
    try:
        services.pick_contribution(actor=request.user, contribution=item, suggested_text=text)
    except ApplicationError as exc:
        return _refuse(request, exc, campaign.get_absolute_url())
    messages.success(request, "Picked: it is on the share-ready list, and its author was told.")
    return redirect("campaigns:shares", campaign.pk)


@require_GET
def shares(request, campaign_id: int):
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    return render(request, "campaigns/shares.html", _shares_context(request, campaign))


def _shares_context(request, campaign, *, failed_form=None, failed_id=None):
    posts = list(selectors.share_posts(request.user, campaign))
    for post in posts:
        post.form = failed_form if post.pk == failed_id else ShareForm()
    return {
        "campaign": campaign,
        "posts": posts,
        "refusal": selectors.share_refusal(request.user),
        "manager": selectors.may_manage(request.user),
        "mine": list(selectors.my_shares(request.user, campaign).select_related("share_post")),
    }


@require_POST
def record_share(request, campaign_id: int, share_post_id: int):
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    post = selectors.get_share_post(request.user, campaign, share_post_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.record_share(actor=request.user, share_post=post, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            show_on_form(form, exc)
        else:
            messages.success(request, "Recorded. Thank you for sharing.")
            return redirect("campaigns:shares", campaign.pk)
    elif reason := selectors.share_refusal(request.user):
        raise ApplicationError(reason, status=403)
    context = _shares_context(request, campaign, failed_form=form, failed_id=post.pk)
    return render(request, "campaigns/shares.html", context, status=400)


@require_POST
def edit_text(request, campaign_id: int, share_post_id: int):
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    post = selectors.get_share_post(request.user, campaign, share_post_id)
    text = request.POST.get("suggested_text", "")  # the service says what is wrong with it
    try:
        services.edit_suggested_text(actor=request.user, share_post=post, suggested_text=text)
    except ApplicationError as exc:
        return _refuse(request, exc, f"{campaign.get_absolute_url()}shares/")
    messages.success(request, "Suggested text saved.")
    return redirect("campaigns:shares", campaign.pk)


def _report(request, campaign_id: int):
    _section(request)
    campaign = selectors.get_visible_campaign(request.user, campaign_id)
    if not selectors.may_manage(request.user):
        raise ApplicationError("Only the social team can see a campaign's report.", status=403)
    return campaign, selectors.campaign_report(request.user, campaign)


@require_GET
def report(request, campaign_id: int):
    campaign, result = _report(request, campaign_id)
    context = {"campaign": campaign, "report": result, "manager": True}
    return render(request, "campaigns/report.html", context)


def _cell(value: str) -> str:
    """No spreadsheet formulas from user text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
def report_csv(request, campaign_id: int):
    campaign, result = _report(request, campaign_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "name", "contributions", "picked", "shares"])
    writer.writerow(["total", "", result.contributions, result.picked, result.shares])
    for label, count in result.by_platform:
        writer.writerow(["platform", label, "", "", count])
    for row in result.by_department:
        writer.writerow(["department", _cell(row.name), row.contributions, row.picked, row.shares])
    return response
