from django.urls import path

from . import social_views

app_name = "social"

urlpatterns = [
    path("", social_views.org, name="org"),
    path("activity/", social_views.activity, name="activity"),
    path("activity/items/", social_views.activity_items, name="activity-items"),
]
