"""Topics and follows under /api/v1/: the most used topics, following a topic or a person
(their posts I may read come to my home feed)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from people import selectors as people_selectors

from .. import selectors, services
from ..serializers import FollowResultSerializer, TopicSerializer


class TopicListApi(APIView):
    @extend_schema(responses=TopicSerializer(many=True), operation_id="topics_list")
    def get(self, request):
        """The most used topics among the newest 1,000 posts I may read (kept a few minutes)."""
        topics = selectors.popular_topics(request.user)
        return Response(TopicSerializer(topics, many=True, context={"request": request}).data)


class TopicFollowApi(APIView):
    @extend_schema(request=None, responses=FollowResultSerializer, operation_id="topics_follow")
    def post(self, request, name: str):
        """Follow the topic: its posts I may read come to my home feed."""
        topic = selectors.get_readable_topic(request.user, name)
        services.follow_topic(actor=request.user, topic=topic, follow=True)
        return Response(FollowResultSerializer({"following": True}).data)

    @extend_schema(responses=FollowResultSerializer, operation_id="topics_unfollow")
    def delete(self, request, name: str):
        """Stop following the topic (unknown topics too: the answer says nothing of them)."""
        try:
            topic = selectors.get_topic(name)
        except Http404:
            return Response(FollowResultSerializer({"following": False}).data)
        services.follow_topic(actor=request.user, topic=topic, follow=False)
        return Response(FollowResultSerializer({"following": False}).data)


class PersonFollowApi(APIView):
    @extend_schema(request=None, responses=FollowResultSerializer, operation_id="people_follow")
    def post(self, request, username: str):
        """Follow the person: their posts I may read come to my home feed."""
        person = people_selectors.get_person(request.user, username)
        services.follow_person(actor=request.user, person=person, follow=True)
        return Response(FollowResultSerializer({"following": True}).data)

    @extend_schema(responses=FollowResultSerializer, operation_id="people_unfollow")
    def delete(self, request, username: str):
        """Stop following the person."""
        person = people_selectors.get_person(request.user, username)
        services.follow_person(actor=request.user, person=person, follow=False)
        return Response(FollowResultSerializer({"following": False}).data)
