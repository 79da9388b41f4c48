"""The quiz and certification under /api/v1/policies/: admins set a version's quiz,
employees read the current one (never its answer key) and submit attempts; the certified
representatives, and admins revoking a certification."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from people import selectors as people

from .. import selectors, services
from ..serializers import (
    AttemptInputSerializer,
    AttemptSerializer,
    QuizInputSerializer,
    QuizSerializer,
    RepresentativeSerializer,
    RevokeInputSerializer,
)


class VersionQuizApi(APIView):
    @extend_schema(
        request=QuizInputSerializer,
        responses=QuizSerializer,
        operation_id="policies_versions_quiz_update",
    )
    def put(self, request, number: int):
        """Admins attach a quiz to a version, or replace its questions. Exactly one choice
        per question is `correct`; the pass mark is a percentage from 1 to 100."""
        data = validated(QuizInputSerializer, request)
        version = selectors.get_visible_version(request.user, number)
        questions = [
            services.QuestionInput(
                q["text"].strip(), [(c["text"].strip(), c["correct"]) for c in q["choices"]]
            )
            for q in data["questions"]
        ]
        services.set_quiz(
            actor=request.user, version=version, pass_mark=data["pass_mark"], questions=questions
        )
        return Response(QuizSerializer(selectors.quiz_of(version)).data)


class QuizApi(APIView):
    @extend_schema(responses=QuizSerializer, operation_id="policies_quiz_retrieve")
    def get(self, request):
        """The certification quiz: questions and choice ids, never the answer key."""
        quiz = selectors.current_quiz()
        if quiz is None:
            raise Http404("There is no certification quiz yet.")
        return Response(QuizSerializer(quiz).data)


class QuizAttemptApi(APIView):
    @extend_schema(
        request=AttemptInputSerializer,
        responses={201: AttemptSerializer},
        operation_id="policies_quiz_attempt",
    )
    def post(self, request):
        """Submit answers; the server scores them. Passing certifies me."""
        data = validated(AttemptInputSerializer, request)
        quiz = selectors.current_quiz()
        if quiz is None:
            raise Http404("There is no certification quiz yet.")
        attempt = services.submit_quiz(actor=request.user, quiz=quiz, answers=data["answers"])
        attempt.certified = selectors.is_certified(request.user)
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


# --- Certified people ----------------------------------------------------------------


class RepresentativeListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(RepresentativeSerializer),
        operation_id="policies_representatives_list",
    )
    def get(self, request):
        """Certified brand representatives, by name."""
        page = keyset_page(
            request,
            selectors.representatives(request.user),
            ordering=("user__profile__display_name", "id"),
            types=(str, int),
        )
        return keyset_response(page, RepresentativeSerializer(page.items, many=True).data, request)


class RepresentativeRevokeApi(APIView):
    @extend_schema(
        request=RevokeInputSerializer,
        responses={204: None},
        operation_id="policies_representatives_revoke",
    )
    def post(self, request, username: str):
        """Admins revoke someone's certification."""
        data = validated(RevokeInputSerializer, request)
        person = people.get_account(username=username)
        if person is None:
            raise Http404("No such person.")
        services.revoke_certification(actor=request.user, user=person, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
