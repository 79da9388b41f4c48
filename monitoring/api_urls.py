from django.urls import path

from . import api

urlpatterns = [
    path("rules/", api.RuleListApi.as_view(), name="monitoring-rule-list"),
    path("rules/<int:rule_id>/", api.RuleDetailApi.as_view(), name="monitoring-rule-detail"),
    path("alerts/", api.AlertListApi.as_view(), name="monitoring-alert-list"),
    path("alerts/<int:alert_id>/", api.AlertDetailApi.as_view(), name="monitoring-alert-detail"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        api.AlertAcknowledgeApi.as_view(),
        name="monitoring-alert-acknowledge",
    ),
    path(
        "alerts/<int:alert_id>/resolve/",
        api.AlertResolveApi.as_view(),
        name="monitoring-alert-resolve",
    ),
]
