"""Posts under /api/v1/posts/: writing one, reading, editing and deleting it, its earlier
texts, and accepting an answer to a question."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from groups.selectors import get_listed_group

from .. import selectors, services
from ..selectors import FEED_ORDER, FEED_TYPES
from ..serializers import (
    AcceptAnswerSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    RevisionSerializer,
)
from .common import _comment_or_400, _post_after_change, post_data


class PostCreateApi(APIView):
    @extend_schema(
        request=PostCreateSerializer, responses={201: PostSerializer}, operation_id="posts_create"
    )
    def post(self, request):
        """Post in a group (writing in a public group joins it)."""
        data = validated(PostCreateSerializer, request)
        try:
            group = get_listed_group(request.user, data["group"])
        except Http404:
            raise ApplicationError("No group has this slug.", field="group") from None
        post = services.create_post(
            actor=request.user, group=group, body=data["body"], kind=data["kind"]
        )
        post = selectors.get_visible_post(request.user, post.pk)
        return Response(post_data(request, post), status=status.HTTP_201_CREATED)


class PostDetailApi(APIView):
    @extend_schema(responses=PostSerializer, operation_id="posts_retrieve")
    def get(self, request, post_id: int):
        """A post I may read (404 alike for missing and not mine to see)."""
        return Response(post_data(request, selectors.get_visible_post(request.user, post_id)))

    @extend_schema(
        request=PostUpdateSerializer, responses=PostSerializer, operation_id="posts_partial_update"
    )
    def patch(self, request, post_id: int):
        """The author changes the text; the old text is kept as a revision."""
        data = validated(PostUpdateSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        services.edit_post(actor=request.user, post=post, body=data["body"])
        return _post_after_change(request, post_id)

    @extend_schema(responses={204: None}, operation_id="posts_destroy")
    def delete(self, request, post_id: int):
        """The author deletes the post (leaders remove instead)."""
        post = selectors.get_visible_post(request.user, post_id)
        services.delete_post(actor=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostRevisionsApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(RevisionSerializer),
        operation_id="posts_revisions_list",
    )
    def get(self, request, post_id: int):
        """The post's earlier texts, newest first."""
        post = selectors.get_visible_post(request.user, post_id)
        page = keyset_page(
            request, selectors.revisions_of(post), ordering=FEED_ORDER, types=FEED_TYPES
        )
        return keyset_response(page, RevisionSerializer(page.items, many=True).data, request)


class PostAcceptAnswerApi(APIView):
    @extend_schema(
        request=AcceptAnswerSerializer, responses=PostSerializer, operation_id="posts_accept"
    )
    def post(self, request, post_id: int):
        """The asker or a leader marks a comment as the answer (`null` clears it)."""
        data = validated(AcceptAnswerSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        comment = None
        if data["comment"] is not None:
            comment = _comment_or_400(request.user, data["comment"], "comment")
        services.accept_answer(actor=request.user, post=post, comment=comment)
        return _post_after_change(request, post_id)
