"""The campaigns API under /api/v1/campaigns/: campaigns, contributions, picks, share-ready
posts and recorded shares, and the report. Each view parses with its own serializer, asks
one selector or calls one service, and answers with its own output serializer."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError

from . import selectors, services
from .serializers import (
    CampaignInputSerializer,
    CampaignListItemSerializer,
    CampaignReportSerializer,
    CampaignSerializer,
    CampaignShareInputSerializer,
    CampaignShareSerializer,
    CampaignStatusInputSerializer,
    CampaignUpdateSerializer,
    ContributionInputSerializer,
    ContributionSerializer,
    PickInputSerializer,
    SharePostSerializer,
    SuggestedTextInputSerializer,
)

TAG = ["campaigns"]


class CampaignListApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(CampaignListItemSerializer),
        operation_id="campaigns_list",
    )
    def get(self, request):
        """Campaigns I may read, newest start first (drafts only for the social team)."""
        page = keyset_page(
            request,
            selectors.visible_campaigns(request.user),
            ordering=("-starts_at", "-id"),
            types=(str, int),
        )
        return keyset_response(
            page, CampaignListItemSerializer(page.items, many=True).data, request
        )

    @extend_schema(
        tags=TAG,
        request=CampaignInputSerializer,
        responses={201: CampaignSerializer},
        operation_id="campaigns_create",
    )
    def post(self, request):
        """The social team starts a draft campaign."""
        data = validated(CampaignInputSerializer, request)
        campaign = services.create_campaign(actor=request.user, **data)
        found = selectors.get_visible_campaign(request.user, campaign.pk)
        return Response(CampaignSerializer(found).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    @extend_schema(tags=TAG, responses=CampaignSerializer, operation_id="campaigns_retrieve")
    def get(self, request, campaign_id: int):
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(
        tags=TAG,
        request=CampaignUpdateSerializer,
        responses=CampaignSerializer,
        operation_id="campaigns_partial_update",
    )
    def patch(self, request, campaign_id: int):
        """The social team corrects a draft or open campaign (409 once closed); fields not
        given keep their value."""
        data = validated(CampaignUpdateSerializer, request)
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        fields = ("title", "brief", "hashtag", "guidance", "starts_at", "ends_at")
        values = {name: data.get(name, getattr(campaign, name)) for name in fields}
        services.update_campaign(actor=request.user, campaign=campaign, **values)
        return Response(
            CampaignSerializer(selectors.get_visible_campaign(request.user, campaign_id)).data
        )


class CampaignStatusApi(APIView):
    @extend_schema(
        tags=TAG,
        request=CampaignStatusInputSerializer,
        responses=CampaignSerializer,
        operation_id="campaigns_status",
    )
    def post(self, request, campaign_id: int):
        """Open a draft (everyone is notified) or close an open campaign."""
        data = validated(CampaignStatusInputSerializer, request)
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        change = services.open_campaign if data["status"] == "open" else services.close_campaign
        change(actor=request.user, campaign=campaign)
        return Response(
            CampaignSerializer(selectors.get_visible_campaign(request.user, campaign_id)).data
        )


class ContributionListApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG,
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(ContributionSerializer),
        operation_id="campaigns_contributions_list",
    )
    def get(self, request, campaign_id: int):
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        page = keyset_page(
            request,
            selectors.visible_contributions(request.user, campaign),
            ordering=("-created_at", "-id"),
            types=(str, int),
        )
        return keyset_response(page, ContributionSerializer(page.items, many=True).data, request)

    @extend_schema(
        tags=TAG,
        request={"multipart/form-data": ContributionInputSerializer},
        responses={201: ContributionSerializer},
        operation_id="campaigns_contributions_create",
    )
    def post(self, request, campaign_id: int):
        """Contribute a story (and a photo) to an open campaign."""
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        data = validated(ContributionInputSerializer, request)
        contribution = services.contribute(
            actor=request.user,
            campaign=campaign,
            text=data["text"],
            consent=data["consent"],
            image=data.get("image"),
        )
        found = selectors.get_visible_contribution(request.user, campaign, contribution.pk)
        return Response(ContributionSerializer(found).data, status=status.HTTP_201_CREATED)


class PickApi(APIView):
    @extend_schema(
        tags=TAG,
        request=PickInputSerializer,
        responses={201: SharePostSerializer},
        operation_id="campaigns_contributions_pick",
    )
    def post(self, request, campaign_id: int, contribution_id: int):
        """The social team picks a contribution: a share-ready post; its author is told."""
        data = validated(PickInputSerializer, request)
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        item = selectors.get_visible_contribution(request.user, campaign, contribution_id)
        post = services.pick_contribution(
            actor=request.user, contribution=item, suggested_text=data["suggested_text"]
        )
        found = selectors.get_share_post(request.user, campaign, post.pk)
        return Response(SharePostSerializer(found).data, status=status.HTTP_201_CREATED)


class SharePostListApi(APIView):
    @extend_schema(
        tags=TAG, responses=SharePostSerializer(many=True), operation_id="campaigns_posts_list"
    )
    def get(self, request, campaign_id: int):
        """Share-ready posts of an open campaign, with suggested text."""
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        posts = selectors.share_posts(request.user, campaign)[:200]
        return Response(SharePostSerializer(posts, many=True).data)


class SharePostDetailApi(APIView):
    @extend_schema(
        tags=TAG,
        request=SuggestedTextInputSerializer,
        responses=SharePostSerializer,
        operation_id="campaigns_posts_partial_update",
    )
    def patch(self, request, campaign_id: int, share_post_id: int):
        """The social team edits the suggested text."""
        data = validated(SuggestedTextInputSerializer, request)
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        post = selectors.get_share_post(request.user, campaign, share_post_id)
        services.edit_suggested_text(actor=request.user, share_post=post, **data)
        return Response(
            SharePostSerializer(selectors.get_share_post(request.user, campaign, post.pk)).data
        )


class ShareListApi(APIView):
    @extend_schema(
        tags=TAG, responses=CampaignShareSerializer(many=True), operation_id="campaigns_shares_list"
    )
    def get(self, request, campaign_id: int, share_post_id: int):
        """The shares I recorded for this post."""
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        post = selectors.get_share_post(request.user, campaign, share_post_id)
        mine = selectors.my_shares(request.user, campaign).filter(share_post=post)
        return Response(CampaignShareSerializer(mine, many=True).data)

    @extend_schema(
        tags=TAG,
        request=CampaignShareInputSerializer,
        responses={201: CampaignShareSerializer},
        operation_id="campaigns_shares_create",
    )
    def post(self, request, campaign_id: int, share_post_id: int):
        """A certified representative records where they shared the post (403 otherwise)."""
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        post = selectors.get_share_post(request.user, campaign, share_post_id)
        if reason := selectors.share_refusal(request.user):
            raise ApplicationError(reason, status=403)
        data = validated(CampaignShareInputSerializer, request)
        share = services.record_share(actor=request.user, share_post=post, **data)
        return Response(CampaignShareSerializer(share).data, status=status.HTTP_201_CREATED)


class ReportApi(APIView):
    @extend_schema(tags=TAG, responses=CampaignReportSerializer, operation_id="campaigns_report")
    def get(self, request, campaign_id: int):
        """Contributions, picks and shares per platform and department (social team)."""
        campaign = selectors.get_visible_campaign(request.user, campaign_id)
        if not selectors.may_manage(request.user):
            raise ApplicationError("Only the social team can see a campaign's report.", status=403)
        result = selectors.campaign_report(request.user, campaign)
        return Response(
            CampaignReportSerializer(
                {
                    **result.__dict__,
                    "by_platform": [{"name": n, "count": c} for n, c in result.by_platform],
                    "by_department": [row.__dict__ for row in result.by_department],
                }
            ).data
        )
