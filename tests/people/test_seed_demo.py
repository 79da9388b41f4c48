"""seed_demo builds a believable company, and running it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from people.models import Department, Profile

pytestmark = pytest.mark.django_db

DEPARTMENTS = {
    "Marketing",
    "Social Media",
    "Customer Support",
    "Sales",
    "Product",
    "Engineering",
    "HR",
    "Legal",
    "Finance",
    "IT",
}


def test_seed_builds_the_company_and_prints_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert set(Department.objects.values_list("name", flat=True)) == DEPARTMENTS
    assert Profile.objects.count() >= 200
    assert Profile.objects.exclude(title="").count() == Profile.objects.count()
    # Everyone but the top of the company has a manager; most people list skills.
    assert Profile.objects.filter(manager__isnull=True).count() <= 2
    assert Profile.objects.filter(skills__isnull=False).distinct().count() >= 200
    for username in ("admin", "sam.social", "lee.leader", "emma.employee"):
        assert username in out
        assert get_user_model().objects.get(username=username).check_password("socialhub-demo")
    assert "socialhub-demo" in out
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="sam.social").groups.filter(name="social team").exists()
    assert Profile.objects.get(user__username="lee.leader").reports.count() >= 3


def test_seed_is_idempotent_and_grows():
    call_command("seed_demo")
    first = Profile.objects.count()
    call_command("seed_demo")
    assert Profile.objects.count() == first
    call_command("seed_demo", employees=260)
    assert Profile.objects.count() == first + 40
    assert Department.objects.count() == 10


def test_seeded_posts_show_the_comments_and_reactions_they_have():
    from django.db.models import Count, Q

    from feeds.models import Post

    call_command("seed_demo")
    posts = Post.objects.annotate(
        live_comments=Count(
            "comments",
            filter=Q(comments__deleted_at__isnull=True, comments__removed_at__isnull=True),
            distinct=True,
        ),
        likes=Count("reactions", filter=Q(reactions__kind="like"), distinct=True),
    )
    assert posts.filter(live_comments__gt=0).exists() and posts.filter(likes__gt=0).exists()
    for post in posts:
        assert (post.comment_count, post.like_count) == (post.live_comments, post.likes)


def test_every_department_group_has_posts_and_accepted_answers_answer():
    from demo.feeds import DEPARTMENT_POSTS, POSTS
    from feeds.models import Post
    from groups.models import Group

    call_command("seed_demo", employees=40)
    for group in Group.objects.filter(kind=Group.Kind.DEPARTMENT):
        assert Post.objects.filter(group=group).exists(), group.name
    answers = {
        entry[2]
        for posts in [*POSTS.values(), *DEPARTMENT_POSTS.values()]
        for entry in posts
        if len(entry) == 3
    }
    answered = Post.objects.filter(kind="question", accepted_answer__isnull=False)
    assert answered.count() == len(answers)
    for question in answered.select_related("accepted_answer"):
        assert question.accepted_answer.body in answers
        assert question.accepted_answer.author_id != question.author_id


def test_the_demo_has_campaigns_to_look_at():
    from campaigns.models import Campaign, Share

    call_command("seed_demo")
    status = dict(Campaign.objects.values_list("title", "status"))
    assert status == {
        "The teacher who changed your path": "open",
        "Volunteering week": "draft",
        "Our first open-source release": "closed",
    }
    open_one = Campaign.objects.get(status="open")
    assert open_one.contributions.count() == 5
    assert open_one.contributions.filter(consent=True, share_post__isnull=False).count() == 1
    assert Share.objects.filter(share_post__campaign=open_one).count() == 1
    call_command("seed_demo")
    assert Campaign.objects.count() == 3
