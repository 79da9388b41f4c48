"""The group page's parts that are posts and comments: its feed tab and the decisions on
reports. Mounted under /groups/ in the "groups" namespace beside groups.urls (config.urls),
so `groups:detail` and `groups:decide-report` name them as before."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.group_feed, name="detail"),
    path("<slug:slug>/reports/<int:report_id>/", views.decide_report, name="decide-report"),
]
