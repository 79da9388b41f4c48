"""Comments under /api/v1/: a post's comments with their replies, commenting and replying,
editing and deleting a comment."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_response, keyset_schema, validated
from core.pagination import page_size_from

from .. import selectors, services
from ..serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    CommentUpdateSerializer,
    ReplySerializer,
)
from .common import _comment_or_400


class PostCommentsApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(CommentSerializer),
        operation_id="posts_comments_list",
    )
    def get(self, request, post_id: int):
        """The post's comments, oldest first, a page at a time, each with its replies (one
        level). A deleted or removed comment with live replies comes as a placeholder: its
        `body` and `body_html` empty."""
        post = selectors.get_visible_post(request.user, post_id)
        page = selectors.comments_page(
            request.user,
            post,
            cursor=request.query_params.get("cursor"),
            size=page_size_from(request.query_params.get("page_size")),
        )
        return keyset_response(page, CommentSerializer(page.items, many=True).data, request)

    @extend_schema(
        request=CommentCreateSerializer,
        responses={201: ReplySerializer},
        operation_id="posts_comments_create",
    )
    def post(self, request, post_id: int):
        """Comment on the post, or reply to a comment (`parent`)."""
        data = validated(CommentCreateSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        parent = None
        if data.get("parent") is not None:
            parent = _comment_or_400(request.user, data["parent"], "parent")
        comment = services.create_comment(
            actor=request.user, post=post, body=data["body"], parent=parent
        )
        return Response(ReplySerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailApi(APIView):
    @extend_schema(
        request=CommentUpdateSerializer,
        responses=ReplySerializer,
        operation_id="comments_partial_update",
    )
    def patch(self, request, comment_id: int):
        """The author changes the comment's text."""
        data = validated(CommentUpdateSerializer, request)
        comment = selectors.get_visible_comment(request.user, comment_id)
        comment = services.edit_comment(actor=request.user, comment=comment, body=data["body"])
        return Response(ReplySerializer(comment).data)

    @extend_schema(responses={204: None}, operation_id="comments_destroy")
    def delete(self, request, comment_id: int):
        """The author deletes the comment."""
        comment = selectors.get_visible_comment(request.user, comment_id)
        services.delete_comment(actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)
