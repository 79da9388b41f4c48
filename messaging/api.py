"""The messages API under /api/v1/messages/: the same selectors and services as the pages.
Only participants read a conversation; every id of a conversation or message the caller is
not part of answers 404, like one that does not exist."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError

from . import selectors, services
from .serializers import (
    ConversationCreateSerializer,
    ConversationSerializer,
    MessageCreateSerializer,
    MessageReactionSerializer,
    MessageSendSerializer,
    MessageSerializer,
    ParticipantsAddSerializer,
    ReadSerializer,
)


def _conversation(seat) -> dict:
    return ConversationSerializer(seat).data


class ConversationListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(ConversationSerializer),
        operation_id="messages_conversations_list",
    )
    def get(self, request):
        """My conversations, newest activity first, with unread counts."""
        page = keyset_page(
            request,
            selectors.inbox(request.user),
            ordering=selectors.INBOX_ORDER,
            types=selectors.INBOX_TYPES,
        )
        seats = [selectors.describe(s) for s in page.items]
        return keyset_response(page, ConversationSerializer(seats, many=True).data, request)

    @extend_schema(
        request=ConversationCreateSerializer,
        responses={201: ConversationSerializer},
        operation_id="messages_conversations_create",
    )
    def post(self, request):
        """Start a conversation (or get my one-to-one with that person)."""
        data = validated(ConversationCreateSerializer, request)
        conversation = services.start_conversation(
            actor=request.user,
            people=services.find_people(data["participants"]),
            title=data["title"],
        )
        seat = selectors.get_seat(request.user, conversation.pk)
        return Response(_conversation(seat), status=status.HTTP_201_CREATED)


class ConversationDetailApi(APIView):
    @extend_schema(responses=ConversationSerializer, operation_id="messages_conversations_retrieve")
    def get(self, request, conversation_id: int):
        return Response(_conversation(selectors.get_seat(request.user, conversation_id)))


class MessageListApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter(
                "after",
                int,
                description="Catch-up: up to 100 messages after this id, oldest first "
                "(then `cursor` is ignored)",
            ),
        ],
        responses=keyset_schema(MessageSerializer),
        operation_id="messages_list",
    )
    def get(self, request, conversation_id: int):
        """The messages I may read, newest first; or, with `after`, what came since."""
        seat = selectors.get_seat(request.user, conversation_id)
        after = request.query_params.get("after")
        if after not in (None, ""):
            try:
                after_id = int(after)
            except ValueError as exc:
                raise ApplicationError("Give a message id.", field="after") from exc
            messages = selectors.decorate(selectors.messages_after(seat, after_id), request.user)
            return Response({"next": None, "results": MessageSerializer(messages, many=True).data})
        page = keyset_page(
            request,
            selectors.thread(seat),
            ordering=selectors.THREAD_ORDER,
            types=selectors.THREAD_TYPES,
        )
        messages = selectors.decorate(page.items, request.user)
        return keyset_response(page, MessageSerializer(messages, many=True).data, request)

    @extend_schema(
        request={
            "application/json": MessageSendSerializer,
            "multipart/form-data": MessageSendSerializer,
        },
        responses={201: MessageSerializer},
        operation_id="messages_create",
    )
    def post(self, request, conversation_id: int):
        """Send a message: JSON, or multipart/form-data with `attachments`."""
        data = validated(MessageSendSerializer, request)
        seat = selectors.get_seat(request.user, conversation_id)
        message = services.send_message(
            actor=request.user, seat=seat, body=data["body"], attachments=data["attachments"]
        )
        selectors.decorate([message], request.user)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class MessageDetailApi(APIView):
    @extend_schema(
        request=MessageCreateSerializer,
        responses=MessageSerializer,
        operation_id="messages_partial_update",
    )
    def patch(self, request, message_id: int):
        """The author changes the text."""
        data = validated(MessageCreateSerializer, request)
        seat, message = selectors.get_visible_message(request.user, message_id)
        services.edit_message(actor=request.user, seat=seat, message=message, body=data["body"])
        selectors.decorate([message], request.user)
        return Response(MessageSerializer(message).data)

    @extend_schema(responses={204: None}, operation_id="messages_destroy")
    def delete(self, request, message_id: int):
        """The author deletes it: it shows as "Message deleted" to everyone."""
        seat, message = selectors.get_visible_message(request.user, message_id)
        services.delete_message(actor=request.user, seat=seat, message=message)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadMarkerApi(APIView):
    @extend_schema(
        request=ReadSerializer,
        responses={200: ReadSerializer},
        operation_id="messages_conversations_read",
    )
    def post(self, request, conversation_id: int):
        """I have read up to `message` (default: everything)."""
        data = validated(ReadSerializer, request)
        seat = selectors.get_seat(request.user, conversation_id)
        through = services.mark_read(actor=request.user, seat=seat, through=data.get("message"))
        return Response({"message": through})


class ParticipantsApi(APIView):
    @extend_schema(
        request=ParticipantsAddSerializer,
        responses=ConversationSerializer,
        operation_id="messages_participants_add",
    )
    def post(self, request, conversation_id: int):
        """Add people to a group conversation."""
        data = validated(ParticipantsAddSerializer, request)
        seat = selectors.get_seat(request.user, conversation_id)
        services.add_participants(
            actor=request.user, seat=seat, people=services.find_people(data["participants"])
        )
        return Response(_conversation(selectors.get_seat(request.user, conversation_id)))


class ParticipantDetailApi(APIView):
    @extend_schema(responses={204: None}, operation_id="messages_participants_remove")
    def delete(self, request, conversation_id: int, username: str):
        """Remove someone (the conversation's starter), or leave (my own username)."""
        seat = selectors.get_seat(request.user, conversation_id)
        person = services.find_people([username])[0]
        if person is None:
            raise ApplicationError("This person is not in the conversation.", field="username")
        services.remove_participant(actor=request.user, seat=seat, user=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageReactionsApi(APIView):
    @extend_schema(
        request=MessageReactionSerializer,
        responses=MessageSerializer,
        operation_id="messages_reactions_add",
    )
    def post(self, request, message_id: int):
        """Put my reaction of `kind` on a message (no change if it is there already)."""
        data = validated(MessageReactionSerializer, request)
        seat, message = selectors.get_visible_message(request.user, message_id)
        services.react_to_message(
            actor=request.user, seat=seat, message=message, kind=data["kind"], on=True
        )
        return Response(MessageSerializer(selectors.decorate([message], request.user)[0]).data)


class MessageReactionDetailApi(APIView):
    @extend_schema(responses=MessageSerializer, operation_id="messages_reactions_remove")
    def delete(self, request, message_id: int, kind: str):
        """Take back my reaction of `kind`."""
        seat, message = selectors.get_visible_message(request.user, message_id)
        services.react_to_message(
            actor=request.user, seat=seat, message=message, kind=kind, on=False
        )
        return Response(MessageSerializer(selectors.decorate([message], request.user)[0]).data)
