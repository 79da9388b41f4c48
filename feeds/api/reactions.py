"""Reactions under /api/v1/posts/<id>/reactions/: one call adds my reaction, the next takes
it back."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import validated

from .. import selectors, services
from ..serializers import ReactionInputSerializer, ReactionResultSerializer


class PostReactionsApi(APIView):
    @extend_schema(
        request=ReactionInputSerializer,
        responses=ReactionResultSerializer,
        operation_id="posts_reactions_toggle",
    )
    def post(self, request, post_id: int):
        """Add my reaction of this kind, or take it back if it is there."""
        data = validated(ReactionInputSerializer, request)
        post = selectors.get_visible_post(request.user, post_id)
        active = services.toggle_reaction(actor=request.user, post=post, kind=data["kind"])
        result = {"kind": data["kind"], "active": active, "counts": post.reaction_counts}
        return Response(ReactionResultSerializer(result).data)
