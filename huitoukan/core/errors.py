"""The base of every app's domain errors: an error-code enum whose values are Chinese messages."""

from enum import Enum


class DomainError(Exception):
    """Raised by services; views and the CLI show `message`, the API also returns `code`."""

    def __init__(self, code: Enum, **params):
        self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = str(self.code.value)
        return template % self.params if self.params else template
