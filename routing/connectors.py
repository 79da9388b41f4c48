"""The outbound connector: how a recorded public reply reaches the social network.

The default only logs. A real one (an X/Twitter or LinkedIn client) implements `post` and
is named in the ROUTING_CONNECTOR setting; it is the one place that talks to the outside.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    url: str  # where the reply can be seen, when the network tells us


class LoggingConnector:
    name = "log"

    def post(self, *, channel: str, in_reply_to: str, text: str) -> Posted:
        # No ids: the original post's id names the customer on some networks (x.com/<handle>),
        # and the reply's text is a message body. The channel and a length only.
        log.info("public reply on %s (%d characters)", channel, len(text))
        return Posted(url="")


def get_connector():
    return import_string(settings.ROUTING_CONNECTOR)()
