"""The leaders' actions under /api/v1/: removing a post or a comment (saying why), pinning
and unpinning, closing and reopening comments; and reports to the leaders (reporting a post
or comment is here; deciding on reports is groups'). Who may do what is feeds.moderation's."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import validated
from core.errors import ApplicationError
from groups.serializers import ReportCreateSerializer, ReportSerializer, RequiredReasonSerializer

from .. import moderation, selectors
from ..serializers import PostSerializer
from .common import _post_after_change


class PostRemoveApi(APIView):
    @extend_schema(
        request=RequiredReasonSerializer, responses={204: None}, operation_id="posts_remove"
    )
    def post(self, request, post_id: int):
        """Leaders take the post down for everyone, saying why."""
        data = validated(RequiredReasonSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        moderation.remove_post(actor=request.user, post=post, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostPinApi(APIView):
    @extend_schema(request=None, responses=PostSerializer, operation_id="posts_pin")
    def post(self, request, post_id: int):
        """Leaders pin the post to the top of its group."""
        post = selectors.get_visible_post(request.user, post_id)
        moderation.pin_post(actor=request.user, post=post, pinned=True)
        return _post_after_change(request, post_id)


class PostUnpinApi(APIView):
    @extend_schema(request=None, responses=PostSerializer, operation_id="posts_unpin")
    def post(self, request, post_id: int):
        """Leaders unpin the post."""
        post = selectors.get_visible_post(request.user, post_id)
        moderation.pin_post(actor=request.user, post=post, pinned=False)
        return _post_after_change(request, post_id)


class PostCloseCommentsApi(APIView):
    @extend_schema(request=None, responses=PostSerializer, operation_id="posts_close_comments")
    def post(self, request, post_id: int):
        """Leaders close the post to new comments."""
        post = selectors.get_visible_post(request.user, post_id)
        moderation.close_comments(actor=request.user, post=post, closed=True)
        return _post_after_change(request, post_id)


class PostOpenCommentsApi(APIView):
    @extend_schema(request=None, responses=PostSerializer, operation_id="posts_open_comments")
    def post(self, request, post_id: int):
        """Leaders reopen the post to comments."""
        post = selectors.get_visible_post(request.user, post_id)
        moderation.close_comments(actor=request.user, post=post, closed=False)
        return _post_after_change(request, post_id)


class CommentRemoveApi(APIView):
    @extend_schema(
        request=RequiredReasonSerializer, responses={204: None}, operation_id="comments_remove"
    )
    def post(self, request, comment_id: int):
        """Leaders take the comment down, saying why."""
        data = validated(RequiredReasonSerializer, request)
        comment = selectors.get_visible_comment(request.user, comment_id)
        moderation.remove_comment(actor=request.user, comment=comment, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportCreateApi(APIView):
    @extend_schema(
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
        operation_id="reports_create",
    )
    def post(self, request):
        """Report a post or a comment I can read to the group's leaders."""
        data = validated(ReportCreateSerializer, request)
        post = comment = None
        try:
            if data.get("post") is not None:
                post = selectors.get_visible_post(request.user, data["post"])
            else:
                comment = selectors.get_visible_comment(request.user, data["comment"])
        except Http404:
            field = "post" if data.get("post") is not None else "comment"
            raise ApplicationError(
                "There is nothing with this id to report.", field=field
            ) from None
        report = moderation.report_content(
            actor=request.user, reason=data["reason"], post=post, comment=comment
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
