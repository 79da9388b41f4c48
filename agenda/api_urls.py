from django.urls import path

from . import api

urlpatterns = [
    path("events/", api.EventListApi.as_view(), name="event-list"),
    path("events/calendar/", api.CalendarFeedApi.as_view(), name="event-calendar"),
    path("events/calendar/reset/", api.CalendarResetApi.as_view(), name="event-calendar-reset"),
    path("events/<int:event_id>/", api.EventDetailApi.as_view(), name="event-detail"),
    path("events/<int:event_id>/cancel/", api.EventCancelApi.as_view(), name="event-cancel"),
    path("events/<int:event_id>/answer/", api.EventAnswerApi.as_view(), name="event-answer"),
    path("events/<int:event_id>/people/", api.EventAttendeesApi.as_view(), name="event-people"),
    path(
        "events/<int:event_id>/people/<str:answer>/",
        api.EventAnswerPeopleApi.as_view(),
        name="event-people-answer",
    ),
]
