from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/list/", views.alert_list, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.resolve, name="resolve"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:rule_id>/", views.edit_rule, name="rule"),
    path("rules/<int:rule_id>/delete/", views.delete_rule, name="rule-delete"),
]
