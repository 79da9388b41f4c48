"""Verifying a social-listening tool's webhook: HMAC-SHA256 over "<timestamp>.<body>".

Headers: X-Socialhub-Timestamp (Unix seconds), X-Socialhub-Delivery (unique per delivery),
X-Socialhub-Signature ("sha256=<hex>"). A signature that does not match, or a timestamp
outside ROUTING_WEBHOOK_TOLERANCE_SECONDS, is refused before anything is read or stored;
a delivery id seen before is a replay (services.receive_webhook).
"""

import hashlib
import hmac
import time

from django.conf import settings

TIMESTAMP = "HTTP_X_SOCIALHUB_TIMESTAMP"
DELIVERY = "HTTP_X_SOCIALHUB_DELIVERY"
SIGNATURE = "HTTP_X_SOCIALHUB_SIGNATURE"


def sign(body: bytes, timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(meta, body: bytes, *, now: float | None = None) -> str | None:
    """Why the delivery is refused, or None when it is authentic and fresh."""
    secret = settings.ROUTING_WEBHOOK_SECRET
    if not secret:
        return "The webhook is not configured."
    timestamp = meta.get(TIMESTAMP, "")
    signature = meta.get(SIGNATURE, "")
    if not timestamp.isdigit() or not signature:
        return "Missing or malformed signature headers."
    if not hmac.compare_digest(sign(body, timestamp, secret), signature):
        return "The signature does not match."
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > settings.ROUTING_WEBHOOK_TOLERANCE_SECONDS:
        return "The timestamp is too old or in the future."
    return None
