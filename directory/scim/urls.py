from django.urls import path

from . import api

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", api.ServiceProviderConfigApi.as_view(), name="config"),
    path("ResourceTypes", api.ResourceTypesApi.as_view(), name="resource-types"),
    path("Users", api.UsersApi.as_view(), name="users"),
    path("Users/<str:user_id>", api.UserApi.as_view(), name="user"),
    path("Groups", api.GroupsApi.as_view(), name="groups"),
    path("Groups/<str:group_id>", api.GroupApi.as_view(), name="group"),
]
