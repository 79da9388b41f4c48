"""The feeds under /api/v1/: home (one query compiled once per process), a group's, a
topic's and a person's posts, newest first."""

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_text_response
from core.errors import ApplicationError
from core.pagination import InvalidCursor, decode_cursor, page_of, page_size_from
from groups.api import readable_group
from people import selectors as people_selectors

from .. import cards, selectors
from ..selectors import FEED_ORDER, FEED_TYPES
from .common import PAGE_OF_POSTS, posts_response


class HomeFeedApi(APIView):
    def initialize_request(self, request, *args, **kwargs):
        """An API token's account and the page are read in one statement
        (people.authentication.TokenRead). A page size or cursor in error is not read
        here: get() answers it with a 400."""
        request = super().initialize_request(request, *args, **kwargs)
        if request.method == "GET":
            try:
                request.feed_page = size, after = _page_params(request)
            except (ApplicationError, InvalidCursor):
                return request
            request.token_read = selectors.home_feed_page_read(after=after, size=size)
        return request

    @extend_schema(parameters=PAGE_PARAMETERS, responses=PAGE_OF_POSTS, operation_id="feed_list")
    def get(self, request):
        """Newest first: my groups, All company, and the people and topics I follow. A
        client that lost its live connection catches up from its last cursor."""
        # Set on this Request by initialize_request and the token's authentication; looked
        # up in its own attributes (DRF's Request would ask Django's request for one it lacks).
        mine = vars(request)
        size, after = mine.get("feed_page") or _page_params(request)
        read = mine.get("token_read_rows")
        rows = selectors.home_feed_page(request.user, after=after, size=size, read=read)
        page = page_of(rows, ordering=FEED_ORDER, size=size)
        texts = cards.card_texts(request, page.items, reactions_read=True)
        return keyset_text_response(request, page, texts)


def _page_params(request) -> tuple[int, list | None]:
    params = request.query_params
    size = page_size_from(params.get("page_size"))
    return size, decode_cursor(params.get("cursor"), ordering=FEED_ORDER, types=FEED_TYPES)


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
