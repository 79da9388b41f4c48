"""Following topics and people: their posts the follower may read come to the home feed."""

from django.contrib.auth import get_user_model

from core.errors import ApplicationError

from ..models import PersonFollow, Topic, TopicFollow

User = get_user_model()


def follow_topic(*, actor: User, topic: Topic, follow: bool = True) -> None:
    if follow:
        TopicFollow.objects.get_or_create(user=actor, topic=topic)
    else:
        TopicFollow.objects.filter(user=actor, topic=topic).delete()


def follow_person(*, actor: User, person: User, follow: bool = True) -> None:
    if person.pk == actor.pk:
        raise ApplicationError("You see your own posts already.", field="person")
    if follow:
        PersonFollow.objects.get_or_create(follower=actor, followee=person)
    else:
        PersonFollow.objects.filter(follower=actor, followee=person).delete()
