"""The questions API: intake (token and signed webhook), the inbox views, one question and
the actions on it, insights and the dashboard figures.

Each view parses with its own serializer, calls one selector or service, and answers with
its own output serializer; what of the customer a viewer sees (name, handle, email, the
original link and id, the text without them) is selectors.with_customers's decision.

The API by responsibility: intake, actions, insights. routing/api_urls.py reads it from here.
"""

from .actions import (
    QuestionAnswerApi,
    QuestionAssignApi,
    QuestionBulkApi,
    QuestionCloseApi,
    QuestionDeclineApi,
    QuestionDetailApi,
    QuestionNoteApi,
    QuestionReplyApi,
    QuestionRerouteApi,
    QuestionRouteApi,
    QuestionTagApi,
)
from .insights import DashboardApi, InsightListApi, RouterRetrainApi
from .intake import ORDER, QUESTION_PAGE, TYPES, IntakeThrottle, QuestionListApi, QuestionWebhookApi

__all__ = [
    "DashboardApi",
    "InsightListApi",
    "IntakeThrottle",
    "ORDER",
    "QUESTION_PAGE",
    "QuestionAnswerApi",
    "QuestionAssignApi",
    "QuestionBulkApi",
    "QuestionCloseApi",
    "QuestionDeclineApi",
    "QuestionDetailApi",
    "QuestionListApi",
    "QuestionNoteApi",
    "QuestionReplyApi",
    "QuestionRerouteApi",
    "QuestionRouteApi",
    "QuestionTagApi",
    "QuestionWebhookApi",
    "RouterRetrainApi",
    "TYPES",
]
