from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("new/", views.new_event, name="new"),
    path("calendar/reset/", views.reset_calendar, name="reset-calendar"),
    path("calendar/<str:token>/events.ics", views.calendar, name="calendar"),
    path("<int:event_id>/", views.card, name="card"),
    path("<int:event_id>/edit/", views.edit_event, name="edit"),
    path("<int:event_id>/answer/", views.answer, name="answer"),
    path("<int:event_id>/cancel/", views.cancel, name="cancel"),
    path("<int:event_id>/people/", views.people_answered, name="people"),
    path("<int:event_id>/event.ics", views.event_ics, name="ics"),
]
