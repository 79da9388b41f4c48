"""Email about messages still unread after the delay each person chose (MessagePreference).

A beat task every MESSAGE_EMAIL_CHECK_SECONDS finds the seats whose oldest unread message is
older than their person's delay and that no email has covered yet; each gets one email,
sent once under the key "messages:<seat>:<newest message id>" (notifications.emails.send_once),
and `emailed_through_id` moves to that message, so a rerun or a redelivered task sends nothing
twice, and a new message later starts a new wait.
"""

from celery import shared_task

from . import emails


@shared_task(name="messaging.email_unread_messages", acks_late=True)
def email_unread_messages() -> int:
    return emails.email_unread_messages()
