"""The one error type services raise for bad input or a refused action.

Views turn it into a form error, the API into a 400/403 naming the field, consumers into an
error frame: one exception, formatted in one place per surface.
"""


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status

    def as_dict(self) -> dict:
        return {self.field or "non_field_errors": [self.message]}
