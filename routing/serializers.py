"""Input and output shapes of the questions API.

The customer's personal data is shown by one rule, routing.selectors.can_see_customer (the
social team and the assigned expert): for anyone else `customer`, `external_url` and
`external_id` are null and every free text (the question's, answers, notes, replies,
reasons) comes without the customer (routing.redaction). The serializers read the
`visible_*` attributes selectors.with_customers and selectors.question_detail attach, never
the raw columns.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import DepartmentRefSerializer, UserRefSerializer

from .models import Channel, InsightTag, Priority, Status
from .selectors import with_customers

TEXT_LIMIT = 10_000


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField()
    handle = serializers.CharField()
    email = serializers.CharField()


class RankedDepartmentSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="Department slug")
    confidence = serializers.FloatField(min_value=0, max_value=1)


class QuestionSerializer(serializers.Serializer):
    """A question as lists show it (selectors.visible_questions loaded the relations)."""

    id = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    external_id = serializers.CharField(
        source="visible_external_id",
        allow_null=True,
        help_text="The id on the source channel; null for those who may not see the customer.",
    )
    external_url = serializers.CharField(
        source="visible_external_url",
        allow_null=True,
        help_text="The original post (it names its author): null when there is none or for "
        "those who may not see the customer.",
    )
    text = serializers.CharField(
        source="visible_text",
        help_text="The customer's words; without their name, handle, email, links, numbers "
        "and signature for those who may not see the customer.",
    )
    received_at = serializers.DateTimeField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    # A documented string, not an enum: other apps have a "status" too (one enum name each).
    status = serializers.CharField(help_text="One of: " + ", ".join(Status.values))
    department = DepartmentRefSerializer(allow_null=True)
    ranking = serializers.SerializerMethodField()
    confidence = serializers.FloatField(
        allow_null=True,
        help_text="What the router compared with its threshold: with sentence embeddings, "
        "the probability that the question belongs to some department (each department's "
        "share of it is in `ranking`); without, the top department's probability.",
    )
    routed_by = serializers.CharField()
    assigned_to = UserRefSerializer(allow_null=True)
    sla_due_at = serializers.DateTimeField(allow_null=True)
    first_answer_at = serializers.DateTimeField(allow_null=True)
    customer = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def to_representation(self, question):
        if not hasattr(question, "visible_text"):
            with_customers(self.context["request"].user, [question])
        return super().to_representation(question)

    @extend_schema_field(RankedDepartmentSerializer(many=True))
    def get_ranking(self, question) -> list:
        return [{"department": slug, "confidence": conf} for slug, conf in question.ranking or []]

    @extend_schema_field(CustomerSerializer(allow_null=True))
    def get_customer(self, question):
        customer = question.visible_customer
        return None if customer is None else CustomerSerializer(customer).data

    def get_url(self, question) -> str:
        return self.context["request"].build_absolute_uri(question.get_absolute_url())


class EntrySerializer(serializers.Serializer):
    author = UserRefSerializer(allow_null=True)
    text = serializers.CharField(source="visible_text")
    created_at = serializers.DateTimeField()


class PublicReplySerializer(serializers.Serializer):
    author = UserRefSerializer(allow_null=True)
    text = serializers.CharField(source="visible_text")
    url = serializers.CharField(
        source="visible_url",
        allow_null=True,
        help_text="Null for those who may not see the customer.",
    )
    posted_at = serializers.DateTimeField()


class RerouteSerializer(serializers.Serializer):
    from_department = DepartmentRefSerializer(allow_null=True)
    to_department = DepartmentRefSerializer(allow_null=True)
    by = UserRefSerializer(allow_null=True)
    reason = serializers.CharField(source="visible_reason")
    created_at = serializers.DateTimeField()


class QuestionDetailSerializer(QuestionSerializer):
    """One question with its history (selectors.question_detail loaded it)."""

    answers = EntrySerializer(many=True, source="answer_list")
    notes = EntrySerializer(many=True, source="note_list")
    public_replies = PublicReplySerializer(many=True, source="reply_list")
    reroutes = RerouteSerializer(many=True, source="reroute_list")
    tags = serializers.ListField(child=serializers.CharField(), source="tag_list")


# --- Inputs ---------------------------------------------------------------------------------


class QuestionCreateSerializer(StrictSerializer):
    channel = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, trim_whitespace=False)
    external_id = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    customer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    customer_handle = serializers.CharField(max_length=200, required=False, allow_blank=True)
    customer_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)
    priority = serializers.CharField(max_length=10, required=False, default=Priority.NORMAL)


class WebhookSerializer(QuestionCreateSerializer):
    """The webhook body: the same fields as the API, minus received_at (it is now)."""

    received_at = None


class BulkInputSerializer(StrictSerializer):
    questions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=100,
        help_text="Question ids, 1 to 100",
    )
    action = serializers.ChoiceField(choices=["assign", "tag", "close", "spam"])
    expert = serializers.CharField(
        max_length=150, required=False, help_text='Username (or a unique name), for "assign"'
    )
    tag = serializers.ChoiceField(
        choices=InsightTag.Tag.choices, required=False, help_text='For "tag"'
    )


class BulkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question_id")
    done = serializers.BooleanField()
    status = serializers.IntegerField(help_text="200 when done; else 403, 404, 409 or 400")
    field = serializers.CharField(help_text="What was wrong, when a field was; else empty")
    message = serializers.CharField(help_text="Why it was not done; empty when done")


class BulkResultSerializer(serializers.Serializer):
    results = BulkItemSerializer(many=True)


class AssignSerializer(StrictSerializer):
    expert = serializers.CharField(max_length=150, help_text="Username")


class DepartmentInputSerializer(StrictSerializer):
    department = serializers.SlugField(max_length=100)


class RerouteInputSerializer(StrictSerializer):
    department = serializers.SlugField(max_length=100)
    reason = serializers.CharField(max_length=500)


class ReasonInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class DeclineInputSerializer(ReasonInputSerializer):
    wrong_department = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Not a question for this department: it goes back to triage and the "
        "router learns it does not belong there",
    )


class TextInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_LIMIT)


class ReplyInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5_000)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CloseInputSerializer(StrictSerializer):
    spam = serializers.BooleanField(required=False, default=False)


class TagInputSerializer(StrictSerializer):
    tag = serializers.ChoiceField(choices=InsightTag.Tag.choices)
    on = serializers.BooleanField(required=False, default=True)


class TagsSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField())


class IntakeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField()
    status = serializers.CharField()
    url = serializers.URLField()


class RetrainSerializer(serializers.Serializer):
    queued = serializers.BooleanField()


class DashboardSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    open_by_department = serializers.DictField(child=serializers.DictField())
    median_hours_to_answer = serializers.FloatField(allow_null=True)
    answered_count = serializers.IntegerField()
    sla_met = serializers.IntegerField()
    sla_measured = serializers.IntegerField()
    sla_compliance = serializers.FloatField(allow_null=True)
    received = serializers.IntegerField()
    rerouted = serializers.IntegerField()
    reroute_rate = serializers.FloatField(allow_null=True)
    accuracy = serializers.ListField(child=serializers.DictField())
    by_department = serializers.DictField(
        child=serializers.DictField(), help_text="median_hours, answered, sla_compliance"
    )
