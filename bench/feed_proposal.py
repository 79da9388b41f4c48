"""The home feed rewrite proposed for feeds.selectors.home_feed, prototyped for bench/feed.py.

The only change: "in my groups or in All company" is one subquery of group ids on
feeds_post.group_id, instead of `group__kind = company` OR'ed with the rest. A condition on
the joined group can only be checked after the join, row by row against the groups (the
plan's "Join Filter ... Rows Removed by Join Filter: 95,994" for a 26-row page); a
condition on feeds_post.group_id is a filter of the index scan itself.
"""

from django.db.models import Q, QuerySet
from rest_framework.views import APIView

from feeds.api import posts_response
from feeds.models import PersonFollow, Post, TopicFollow
from feeds.selectors import visible_posts
from groups.models import Group
from groups.selectors import member_group_ids


def proposed_home_feed(user) -> QuerySet[Post]:
    """Posts from my groups and All company, and from people and topics I follow."""
    followed_people = PersonFollow.objects.filter(follower_id=user.pk).values("followee_id")
    followed_topics = TopicFollow.objects.filter(user_id=user.pk).values("topic_id")
    feed_groups = Group.objects.filter(
        Q(id__in=member_group_ids(user)) | Q(kind=Group.Kind.COMPANY)
    ).values("id")
    return visible_posts(user).filter(
        Q(group_id__in=feed_groups)
        | Q(author_id__in=followed_people)
        | Q(
            id__in=Post.topics.through.objects.filter(topic_id__in=followed_topics).values(
                "post_id"
            )
        )
    )


class ProposedHomeFeedApi(APIView):
    """/api/v1/feed/'s exact pipeline (feeds.api.posts_response) over the proposed selector."""

    def get(self, request):
        return posts_response(request, proposed_home_feed(request.user))
