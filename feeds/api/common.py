"""What the posts API shares: a page of posts as cards (written straight into a JSON
answer), one post's card, the post as the viewer sees it after a change, and a comment
named in the input (a 400 naming the field when there is none to see)."""

import json

from django.http import Http404
from django.http.response import HttpResponseBase
from rest_framework.response import Response

from core.api import keyset_page, keyset_schema, keyset_text_response
from core.errors import ApplicationError

from .. import cards, selectors
from ..selectors import FEED_ORDER, FEED_TYPES
from ..serializers import PostSerializer

PAGE_OF_POSTS = keyset_schema(PostSerializer)


def serialize_posts(request, posts: list) -> list[dict]:
    """card_texts as dicts (for an answer about one post, or a page the client wants as
    something other than JSON: the browsable API)."""
    return [json.loads(text) for text in cards.card_texts(request, posts)]


def posts_response(request, posts) -> HttpResponseBase:
    """One keyset page of `posts` (a visible_posts queryset), ready for display."""
    page = keyset_page(request, selectors.card_keys(posts), ordering=FEED_ORDER, types=FEED_TYPES)
    return keyset_text_response(request, page, cards.card_texts(request, page.items))


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
