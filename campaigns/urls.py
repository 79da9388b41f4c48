from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:campaign_id>/", views.detail, name="detail"),
    path("<int:campaign_id>/edit/", views.edit, name="edit"),
    path("<int:campaign_id>/open/", views.open_campaign, name="open"),
    path("<int:campaign_id>/close/", views.close_campaign, name="close"),
    path("<int:campaign_id>/contribute/", views.contribute, name="contribute"),
    path(
        "<int:campaign_id>/contributions/<int:contribution_id>/photo/",
        views.image,
        name="image",
    ),
    path("<int:campaign_id>/contributions/<int:contribution_id>/pick/", views.pick, name="pick"),
    path("<int:campaign_id>/shares/", views.shares, name="shares"),
    path(
        "<int:campaign_id>/shares/<int:share_post_id>/record/",
        views.record_share,
        name="record-share",
    ),
    path("<int:campaign_id>/shares/<int:share_post_id>/text/", views.edit_text, name="edit-text"),
    path("<int:campaign_id>/report/", views.report, name="report"),
    path("<int:campaign_id>/report.csv", views.report_csv, name="report-csv"),
]
