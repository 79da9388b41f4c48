"""The Insights tab of the group pages: /groups/<slug>/insights/ (config.urls)."""

from django.urls import path

from . import views

app_name = "group_analytics"

urlpatterns = [
    path("<slug:slug>/insights/", views.group_insights, name="group"),
]
