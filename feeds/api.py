"""The posts API: feeds, posts, comments, reactions, topics and follows.

Every list of posts is the same pipeline: a feed selector (built on visible_posts) → a
keyset page of ids and versions → the posts' cards (feeds/cards.py: kept per version, made
by decorate_for_everyone and PostSerializer when missing) with the reader's own reactions,
so a page costs the same number of queries whatever its size and however busy its posts
are. The home feed's page is one query compiled once per process (selectors.home_feed_page).
"""

import json

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    PAGE_PARAMETERS,
    keyset_next_url,
    keyset_page,
    keyset_response,
    keyset_schema,
    validated,
)
from core.errors import ApplicationError
from core.pagination import decode_cursor, page_of, page_size_from
from groups.api import readable_group
from groups.selectors import get_listed_group
from groups.serializers import ReportCreateSerializer, ReportSerializer, RequiredReasonSerializer
from people import selectors as people_selectors

from . import cards, moderation, selectors, services
from .selectors import FEED_ORDER, FEED_TYPES
from .serializers import (
    AcceptAnswerSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CommentUpdateSerializer,
    FollowResultSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    ReactionInputSerializer,
    ReactionResultSerializer,
    ReplySerializer,
    RevisionSerializer,
    TopicSerializer,
)

PAGE_OF_POSTS = keyset_schema(PostSerializer)


def serialize_posts(request, posts: list) -> list[dict]:
    """card_texts as dicts (for an answer about one post, or a page the client wants as
    something other than JSON: the browsable API)."""
    return [json.loads(text) for text in cards.card_texts(request, posts)]


def posts_response(request, posts) -> HttpResponseBase:
    """One keyset page of `posts` (a visible_posts queryset), ready for display."""
    page = keyset_page(request, selectors.card_keys(posts), ordering=FEED_ORDER, types=FEED_TYPES)
    return _page_response(request, page, cards.card_texts(request, page.items))


def _page_response(request, page, texts: list[str]) -> HttpResponseBase:
    """keyset_response's envelope around the cards. A JSON client gets the cards' text
    written straight into the answer: no serializer, parser or renderer runs for a page of
    cards read before (bench/feed.py)."""
    if getattr(request.accepted_renderer, "format", "json") != "json":
        return keyset_response(page, [json.loads(text) for text in texts], request)
    body = (
        f'{{"next":{cards.as_json(keyset_next_url(page, request))},"results":[{",".join(texts)}]}}'
    )
    return HttpResponse(body.encode(), content_type="application/json")


def post_data(request, post) -> dict:
    return serialize_posts(request, [post])[0]


def _post_after_change(request, post_id: int) -> Response:
    """The post as the viewer now sees it, re-read through the visibility selector."""
    return Response(post_data(request, selectors.get_visible_post(request.user, post_id)))


def _comment_or_400(viewer, comment_id, field: str):
    try:
        return selectors.get_visible_comment(viewer, comment_id)
    except Http404:
        raise ApplicationError("No such comment.", field=field) from None


# --- Feeds ---------------------------------------------------------------------------------


class HomeFeedApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="feed_list")
    def get(self, request):
        """Newest first: my groups, All company, and the people and topics I follow. A
        client that lost its live connection catches up from its last cursor."""
        params = request.query_params
        size = page_size_from(params.get("page_size"))
        after = decode_cursor(params.get("cursor"), ordering=FEED_ORDER, types=FEED_TYPES)
        rows = selectors.home_feed_page(request.user, after=after, size=size)
        page = page_of(rows, ordering=FEED_ORDER, size=size)
        texts = cards.card_texts(request, page.items, reactions_read=True)
        return _page_response(request, page, texts)


class GroupPostsApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="groups_posts_list"
    )
    def get(self, request, slug: str):
        """A group's posts, newest first, for those who may read the group."""
        group = readable_group(request.user, slug)
        return posts_response(request, selectors.group_feed(request.user, group))


class TopicPostsApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="topics_posts_list"
    )
    def get(self, request, name: str):
        """The posts with this #topic that I may read, newest first."""
        topic = selectors.get_readable_topic(request.user, name)
        return posts_response(request, selectors.topic_feed(request.user, topic))


class PersonPostsApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="people_posts_list"
    )
    def get(self, request, username: str):
        """A person's posts that I may read, newest first."""
        person = people_selectors.get_person(request.user, username)
        return posts_response(request, selectors.person_feed(request.user, person))


# --- Posts ---------------------------------------------------------------------------------


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


# --- Comments ------------------------------------------------------------------------------


class PostCommentsApi(APIView):
    @extend_schema(responses=CommentSerializer(many=True), operation_id="posts_comments_list")
    def get(self, request, post_id: int):
        """The post's live comments, oldest first, each with its replies (one level)."""
        post = selectors.get_visible_post(request.user, post_id)
        return Response(
            CommentSerializer(selectors.comments_of(request.user, post), many=True).data
        )

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


# --- Reports ---------------------------------------------------------------------------------


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


# --- Reactions -----------------------------------------------------------------------------


class PostReactionsApi(APIView):
    @extend_schema(
        request=ReactionInputSerializer,
        responses=ReactionResultSerializer,
        operation_id="posts_reactions_toggle",
    )
    def post(self, request, post_id: int):
        """Add my reaction of this kind, or take it back if it is there."""
        data = validated(ReactionInputSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        active = services.toggle_reaction(actor=request.user, post=post, kind=data["kind"])
        result = {"kind": data["kind"], "active": active, "counts": post.reaction_counts}
        return Response(ReactionResultSerializer(result).data)


# --- Topics and follows --------------------------------------------------------------------


class TopicListApi(APIView):
    @extend_schema(responses=TopicSerializer(many=True), operation_id="topics_list")
    def get(self, request):
        """The most used topics among the posts I may read."""
        topics = selectors.popular_topics(request.user)
        return Response(TopicSerializer(topics, many=True, context={"request": request}).data)


class TopicFollowApi(APIView):
    @extend_schema(request=None, responses=FollowResultSerializer, operation_id="topics_follow")
    def post(self, request, name: str):
        """Follow the topic: its posts I may read come to my home feed."""
        topic = selectors.get_readable_topic(request.user, name)
        services.follow_topic(actor=request.user, topic=topic, follow=True)
        return Response(FollowResultSerializer({"following": True}).data)

    @extend_schema(responses=FollowResultSerializer, operation_id="topics_unfollow")
    def delete(self, request, name: str):
        """Stop following the topic (unknown topics too: the answer says nothing of them)."""
        try:
            topic = selectors.get_topic(name)
        except Http404:
            return Response(FollowResultSerializer({"following": False}).data)
        services.follow_topic(actor=request.user, topic=topic, follow=False)
        return Response(FollowResultSerializer({"following": False}).data)


class PersonFollowApi(APIView):
    @extend_schema(request=None, responses=FollowResultSerializer, operation_id="people_follow")
    def post(self, request, username: str):
        """Follow the person: their posts I may read come to my home feed."""
        person = people_selectors.get_person(request.user, username)
        services.follow_person(actor=request.user, person=person, follow=True)
        return Response(FollowResultSerializer({"following": True}).data)

    @extend_schema(responses=FollowResultSerializer, operation_id="people_unfollow")
    def delete(self, request, username: str):
        """Stop following the person."""
        person = people_selectors.get_person(request.user, username)
        services.follow_person(actor=request.user, person=person, follow=False)
        return Response(FollowResultSerializer({"following": False}).data)
