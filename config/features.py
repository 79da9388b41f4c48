"""The settings of the smaller features (config/settings.py lists them): copies of someone's
data, scheduled posts, direct messages, polls and events, community analytics."""

from django.core.exceptions import ImproperlyConfigured

from config.environment import env

# --- My data --------------------------------------------------------------------------

# How long a copy of someone's data (and its download link) lasts, in days, before the file
# is deleted (the "data-exports" rule of core.retention).
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)
if DATA_EXPORT_DAYS < 1:
    raise ImproperlyConfigured("DATA_EXPORT_DAYS must be 1 or more.")

# --- Scheduled posts ------------------------------------------------------------------

# How often the clock publishes scheduled posts whose time has come (feeds.drafts).
FEEDS_SCHEDULE_CHECK_SECONDS = env.float("FEEDS_SCHEDULE_CHECK_SECONDS", default=60.0)

# --- Direct messages ------------------------------------------------------------------

# How long messages are kept, in days; 0 keeps them (the "messages" rule of core.retention).
MESSAGE_RETENTION_DAYS = env.int("MESSAGE_RETENTION_DAYS", default=0)
# How often the unread-message email looks for messages unread longer than each person's delay.
MESSAGE_EMAIL_CHECK_SECONDS = env.float("MESSAGE_EMAIL_CHECK_SECONDS", default=60.0)

# --- Polls and events -----------------------------------------------------------------

# How often the clock closes the polls whose closing time has passed.
POLL_CLOSE_CHECK_SECONDS = env.float("POLL_CLOSE_CHECK_SECONDS", default=60.0)
# How long before an event its reminder goes to the people going or maybe, and how often the
# clock looks for reminders due.
EVENT_REMINDER_MINUTES = env.int("EVENT_REMINDER_MINUTES", default=60)
EVENT_REMINDER_CHECK_SECONDS = env.float("EVENT_REMINDER_CHECK_SECONDS", default=60.0)

# --- Community analytics --------------------------------------------------------------

# Community analytics stores the figures of each week that is over (analytics.models): the
# clock rolls up the week that just ended, and the ANALYTICS_ROLLUP_REFRESH_WEEKS before it
# again (late deletions), every night at ANALYTICS_ROLLUP_HOUR:30 UTC (CELERY_TIMEZONE).
ANALYTICS_ROLLUP_HOUR = env.int("ANALYTICS_ROLLUP_HOUR", default=2)
ANALYTICS_ROLLUP_REFRESH_WEEKS = env.int("ANALYTICS_ROLLUP_REFRESH_WEEKS", default=2)
# The current week's figures are read from its own rollup, counted again by a task once they
# are older than this (seconds); the report says "as of" when. 0: counted on every request.
ANALYTICS_CURRENT_WEEK_SECONDS = env.int("ANALYTICS_CURRENT_WEEK_SECONDS", default=600)
