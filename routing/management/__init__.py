from django.core.management.base import CommandError


def embedder_or_error(mode: str | None):
    """routing.training.training_embedder for a command: a refusal becomes a CommandError."""
    from core.errors import ApplicationError
    from routing.training import training_embedder

    try:
        return training_embedder(mode)
    except ApplicationError as e:
        raise CommandError(e.message) from None
