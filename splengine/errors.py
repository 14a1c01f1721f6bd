"""Errors raised by the embedded SPL engine.

Every error names what went wrong (command, option, function, argument) and, when known, the character
position in the SPL text so a user can find it.
"""
from __future__ import annotations


class SplError(Exception):
    """Base engine error: ``str()`` gives ``"message (at position N)"`` when a position is known."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at position {self.position})"


class SplSyntaxError(SplError):
    """The SPL text cannot be parsed."""


class SplUnsupportedError(SplError):
    """Valid SPL that this engine does not implement (command, option, function, argument)."""
