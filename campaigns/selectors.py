"""Who may read what of a campaign, and who may do what. Every surface asks here.

| object                                   | who may read it                                   |
|------------------------------------------|---------------------------------------------------|
| a draft campaign                         | the social team and admins                        |
| an open or closed campaign, its brief    | every active employee                             |
| contributions of an open campaign        | every active employee                             |
| contributions of a draft/closed campaign | the social team, admins, and each its own author  |
| share-ready posts of an open campaign    | every active employee (only certified             |
|                                          | representatives may record a share)               |
| the campaign report                      | the social team and admins                        |
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from people.models import Department
from people.roles import SOCIAL_TEAM, has_role, is_admin
from policies import selectors as policies

from .models import Campaign, Contribution, Share, SharePost

NOT_CERTIFIED = (
    "Only certified brand representatives who acknowledged the current social media policy "
    "can record shares. Pass the certification quiz on the Policy page first."
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_manage(user) -> bool:
    """The social team (and admins) open, close and pick."""
    return _active(user) and (has_role(user, SOCIAL_TEAM) or is_admin(user))


def share_refusal(user) -> str:
    """Why `user` may not record a share ("" when they may): certified and acknowledged,
    as policies says. Costs two or three queries."""
    if not _active(user):
        return NOT_CERTIFIED
    if not policies.is_certified(user) or not policies.has_acknowledged_current(user):
        return NOT_CERTIFIED
    return ""


def may_record_share(user) -> bool:
    return share_refusal(user) == ""


# --- Campaigns ------------------------------------------------------------------------


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns `user` may read, with their contribution and share-ready counts."""
    if not _active(user):
        return Campaign.objects.none()
    campaigns = Campaign.objects.all()
    if not may_manage(user):
        campaigns = campaigns.exclude(status=Campaign.Status.DRAFT)
    return campaigns.annotate(
        contribution_count=Count("contributions", distinct=True),
        picked_count=Count("share_posts", distinct=True),
    )


def get_visible_campaign(user, campaign_id) -> Campaign:
    """The campaign, or 404 alike for "no such campaign" and "not yours to see"."""
    campaign = visible_campaigns(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


# --- Contributions --------------------------------------------------------------------


def visible_contributions(user, campaign: Campaign) -> QuerySet[Contribution]:
    """Newest first, authors' profiles and share-ready posts loaded (one query)."""
    if not _active(user):
        return Contribution.objects.none()
    contributions = Contribution.objects.filter(campaign=campaign).select_related(
        "author__profile__department", "share_post"
    )
    if not (campaign.is_open or may_manage(user)):
        contributions = contributions.filter(author_id=user.pk)
    return contributions


def get_visible_contribution(user, campaign: Campaign, contribution_id) -> Contribution:
    found = visible_contributions(user, campaign).filter(pk=contribution_id).first()
    if found is None:
        raise Http404("No such contribution.")
    return found


# --- Share-ready posts ----------------------------------------------------------------


def share_posts(user, campaign: Campaign) -> QuerySet[SharePost]:
    """Picked posts of an open campaign (any state for the social team), with the
    contribution, its author and the viewer's own recorded shares countable."""
    if not _active(user) or not (campaign.is_open or may_manage(user)):
        return SharePost.objects.none()
    return (
        SharePost.objects.filter(campaign=campaign)
        .select_related("contribution__author__profile")
        .annotate(
            share_count=Count("shares", distinct=True),
            my_share_count=Count("shares", filter=Q(shares__user_id=user.pk), distinct=True),
        )
    )


def get_share_post(user, campaign: Campaign, share_post_id) -> SharePost:
    found = share_posts(user, campaign).filter(pk=share_post_id).first()
    if found is None:
        raise Http404("No such share-ready post.")
    return found


def my_shares(user, campaign: Campaign) -> QuerySet[Share]:
    if not _active(user):
        return Share.objects.none()
    return Share.objects.filter(share_post__campaign=campaign, user_id=user.pk)


# --- Report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    contributions: int
    picked: int
    shares: int


@dataclass(frozen=True)
class CampaignReport:
    contributions: int
    consented: int
    picked: int
    shares: int
    by_platform: list[tuple[str, int]]
    by_department: list[DepartmentRow]


def campaign_report(viewer, campaign: Campaign) -> CampaignReport:
    """Counts for the social team (a fixed handful of queries whatever the campaign's size).
    Contributions and picks count in their author's department, shares in the sharer's."""
    if not may_manage(viewer):
        raise Http404("No such report.")
    contributions = Contribution.objects.filter(campaign=campaign)
    totals = contributions.aggregate(
        total=Count("id"),
        consented=Count("id", filter=Q(consent=True)),
        picked=Count("share_post"),
    )
    shares = Share.objects.filter(share_post__campaign=campaign)
    platforms = dict(shares.values_list("platform").annotate(n=Count("id")).order_by())
    by_platform = [(label, platforms.get(value, 0)) for value, label in Share.Platform.choices]
    by_author = {
        row["author__profile__department"]: row
        for row in contributions.values("author__profile__department")
        .annotate(n=Count("id"), picked=Count("share_post"))
        .order_by()
    }
    by_sharer = dict(
        shares.values_list("user__profile__department").annotate(n=Count("id")).order_by()
    )
    names = dict(Department.objects.values_list("id", "name"))
    keys = sorted(
        set(by_author) | set(by_sharer),
        key=lambda k: (k is None, names.get(k, "").lower()),
    )
    rows = [
        DepartmentRow(
            name=names.get(key, "No department"),
            contributions=by_author.get(key, {}).get("n", 0),
            picked=by_author.get(key, {}).get("picked", 0),
            shares=by_sharer.get(key, 0),
        )
        for key in keys
    ]
    return CampaignReport(
        contributions=totals["total"],
        consented=totals["consented"],
        picked=totals["picked"],
        shares=sum(platforms.values()),
        by_platform=by_platform,
        by_department=rows,
    )
