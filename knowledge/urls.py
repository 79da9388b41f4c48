from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("themes/", views.themes_page, name="themes"),
    path("from-question/<int:question_id>/", views.new_entry, name="new"),
    path("<int:entry_id>/", views.entry_detail, name="detail"),
    path("<int:entry_id>/edit/", views.edit_entry, name="edit"),
    path("<int:entry_id>/state/", views.change_state, name="state"),
    path("<int:entry_id>/reuse/", views.reuse, name="reuse"),
]
