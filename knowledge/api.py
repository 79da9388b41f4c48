"""The knowledge API under /api/v1/: entries (list, draft from a question, read, edit,
publish, revisions) and a question's similar entries and answered questions."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from feeds.search import MAX_QUERY_LENGTH, parse_query
from people.selectors import get_department
from routing import selectors as routing

from . import selectors, services, suggestions
from .serializers import (
    KnowledgeDraftSerializer,
    KnowledgeEntryCreateSerializer,
    KnowledgeEntrySerializer,
    KnowledgeEntryUpdateSerializer,
    KnowledgeRevisionSerializer,
    KnowledgeSuggestionSerializer,
    SimilarKnowledgeSerializer,
)

TAG = ["knowledge"]


def _entry(entry, request, *, status_code: int = 200, scrubbed=None) -> Response:
    entry = selectors.get_entry(request.user, entry.pk)  # reloaded with what it shows
    if scrubbed is None:
        return Response(KnowledgeEntrySerializer(entry).data, status=status_code)
    entry.summary = scrubbed.summary()
    return Response(KnowledgeDraftSerializer(entry).data, status=status_code)


class EntryListApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=[
            OpenApiParameter("q", str, description="Words in the title or the answer"),
            OpenApiParameter("department", str, description="A department slug"),
            OpenApiParameter("topic", str, description="A topic name"),
            *PAGE_PARAMETERS,
        ],
        responses=keyset_schema(KnowledgeEntrySerializer),
        operation_id="knowledge_list",
    )
    def get(self, request):
        """Published and outdated entries, newest first: every employee reads them."""
        params = request.query_params
        raw_q = params.get("q", "")
        if len(raw_q) > MAX_QUERY_LENGTH:
            raise ApplicationError(f"Keep it under {MAX_QUERY_LENGTH} characters.", field="q")
        department = None
        if params.get("department"):
            department = get_department(params["department"])
            if department is None:
                raise ApplicationError("No department has this slug.", field="department")
        topic = params.get("topic", "")
        if len(topic) > 51:
            raise ApplicationError("No topic has this name.", field="topic")
        entries = selectors.entry_list(
            request.user,
            query=parse_query(raw_q),
            department_id=department.pk if department else None,
            topic=topic,
        )
        page = keyset_page(
            request, entries, ordering=selectors.LIST_ORDER, types=(dt.datetime, int)
        )
        return keyset_response(page, KnowledgeEntrySerializer(page.items, many=True).data, request)

    @extend_schema(
        tags=TAG,
        request=KnowledgeEntryCreateSerializer,
        responses={201: KnowledgeDraftSerializer},
        operation_id="knowledge_create",
    )
    def post(self, request):
        """A draft from an answered question (its expert or the social team). The title and
        body come back scrubbed: `removed` and `summary` say what was taken out."""
        data = validated(KnowledgeEntryCreateSerializer, request)
        question = routing.get_visible_question(request.user, data["question"])
        entry, scrubbed = services.draft_entry(
            actor=request.user,
            question=question,
            title=data["title"],
            body=data["body"],
            topics=data.get("topics"),
        )
        return _entry(entry, request, status_code=status.HTTP_201_CREATED, scrubbed=scrubbed)


class EntryDetailApi(APIView):
    @extend_schema(tags=TAG, responses=KnowledgeEntrySerializer, operation_id="knowledge_retrieve")
    def get(self, request, entry_id: int):
        """One entry (drafts and retired ones for those who manage them)."""
        return Response(KnowledgeEntrySerializer(selectors.get_entry(request.user, entry_id)).data)

    @extend_schema(
        tags=TAG,
        request=KnowledgeEntryUpdateSerializer,
        responses=KnowledgeEntrySerializer,
        operation_id="knowledge_partial_update",
    )
    def patch(self, request, entry_id: int):
        """Edit the text (scrubbed again; the text before stays in the revisions), the
        topics, or the state (outdated, retired, published)."""
        entry = selectors.get_entry(request.user, entry_id)
        data = validated(KnowledgeEntryUpdateSerializer, request)
        scrubbed = None
        if {"title", "body", "topics", "note"} & set(data):
            entry, scrubbed = services.edit_entry(
                actor=request.user,
                entry=entry,
                title=data.get("title", entry.title),
                body=data.get("body", entry.body),
                topics=data.get("topics"),
                note=data.get("note", ""),
            )
        if "state" in data and data["state"] != entry.state:
            entry = services.change_state(actor=request.user, entry=entry, state=data["state"])
        return _entry(entry, request, scrubbed=scrubbed)


class EntryPublishApi(APIView):
    @extend_schema(
        tags=TAG, request=None, responses=KnowledgeEntrySerializer, operation_id="knowledge_publish"
    )
    def post(self, request, entry_id: int):
        """Publish a draft (or an outdated entry again): every employee reads it."""
        entry = selectors.get_entry(request.user, entry_id)
        entry = services.publish_entry(actor=request.user, entry=entry)
        return _entry(entry, request)


class EntryRevisionsApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(KnowledgeRevisionSerializer),
        operation_id="knowledge_revisions",
    )
    def get(self, request, entry_id: int):
        """The entry's text as each save left it, newest first."""
        entry = selectors.get_entry(request.user, entry_id)
        page = keyset_page(
            request, selectors.revisions_of(entry), ordering=("-number",), types=(int,)
        )
        return keyset_response(
            page, KnowledgeRevisionSerializer(page.items, many=True).data, request
        )


class QuestionSimilarApi(APIView):
    @extend_schema(
        tags=["questions"], responses=SimilarKnowledgeSerializer, operation_id="questions_similar"
    )
    def get(self, request, question_id: int):
        """Up to three entries and three answered questions like this one, to start an answer
        or a reply from (the social team and the question's expert); no customer in them."""
        question = routing.get_visible_question(request.user, question_id)
        if not suggestions.may_see_suggestions(request.user, question):
            raise PermissionDenied("Suggestions are for the social team and the question's expert.")
        entries, questions = suggestions.similar_to(request.user, question)
        return Response(
            {
                "entries": KnowledgeSuggestionSerializer(entries, many=True).data,
                "questions": KnowledgeSuggestionSerializer(questions, many=True).data,
            }
        )
