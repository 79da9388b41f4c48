from django.urls import path

from . import api

urlpatterns = [
    path(
        "groups/<slug:slug>/analytics/",
        api.GroupAnalyticsApi.as_view(),
        name="group-analytics",
    ),
    path("analytics/company/", api.CompanyAnalyticsApi.as_view(), name="company-analytics"),
]
