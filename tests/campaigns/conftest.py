import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns import services
from people.roles import SOCIAL_TEAM
from policies import services as policy_services
from policies.models import Quiz

from ..factories import make_person
from ..policies.conftest import questions, right_answers


@pytest.fixture
def policy(admin_user):
    version = policy_services.create_version(
        actor=admin_user, title="Social media policy", body="Be kind."
    )
    policy_services.set_quiz(actor=admin_user, version=version, pass_mark=75, questions=questions())
    return policy_services.publish_version(actor=admin_user, version=version)


@pytest.fixture
def social(engineering):
    user = make_person("sam.social", display_name="Sam Social", department=engineering).user
    user.groups.add(Group.objects.get_or_create(name=SOCIAL_TEAM)[0])
    return user


def certify(user, version):
    policy_services.acknowledge_version(actor=user, version=version)
    quiz = Quiz.objects.prefetch_related("questions__choices").get(version=version)
    policy_services.submit_quiz(actor=user, quiz=quiz, answers=right_answers(quiz))
    return user


@pytest.fixture
def rep(finance, policy):
    """A certified representative who acknowledged the current policy."""
    user = make_person("rita.rep", display_name="Rita Rep", department=finance).user
    return certify(user, policy)


@pytest.fixture
def deactivated(engineering):
    user = make_person("dan.gone", display_name="Dan Gone", department=engineering).user
    user.is_active = False
    user.save()
    return user


CREATE_FIELDS = {
    "title": "Volunteering week",
    "brief": "What did you do?",
    "hashtag": "GiveBack",
    "guidance": "Your own photos.",
    "starts_at": "2030-01-01T09:00:00+01:00",
    "ends_at": "2030-01-08T18:00:00+01:00",
}


def make_campaign(social, *, open_it=True, **overrides):
    now = timezone.now()
    fields = {
        "title": "Teachers who inspired us",
        "brief": "Tell us about **a teacher** who changed your path.",
        "hashtag": "TeachersInspire",
        "guidance": "Your own story and photos you took. No pupils' faces.",
        "starts_at": now - dt.timedelta(hours=1),
        "ends_at": now + dt.timedelta(days=14),
        **overrides,
    }
    campaign = services.create_campaign(actor=social, **fields)
    if open_it:
        campaign = services.open_campaign(actor=social, campaign=campaign)
    return campaign


@pytest.fixture
def campaign(social):
    return make_campaign(social)


@pytest.fixture
def draft(social):
    return make_campaign(social, open_it=False, title="Next quarter")


@pytest.fixture
def contribution(campaign, employee):
    return services.contribute(
        actor=employee, campaign=campaign, text="Mrs. Ito taught me to love maths.", consent=True
    )


@pytest.fixture
def share_post(contribution, social):
    return services.pick_contribution(actor=social, contribution=contribution)


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
