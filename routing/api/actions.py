"""One question and what people do with it: assign, route, reroute, decline, answer, note,
public reply, close, tag, and the same in bulk."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import validated
from core.errors import ApplicationError
from people.models import Department
from people.selectors import get_department, person_named

from .. import selectors, services
from ..serializers import (
    AssignSerializer,
    BulkInputSerializer,
    BulkResultSerializer,
    CloseInputSerializer,
    DeclineInputSerializer,
    DepartmentInputSerializer,
    QuestionDetailSerializer,
    ReplyInputSerializer,
    RerouteInputSerializer,
    TagInputSerializer,
    TagsSerializer,
    TextInputSerializer,
)


def _department(slug: str) -> Department:
    department = get_department(slug)
    if department is None:
        raise ApplicationError("No department has this slug.", field="department")
    return department


def _detail(request, question_id: int) -> Response:
    question = selectors.question_detail(request.user, question_id)
    return Response(QuestionDetailSerializer(question, context={"request": request}).data)


class QuestionDetailApi(APIView):
    @extend_schema(responses=QuestionDetailSerializer, operation_id="questions_retrieve")
    def get(self, request, question_id: int):
        """One question with its answers, notes, public replies, reroutes and tags."""
        return _detail(request, question_id)


class _QuestionActionApi(APIView):
    """POST an input, run one service on the question, answer with the question."""

    input_serializer = None

    def act(self, request, question, data) -> None:
        raise NotImplementedError

    def post(self, request, question_id: int):
        question = selectors.get_visible_question(request.user, question_id)
        data = validated(self.input_serializer, request)
        self.act(request, question, data)
        return _detail(request, question_id)


def _action(name: str, serializer, doc: str):
    return extend_schema(
        request=serializer,
        responses=QuestionDetailSerializer,
        operation_id=f"questions_{name}",
        description=doc,
    )


class QuestionAssignApi(_QuestionActionApi):
    input_serializer = AssignSerializer

    def act(self, request, question, data):
        expert = person_named(data["expert"])
        if expert is None:
            raise ApplicationError("Nobody here has this username or name.", field="expert")
        services.assign_question(actor=request.user, question=question, expert=expert)

    @_action(
        "assign",
        AssignSerializer,
        "The social team gives the question to anyone; a leader of the question's department "
        "to an active expert of that department.",
    )
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionRouteApi(_QuestionActionApi):
    input_serializer = DepartmentInputSerializer

    def act(self, request, question, data):
        services.route_to_department(
            actor=request.user, question=question, department=_department(data["department"])
        )

    @_action("route", DepartmentInputSerializer, "The social team takes it out of triage.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionRerouteApi(_QuestionActionApi):
    input_serializer = RerouteInputSerializer

    def act(self, request, question, data):
        services.reroute_question(
            actor=request.user,
            question=question,
            department=_department(data["department"]),
            reason=data["reason"],
        )

    @_action("reroute", RerouteInputSerializer, "Send it to another department, with a reason.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionDeclineApi(_QuestionActionApi):
    input_serializer = DeclineInputSerializer

    def act(self, request, question, data):
        services.decline_question(
            actor=request.user,
            question=question,
            reason=data["reason"],
            wrong_department=data["wrong_department"],
        )

    @_action(
        "decline",
        DeclineInputSerializer,
        "The assigned expert hands it back (to the department's next expert, or to triage "
        "with wrong_department).",
    )
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionAnswerApi(_QuestionActionApi):
    input_serializer = TextInputSerializer

    def act(self, request, question, data):
        services.answer_question(actor=request.user, question=question, text=data["text"])

    @_action("answer", TextInputSerializer, "The assigned expert's answer.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionNoteApi(_QuestionActionApi):
    input_serializer = TextInputSerializer

    def act(self, request, question, data):
        services.add_note(actor=request.user, question=question, text=data["text"])

    @_action("notes_create", TextInputSerializer, "An internal note, never published.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionReplyApi(_QuestionActionApi):
    input_serializer = ReplyInputSerializer

    def act(self, request, question, data):
        services.record_public_reply(
            actor=request.user, question=question, text=data["text"], url=data["url"]
        )

    @_action("reply", ReplyInputSerializer, "Record (and post) the brand's public reply.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionCloseApi(_QuestionActionApi):
    input_serializer = CloseInputSerializer

    def act(self, request, question, data):
        services.close_question(actor=request.user, question=question, spam=data["spam"])

    @_action("close", CloseInputSerializer, "Close the question, or mark it as spam.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionTagApi(APIView):
    @extend_schema(
        request=TagInputSerializer, responses=TagsSerializer, operation_id="questions_tags"
    )
    def post(self, request, question_id: int):
        """Tag or untag the question for insights."""
        question = selectors.get_visible_question(request.user, question_id)
        data = validated(TagInputSerializer, request)
        tags = services.tag_question(
            actor=request.user, question=question, tag=data["tag"], on=data["on"]
        )
        return Response(TagsSerializer({"tags": tags}).data)


class QuestionBulkApi(APIView):
    @extend_schema(
        request=BulkInputSerializer,
        responses=BulkResultSerializer,
        operation_id="questions_bulk",
    )
    def post(self, request):
        """The social team acts on many questions at once: "assign" (to `expert`), "tag"
        (with `tag`), "close" or "spam". Each question is changed on its own: the answer
        says per question whether it was done, and if not, why (a refused one does not stop
        the others). 400 naming the field when the request itself is wrong."""
        data = validated(BulkInputSerializer, request)
        expert = None
        if data["action"] == "assign":
            expert = person_named(data.get("expert", ""))
            if expert is None:
                raise ApplicationError("Nobody here has this username or name.", field="expert")
        results = services.apply_bulk_action(
            actor=request.user,
            question_ids=data["questions"],
            action=data["action"],
            expert=expert,
            tag=data.get("tag", ""),
        )
        return Response(BulkResultSerializer({"results": results}).data)
