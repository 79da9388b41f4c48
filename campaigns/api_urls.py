"""Included under /api/v1/campaigns/."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.CampaignListApi.as_view(), name="campaigns"),
    path("<int:campaign_id>/", api.CampaignDetailApi.as_view(), name="campaign"),
    path("<int:campaign_id>/status/", api.CampaignStatusApi.as_view(), name="campaign-status"),
    path(
        "<int:campaign_id>/contributions/",
        api.ContributionListApi.as_view(),
        name="campaign-contributions",
    ),
    path(
        "<int:campaign_id>/contributions/<int:contribution_id>/pick/",
        api.PickApi.as_view(),
        name="campaign-pick",
    ),
    path("<int:campaign_id>/posts/", api.SharePostListApi.as_view(), name="campaign-posts"),
    path(
        "<int:campaign_id>/posts/<int:share_post_id>/",
        api.SharePostDetailApi.as_view(),
        name="campaign-post",
    ),
    path(
        "<int:campaign_id>/posts/<int:share_post_id>/shares/",
        api.ShareListApi.as_view(),
        name="campaign-shares",
    ),
    path("<int:campaign_id>/report/", api.ReportApi.as_view(), name="campaign-report"),
]
