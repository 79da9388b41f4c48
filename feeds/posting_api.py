"""The API of saved posts, shares, drafts and scheduled posts, and praise (tag "posts").

Lists of posts go through the same cards as the feeds (feeds.api.serialize_posts): a page
costs the same number of queries whatever its size.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from groups.selectors import get_listed_group
from people import selectors as people_selectors

from . import drafts, praise, selectors, sharing
from .api import PAGE_OF_POSTS, post_data, posts_response, serialize_posts
from .models import Post
from .selectors import FEED_ORDER, FEED_TYPES
from .serializers import (
    DraftCreateSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    PostSerializer,
    PraiseCreateSerializer,
    SavedResultSerializer,
    ShareCreateSerializer,
)


def _group_or_400(user, slug: str):
    try:
        return get_listed_group(user, slug)
    except Http404:
        raise ApplicationError("No group has this slug.", field="group") from None


class SavedPostsApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="saved_list")
    def get(self, request):
        """The posts I saved that I may still read, newest save first."""
        page = keyset_page(
            request,
            selectors.saved_entries(request.user).only("id", "created_at", "post_id"),
            ordering=FEED_ORDER,
            types=FEED_TYPES,
        )
        ids = [entry.post_id for entry in page.items]
        by_id = selectors.card_keys(Post.objects.filter(pk__in=ids)).in_bulk()
        posts = [by_id[pk] for pk in ids if pk in by_id]
        return keyset_response(page, serialize_posts(request, posts), request)


class PostSaveApi(APIView):
    @extend_schema(request=None, responses=SavedResultSerializer, operation_id="posts_save")
    def post(self, request, post_id: int):
        """Keep the post in my Saved list."""
        post = selectors.get_visible_post(request.user, post_id)
        saved = sharing.save_post(actor=request.user, post=post, saved=True)
        return Response(SavedResultSerializer({"saved": saved}).data)

    @extend_schema(responses=SavedResultSerializer, operation_id="posts_unsave")
    def delete(self, request, post_id: int):
        """Take the post out of my Saved list."""
        post = selectors.get_visible_post(request.user, post_id)
        saved = sharing.save_post(actor=request.user, post=post, saved=False)
        return Response(SavedResultSerializer({"saved": saved}).data)


class PostShareApi(APIView):
    @extend_schema(
        request=ShareCreateSerializer, responses={201: PostSerializer}, operation_id="posts_share"
    )
    def post(self, request, post_id: int):
        """Share the post into a group, with a comment. Readers there see the original only
        if they may read it (`shared.visible`)."""
        data = validated(ShareCreateSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        group = _group_or_400(request.user, data["group"])
        made = sharing.share_post(actor=request.user, post=post, group=group, body=data["body"])
        made = selectors.get_visible_post(request.user, made.pk)
        return Response(post_data(request, made), status=status.HTTP_201_CREATED)


class DraftListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(DraftSerializer),
        operation_id="drafts_list",
    )
    def get(self, request):
        """My drafts, scheduled posts and those not published (with why), last changed
        first."""
        page = keyset_page(
            request,
            selectors.drafts_of(request.user),
            ordering=("-updated_at", "-id"),
            types=FEED_TYPES,
        )
        data = DraftSerializer(page.items, many=True, context={"request": request}).data
        return keyset_response(page, data, request)

    @extend_schema(
        request=DraftCreateSerializer,
        responses={201: DraftSerializer},
        operation_id="drafts_create",
    )
    def post(self, request):
        """Keep a draft; with `publish_at`, schedule it (it is checked again when it goes)."""
        data = validated(DraftCreateSerializer, request)
        group = _group_or_400(request.user, data["group"]) if data.get("group") else None
        draft = drafts.save_draft(
            actor=request.user,
            body=data["body"],
            group=group,
            kind=data["kind"],
            publish_at=data.get("publish_at"),
        )
        draft = selectors.get_own_draft(request.user, draft.pk)
        return Response(
            DraftSerializer(draft, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class DraftDetailApi(APIView):
    @extend_schema(responses=DraftSerializer, operation_id="drafts_retrieve")
    def get(self, request, draft_id: int):
        """One of my drafts (404 alike for missing and someone else's)."""
        draft = selectors.get_own_draft(request.user, draft_id)
        return Response(DraftSerializer(draft, context={"request": request}).data)

    @extend_schema(
        request=DraftUpdateSerializer,
        responses=DraftSerializer,
        operation_id="drafts_partial_update",
    )
    def patch(self, request, draft_id: int):
        """Change the text, group or kind; `publish_at` schedules it, `null` cancels that."""
        data = validated(DraftUpdateSerializer, request)
        draft = selectors.get_own_draft(request.user, draft_id)
        changes = {}
        if "group" in data:
            changes["group"] = _group_or_400(request.user, data["group"]) if data["group"] else None
        if "kind" in data:
            changes["kind"] = data["kind"]
        if changes or "body" in data:
            drafts.update_draft(
                actor=request.user, draft=draft, body=data.get("body", draft.body), **changes
            )
        if "publish_at" in data:
            if data["publish_at"] is None:
                drafts.unschedule_draft(actor=request.user, draft=draft)
            else:
                drafts.schedule_draft(
                    actor=request.user, draft=draft, publish_at=data["publish_at"]
                )
        draft = selectors.get_own_draft(request.user, draft_id)
        return Response(DraftSerializer(draft, context={"request": request}).data)

    @extend_schema(responses={204: None}, operation_id="drafts_destroy")
    def delete(self, request, draft_id: int):
        """Delete the draft (a scheduled one does not go out)."""
        draft = selectors.get_own_draft(request.user, draft_id)
        drafts.delete_draft(actor=request.user, draft=draft)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftPublishApi(APIView):
    @extend_schema(request=None, responses={201: PostSerializer}, operation_id="drafts_publish")
    def post(self, request, draft_id: int):
        """Publish the draft now."""
        draft = selectors.get_own_draft(request.user, draft_id)
        post = drafts.publish_draft(actor=request.user, draft=draft)
        post = selectors.get_visible_post(request.user, post.pk)
        return Response(post_data(request, post), status=status.HTTP_201_CREATED)


class PraiseCreateApi(APIView):
    @extend_schema(
        request=PraiseCreateSerializer,
        responses={201: PostSerializer},
        operation_id="praise_create",
    )
    def post(self, request):
        """Praise colleagues with a badge, in a group they can read; each is notified."""
        data = validated(PraiseCreateSerializer, request)
        group = _group_or_400(request.user, data["group"])
        people = praise.praised_people(" ".join(data["people"]), actor=request.user)
        post = praise.give_praise(
            actor=request.user, group=group, people=people, badge=data["badge"], body=data["body"]
        )
        post = selectors.get_visible_post(request.user, post.pk)
        return Response(post_data(request, post), status=status.HTTP_201_CREATED)


class PersonPraiseApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="people_praise_list"
    )
    def get(self, request, username: str):
        """Praise this person received that I may read, newest first."""
        person = people_selectors.get_person(request.user, username)
        return posts_response(request, selectors.praise_received(request.user, person))
