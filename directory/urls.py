from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("scim-tokens/", views.scim_tokens, name="scim-tokens"),
    path("scim-tokens/<int:token_id>/revoke/", views.revoke_scim_token, name="revoke-scim-token"),
    path("import/", views.import_directory, name="import"),
]
