from notifications import selectors, services
from notifications.models import Notification
from tests.factories import make_person


def test_reactions_on_one_target_collapse_into_one_row_counting_people(employee, colleague):
    third = make_person("cara.diaz", display_name="Cara Diaz").user
    for actor in (colleague, third, third):
        services.notify(
            recipient=employee,
            kind=Notification.Kind.REACTION,
            actor=actor,
            text=f"{actor.username} reacted to your post",
            target_key="post:1",
        )
    (row,) = selectors.notifications_of(employee)
    # colleague, then Cara; Cara again is the same person as the latest actor.
    assert row.actor_count == 2
    assert row.actor == third
    assert selectors.unread_count(employee) == 1


def test_a_read_notification_is_not_reopened_by_a_new_reaction(employee, colleague):
    first = services.notify(
        recipient=employee, kind="reaction", actor=colleague, text="x", target_key="post:1"
    )
    services.mark_read(actor=employee, notification=first)
    services.notify(
        recipient=employee, kind="reaction", actor=colleague, text="y", target_key="post:1"
    )
    assert selectors.notifications_of(employee).count() == 2
    assert selectors.unread_count(employee) == 1


def test_nobody_is_notified_of_their_own_action(employee):
    assert services.notify(recipient=employee, kind="comment", actor=employee, text="x") is None
    assert not Notification.objects.exists()


def test_mark_all_read_touches_only_my_notifications(employee, colleague):
    services.notify(recipient=employee, kind="mention", actor=colleague, text="a")
    services.notify(recipient=colleague, kind="mention", actor=employee, text="b")
    assert services.mark_all_read(actor=employee) == 1
    assert selectors.unread_count(employee) == 0
    assert selectors.unread_count(colleague) == 1


def test_marking_someone_elses_notification_changes_nothing(employee, colleague):
    theirs = services.notify(recipient=colleague, kind="mention", actor=employee, text="b")
    services.mark_read(actor=employee, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_summary_folds_in_the_other_people(employee, colleague):
    people = [colleague] + [make_person(f"p{i}", display_name=f"P{i}").user for i in range(3)]
    for actor in people:
        services.notify(
            recipient=employee,
            kind=Notification.Kind.REACTION,
            actor=actor,
            text=f"{actor.profile.display_name} reacted to your post",
            target_key="post:1",
        )
    (row,) = selectors.notifications_of(employee)
    assert row.summary == "P2 and 3 others reacted to your post"
