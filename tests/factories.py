import factory
from django.contrib.auth import get_user_model

from people.models import Department, Profile, Skill

PASSWORD = "correct horse battery"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"skill {n}")
    slug = factory.LazyAttribute(lambda s: s.name.replace(" ", "-"))


class UserFactory(factory.django.DjangoModelFactory):
    """A user; the profile is created by the app itself (as for every account)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(user, create, extracted, **kwargs):
        if create:
            user.save()


def make_person(
    username: str,
    *,
    display_name: str | None = None,
    department: Department | None = None,
    title: str = "",
    manager: Profile | None = None,
    skills: tuple[str, ...] = (),
    **fields,
) -> Profile:
    """An employee with a filled-in profile."""
    user = UserFactory(username=username)
    profile = user.profile
    profile.display_name = display_name or username.replace(".", " ").title()
    profile.department = department
    profile.title = title
    profile.manager = manager
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    if skills:
        profile.skills.set([SkillFactory(name=s, slug=s.replace(" ", "-")) for s in skills])
    return profile


def receive_and_route(**fields):
    """routing's receive_question, then what its task (routing.tasks.route_question) does
    right after the intake commits: a test's transaction never commits, and a browser test
    on the production stack has no worker. (question, created), reloaded."""
    from routing import services

    question, created = services.receive_question(**fields)
    services.route_question(question_id=question.pk)
    question.refresh_from_db()
    return question, created
