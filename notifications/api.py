"""The notifications API: my notifications, marking them read, my email preferences."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated

from . import selectors, services
from .serializers import MarkedSerializer, NotificationSerializer, PreferencesSerializer


class NotificationListApi(APIView):
    @extend_schema(
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("unread", bool, description="Only unread notifications"),
        ],
        responses=keyset_schema(NotificationSerializer),
        operation_id="notifications_list",
    )
    def get(self, request):
        """My notifications, most recently updated first."""
        notifications = selectors.notifications_of(request.user)
        if request.query_params.get("unread") in ("1", "true", "True"):
            notifications = notifications.filter(read_at__isnull=True)
        page = keyset_page(
            request, notifications, ordering=selectors.ORDER, types=selectors.ORDER_TYPES
        )
        return keyset_response(page, NotificationSerializer(page.items, many=True).data, request)


class NotificationReadApi(APIView):
    @extend_schema(
        request=None, responses=NotificationSerializer, operation_id="notifications_read"
    )
    def post(self, request, notification_id: int):
        """Mark one of my notifications read (404 for anyone else's)."""
        notification = selectors.get_notification(request.user, notification_id)
        services.mark_read(actor=request.user, notification=notification)
        notification = selectors.notifications_of(request.user).get(pk=notification.pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses=MarkedSerializer, operation_id="notifications_read_all")
    def post(self, request):
        """Mark all my notifications read; says how many were unread."""
        return Response({"marked": services.mark_all_read(actor=request.user)})


class PreferencesApi(APIView):
    def _body(self, user) -> dict:
        return {"digest": selectors.digest_of(user), "kinds": selectors.preferences_of(user)}

    @extend_schema(responses=PreferencesSerializer, operation_id="notifications_preferences")
    def get(self, request):
        """How I get email: per kind right away, in the digest or not at all."""
        return Response(self._body(request.user))

    @extend_schema(
        request=PreferencesSerializer,
        responses=PreferencesSerializer,
        operation_id="notifications_preferences_update",
    )
    def patch(self, request):
        """Change some of my email choices; kinds not named keep theirs."""
        data = validated(PreferencesSerializer, request)
        services.set_preferences(
            actor=request.user, deliveries=data.get("kinds", {}), digest=data.get("digest")
        )
        return Response(self._body(request.user))
