"""What every API view shares: the exception handler and the keyset pagination class."""

import json
import threading
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .pagination import InvalidCursor, KeysetPage, page_size_from, paginate_keyset

# The query parameters of every keyset-paginated list, for @extend_schema(parameters=...).
PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="From the previous page's `next`"),
    OpenApiParameter("page_size", int, description="1 to 100, default 25"),
]


def keyset_page(request, queryset, *, ordering: tuple[str, ...], types: tuple[type, ...]):
    """One page of `queryset` after the request's `cursor`, of its `page_size`."""
    params = request.query_params
    return paginate_keyset(
        queryset,
        ordering=ordering,
        types=types,
        cursor=params.get("cursor"),
        size=page_size_from(params.get("page_size")),
    )


def validated(serializer_class, request, **kwargs) -> dict:
    """The request body through an input serializer; a 400 naming the field otherwise.

    Without `kwargs`, one serializer per thread and class validates every request, as
    is_valid would (the same values, the same errors): making one deep-copies and binds its
    declared fields, which cost about 250 us of a signed webhook delivery's 3-4 ms
    (bench/intake.py) against 35 us for the validation itself. An input serializer's bound
    fields keep nothing between two validations; one given a context, an instance or other
    arguments is made afresh."""
    if kwargs:
        serializer = serializer_class(data=request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
    kept = _kept_serializers.__dict__.setdefault("by_class", {})
    serializer = kept.get(serializer_class)
    if serializer is None:
        serializer = kept[serializer_class] = serializer_class()
    try:
        return serializer.run_validation(request.data)
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError(_field_errors(exc.detail)) from None


_kept_serializers = threading.local()


def _field_errors(detail):
    """A serializer's errors as Serializer.errors gives them to is_valid: by field, and a
    body that is null as "No data provided"."""
    if not isinstance(detail, list):
        return detail
    if len(detail) == 1 and getattr(detail[0], "code", None) == "null":
        detail = [exceptions.ErrorDetail("No data provided", code="null")]
    return {api_settings.NON_FIELD_ERRORS_KEY: detail}


def exception_handler(exc, context):
    """Turn domain errors into 4xx answers that name the field; everything else as DRF does."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, InvalidCursor):
        return Response({"cursor": [str(exc)]}, status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return drf_exception_handler(exc, context)


def keyset_response(page: KeysetPage, data: list, request) -> Response:
    """The envelope of every growing list: results plus the URL of the next page."""
    return Response({"next": keyset_next_url(page, request), "results": data})


def as_json(value) -> str:
    """JSON text as DRF's JSONRenderer writes it (compact, UTF-8, U+2028/9 escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def keyset_text_response(request, page: KeysetPage, texts: list[str]) -> HttpResponseBase:
    """keyset_response's envelope around items already written as JSON text (kept cards:
    the feed's posts, the directory's people). A JSON client gets the texts written straight
    into the answer: no serializer, parser or renderer runs for items made before; any other
    (the browsable API) gets keyset_response."""
    if getattr(request.accepted_renderer, "format", "json") != "json":
        return keyset_response(page, [json.loads(text) for text in texts], request)
    body = f'{{"next":{as_json(keyset_next_url(page, request))},"results":[{",".join(texts)}]}}'
    return HttpResponse(body.encode(), content_type="application/json")


def keyset_next_url(page: KeysetPage, request) -> str | None:
    """The absolute URL of the page after `page`, or None on the last page."""
    if not page.next_cursor:
        return None
    return request.build_absolute_uri(_with_query(request, cursor=page.next_cursor))


def _with_query(request, **params) -> str:
    """The request's path and query with `params` set (every other parameter kept, each of
    its values in order). Without QueryDict.copy(), a deep copy: 12-23 us of every page."""
    query = dict(request.GET.lists())
    for key, value in params.items():
        query[key] = [value]
    return f"{request.path}?{urlencode(query, doseq=True)}"


def keyset_schema(item_serializer):
    """The OpenAPI shape of keyset_response, for @extend_schema(responses=...)."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer(
        name=f"Paginated{item_serializer.__name__.removesuffix('Serializer')}List",
        fields={
            "next": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses a non-object body and fields it does not know, so a
    typo ("bodyy") is a 400 naming it rather than a silent no-op."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: ["This field is not accepted here."]})
        return super().to_internal_value(data)
