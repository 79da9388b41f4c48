from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("new/", views.new_poll, name="new"),
    path("<int:poll_id>/", views.card, name="card"),
    path("<int:poll_id>/vote/", views.vote, name="vote"),
    path("<int:poll_id>/close/", views.close, name="close"),
    path("<int:poll_id>/voters/", views.voters, name="voters"),
]
