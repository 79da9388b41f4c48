"""The events API under /api/v1/events/: upcoming, create, read, change, cancel, answer, who
answered, and my calendar feed URL. Thin: the same services and selectors as the pages."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_response, keyset_schema, validated
from core.pagination import page_size_from
from groups.api import readable_group

from . import selectors, services
from .serializers import (
    AnswerSerializer,
    AttendeeSerializer,
    AttendeesSerializer,
    CalendarFeedSerializer,
    EventCreateSerializer,
    EventSerializer,
    EventUpdateSerializer,
)


def _event_data(request, event_id: int) -> dict:
    event = selectors.get_visible_event(request.user, event_id)
    selectors.attach_viewer([event], viewer=request.user)
    return EventSerializer(event).data


class EventListApi(APIView):
    @extend_schema(tags=["events"], responses=EventSerializer(many=True))
    def get(self, request):
        """Events not over yet in my feed's groups, or that I answered, soonest first (30)."""
        return Response(EventSerializer(selectors.upcoming_events(request.user), many=True).data)

    @extend_schema(tags=["events"], request=EventCreateSerializer, responses={201: EventSerializer})
    def post(self, request):
        """Post an event in a group: a post whose text is its description."""
        data = validated(EventCreateSerializer, request)
        group = readable_group(request.user, data.pop("group"))
        event = services.create_event(actor=request.user, group=group, **data)
        return Response(_event_data(request, event.pk), status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(tags=["events"], responses=EventSerializer)
    def get(self, request, event_id: int):
        return Response(_event_data(request, event_id))

    @extend_schema(tags=["events"], request=EventUpdateSerializer, responses=EventSerializer)
    def patch(self, request, event_id: int):
        """The organiser changes it; people going or maybe hear of a new time or place."""
        event = selectors.get_visible_event(request.user, event_id)
        data = validated(EventUpdateSerializer, request)
        services.update_event(actor=request.user, event=event, **data)
        return Response(_event_data(request, event_id))


class EventCancelApi(APIView):
    @extend_schema(tags=["events"], request=None, responses=EventSerializer)
    def post(self, request, event_id: int):
        event = selectors.get_visible_event(request.user, event_id)
        services.cancel_event(actor=request.user, event=event)
        return Response(_event_data(request, event_id))


class EventAnswerApi(APIView):
    @extend_schema(tags=["events"], request=AnswerSerializer, responses=EventSerializer)
    def post(self, request, event_id: int):
        """Going, maybe or declined; changed at will until the event is over."""
        event = selectors.get_visible_event(request.user, event_id)
        data = validated(AnswerSerializer, request)
        services.answer_event(actor=request.user, event=event, answer=data["answer"])
        return Response(_event_data(request, event_id))


class EventAttendeesApi(APIView):
    @extend_schema(tags=["events"], responses=AttendeesSerializer)
    def get(self, request, event_id: int):
        """The first page of each answer, by name, with the URL of its next page (`next`)."""
        event = selectors.get_visible_event(request.user, event_id)
        pages = selectors.attendees(event, size=selectors.ATTENDEES_PAGE)
        data = {answer: page.items for answer, page in pages.items()}
        data["next"] = {
            answer: request.build_absolute_uri(
                f"/api/v1/events/{event.pk}/people/{answer}/?cursor={page.next_cursor}"
            )
            if page.next_cursor
            else None
            for answer, page in pages.items()
        }
        return Response(AttendeesSerializer(data).data)


class EventAnswerPeopleApi(APIView):
    @extend_schema(
        tags=["events"],
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(AttendeeSerializer),
        operation_id="events_people_answer_list",
    )
    def get(self, request, event_id: int, answer: str):
        """The people who answered going, maybe or declined, by name, keyset-paginated."""
        event = selectors.get_visible_event(request.user, event_id)
        page = selectors.attendees_page(
            event,
            answer,
            cursor=request.query_params.get("cursor"),
            size=page_size_from(request.query_params.get("page_size")),
        )
        return keyset_response(page, AttendeeSerializer(page.items, many=True).data, request)


def _feed(request) -> dict:
    token = selectors.calendar_token(request.user)
    return {"url": request.build_absolute_uri(reverse("agenda:calendar", args=[token]))}


class CalendarFeedApi(APIView):
    @extend_schema(tags=["events"], responses=CalendarFeedSerializer)
    def get(self, request):
        """My personal calendar feed's signed URL."""
        return Response(_feed(request))


class CalendarResetApi(APIView):
    @extend_schema(tags=["events"], request=None, responses=CalendarFeedSerializer)
    def post(self, request):
        """A new calendar feed URL; the old one stops working."""
        services.reset_calendar_key(actor=request.user)
        return Response(_feed(request))
