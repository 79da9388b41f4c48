"""What the crisis writes share: a refusal, and a text field checked."""

from core.errors import ApplicationError


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, status=403)


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ApplicationError("This cannot be empty.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"Keep this under {limit:,} characters.", field=field)
    return value
