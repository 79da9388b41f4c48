from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/token/", views.api_token, name="token"),
    path("me/data/", views.my_data, name="data"),
    path("me/data/<int:export_id>/download/", views.data_download, name="data-download"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("experts/", views.experts, name="experts"),
    path("org/", views.org_chart, name="org"),
    path("org/<str:username>/", views.org_chart, name="org-person"),
    path("suggest/", views.suggest, name="suggest"),
    path("pick/", views.pick, name="pick"),
    path("<str:username>/", views.profile, name="profile"),
]
