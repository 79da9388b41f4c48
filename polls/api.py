"""The polls API under /api/v1/polls/: create, read, vote, close, and who voted (visible
polls only). Thin: the same services and selectors as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_response, keyset_schema, validated
from core.pagination import page_size_from
from groups.api import readable_group

from . import selectors, services
from .serializers import (
    OptionVotersSerializer,
    PollCreateSerializer,
    PollSerializer,
    VoterSerializer,
    VoteSerializer,
)


def _poll_data(request, poll_id: int) -> dict:
    poll = selectors.get_visible_poll(request.user, poll_id)
    selectors.attach_viewer([poll], viewer=request.user)
    return PollSerializer(poll).data


class PollCreateApi(APIView):
    @extend_schema(tags=["polls"], request=PollCreateSerializer, responses={201: PollSerializer})
    def post(self, request):
        """Post a poll in a group: a post whose text is the question, with its options."""
        data = validated(PollCreateSerializer, request)
        group = readable_group(request.user, data.pop("group"))
        poll = services.create_poll(actor=request.user, group=group, **data)
        return Response(_poll_data(request, poll.pk), status=status.HTTP_201_CREATED)


class PollDetailApi(APIView):
    @extend_schema(tags=["polls"], responses=PollSerializer)
    def get(self, request, poll_id: int):
        """A poll and its results, for readers of its post."""
        return Response(_poll_data(request, poll_id))


class PostPollApi(APIView):
    @extend_schema(tags=["polls"], responses=PollSerializer, operation_id="posts_poll_retrieve")
    def get(self, request, post_id: int):
        """The poll of a post (404 when the post has none or is not mine to read)."""
        poll = selectors.get_poll_of_post(request.user, post_id)
        return Response(_poll_data(request, poll.pk))


class VoteApi(APIView):
    @extend_schema(tags=["polls"], request=VoteSerializer, responses=PollSerializer)
    def post(self, request, poll_id: int):
        """Vote. A visible poll's vote replaces my earlier one; an anonymous poll takes one
        vote per person (409 after)."""
        poll = selectors.get_visible_poll(request.user, poll_id)
        data = validated(VoteSerializer, request)
        services.vote(actor=request.user, poll=poll, option_ids=data["options"])
        return Response(_poll_data(request, poll_id))


class CloseApi(APIView):
    @extend_schema(tags=["polls"], request=None, responses=PollSerializer)
    def post(self, request, poll_id: int):
        """Close the poll now (its author or a group leader)."""
        poll = selectors.get_visible_poll(request.user, poll_id)
        services.close_poll(actor=request.user, poll=poll)
        return Response(_poll_data(request, poll_id))


class VotersApi(APIView):
    @extend_schema(tags=["polls"], responses=OptionVotersSerializer(many=True))
    def get(self, request, poll_id: int):
        """Who chose each option of a visible poll: the first page of each option, by name,
        with the URL of its next page (`next`); 404 for an anonymous poll."""
        poll = selectors.get_visible_poll(request.user, poll_id)
        rows = selectors.voters_of(poll, size=selectors.VOTERS_PAGE)
        for row in rows:
            row["next"] = None
            if row["next_cursor"]:
                path = f"/api/v1/polls/{poll.pk}/voters/{row['option'].pk}/"
                row["next"] = request.build_absolute_uri(f"{path}?cursor={row['next_cursor']}")
        return Response(OptionVotersSerializer(rows, many=True).data)


class OptionVotersApi(APIView):
    @extend_schema(
        tags=["polls"],
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(VoterSerializer),
        operation_id="polls_option_voters_list",
    )
    def get(self, request, poll_id: int, option_id: int):
        """Who chose one option of a visible poll, by name, keyset-paginated; 404 for an
        anonymous poll."""
        poll = selectors.get_visible_poll(request.user, poll_id)
        page = selectors.option_voters(
            poll,
            option_id,
            cursor=request.query_params.get("cursor"),
            size=page_size_from(request.query_params.get("page_size")),
        )
        return keyset_response(page, VoterSerializer(page.items, many=True).data, request)
