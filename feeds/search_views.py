"""The search page (/search/?q=) and the search API (/api/v1/search/?q=): thin, over
feeds.search, which asks the visibility selectors of every kind.

Ranked results have no index order to keep a cursor on, so "more" is an offset, bounded by
search.MAX_OFFSET; the API's `next` carries it like a cursor.
"""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import search

LABELS = {
    "posts": "Posts",
    "comments": "Comments",
    "people": "People",
    "groups": "Groups",
    "topics": "Topics",
}
# "1 person matches", "2 people match".
ONE = {
    "posts": "post",
    "comments": "comment",
    "people": "person",
    "groups": "group",
    "topics": "topic",
}
API_MAX_PAGE_SIZE = 50


def _label(kind: str) -> str:
    registered = search.registered_type(kind)
    return registered.label if registered else LABELS[kind]


def _one(kind: str) -> str:
    registered = search.registered_type(kind)
    return registered.one if registered else ONE[kind]


def _offset(raw: str | None) -> int:
    """A results offset, or ValueError with a message for the field."""
    if raw in (None, ""):
        return 0
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError("Enter a whole number.") from exc
    if not 0 <= value <= search.MAX_OFFSET:
        raise ValueError(f"Choose an offset between 0 and {search.MAX_OFFSET}.")
    return value


def _type(raw: str | None) -> str:
    if raw in (None, ""):
        return ""
    if raw not in search.search_types():
        raise ValueError(f"Choose one of: {', '.join(search.search_types())}.")
    return raw


# --- page -------------------------------------------------------------------------------


@require_GET
def search_page(request):
    q = request.GET.get("q", "")
    try:
        kind = _type(request.GET.get("type"))
        offset = _offset(request.GET.get("offset"))
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    query = search.parse_query(q)
    context = {
        "q": query.text,
        "searched": bool(query),
        "kind": kind,
        "count_limit": search.COUNT_LIMIT,
    }
    if not query:
        return render(request, "search/search.html", context)
    if kind:
        results = search.search(
            request.user, q, types=(kind,), offset=offset, size=search.PAGE_SIZE
        )
    else:
        results = search.search(request.user, q)
    tabs = [(t, _label(t), results.sections[t].count) for t in search.search_types()]
    for t, section in results.sections.items():
        section.label = _label(t)
    context.update({"results": results, "tabs": tabs})
    if kind:
        context.update(
            {"section": results.sections[kind], "kind_label": _label(kind), "kind_one": _one(kind)}
        )
        if request.htmx and offset:
            return render(request, "search/_hits_page.html", context)
    return render(request, "search/search.html", context)


# --- API --------------------------------------------------------------------------------


class _GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class _PersonRefSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField()


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=search.TYPES)  # and the registered ones: get_fields
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    snippet = serializers.CharField(
        help_text="HTML: the matching text, escaped, with the matches in <mark></mark>."
    )
    created_at = serializers.DateTimeField(allow_null=True)
    group = _GroupRefSerializer(allow_null=True)
    author = _PersonRefSerializer(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["type"] = serializers.ChoiceField(choices=search.search_types())
        return fields

    def get_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(hit.url)

    def to_representation(self, hit) -> dict:
        """The fields above, read directly: what Serializer.to_representation makes of them
        (tests/feeds/test_search.py compares the two), without its per-field machinery,
        which cost more than a count query of a search (issue 18)."""
        group, author = hit.group, hit.author
        created = hit.created_at
        return {
            "type": hit.type,
            "id": int(hit.id),
            "title": str(hit.title),
            "url": self.get_url(hit),
            "snippet": str(hit.snippet),
            "created_at": None if created is None else _DATETIME.to_representation(created),
            "group": None
            if group is None
            else {"id": int(group.id), "name": str(group.name), "slug": str(group.slug)},
            "author": None
            if author is None
            else {"username": str(author.user.username), "display_name": str(author.display_name)},
        }


_DATETIME = serializers.DateTimeField()  # DRF's format and time zone for created_at


class SearchCountsSerializer(serializers.Serializer):
    """One count per search type, the registered ones included (get_fields)."""

    posts = serializers.IntegerField()
    comments = serializers.IntegerField()
    people = serializers.IntegerField()
    groups = serializers.IntegerField()
    topics = serializers.IntegerField()

    def get_fields(self):
        fields = super().get_fields()
        for kind in search.search_types():
            fields.setdefault(kind, serializers.IntegerField())
        return fields


class SearchResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    counts = SearchCountsSerializer(
        help_text="What the viewer may read, per type; a count equal to count_limit means "
        "at least that many."
    )
    count_limit = serializers.IntegerField()
    results = SearchHitSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class SearchApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description='Words, "phrases", #topics'),
            OpenApiParameter(
                "type",
                str,
                enum=list(search.search_types()),
                description="One type, paginated; without it, the first few of every type",
            ),
            OpenApiParameter("offset", int, description="From the previous page's `next`"),
            OpenApiParameter("page_size", int, description=f"1 to {API_MAX_PAGE_SIZE}, default 20"),
        ],
        responses=SearchResponseSerializer,
        operation_id="search",
    )
    def get(self, request):
        """Posts, comments, people, groups, topics (and the kinds other apps register, such as
        knowledge entries) matching `q` that I may read, ranked."""
        params = request.query_params
        errors = {}
        query = search.parse_query(params.get("q", ""))
        if not query:
            errors["q"] = ["Enter something to search for."]
        try:
            kind = _type(params.get("type"))
        except ValueError as exc:
            errors["type"] = [str(exc)]
        try:
            offset = _offset(params.get("offset"))
        except ValueError as exc:
            errors["offset"] = [str(exc)]
        try:
            size = _page_size(params.get("page_size"))
        except ValueError as exc:
            errors["page_size"] = [str(exc)]
        if errors:
            return Response(errors, status=400)
        if kind:
            results = search.search(
                request.user, query.text, types=(kind,), offset=offset, size=size
            )
            hits = results.sections[kind].hits
            next_offset = results.sections[kind].next_offset
        else:
            results = search.search(request.user, query.text)
            hits = [hit for section in results.sections.values() for hit in section.hits]
            next_offset = None
        next_url = None
        if next_offset is not None:
            params = request.GET.copy()
            params["offset"] = str(next_offset)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        data = {
            "q": query.text,
            "counts": {t: s.count for t, s in results.sections.items()},
            "count_limit": search.COUNT_LIMIT,
            "results": hits,
            "next": next_url,
        }
        return Response(SearchResponseSerializer(data, context={"request": request}).data)


def _page_size(raw: str | None) -> int:
    if raw in (None, ""):
        return search.PAGE_SIZE
    try:
        size = int(raw)
    except ValueError as exc:
        raise ValueError("Enter a whole number.") from exc
    if not 1 <= size <= API_MAX_PAGE_SIZE:
        raise ValueError(f"Choose a page size between 1 and {API_MAX_PAGE_SIZE}.")
    return size
