"""Errors that carry a message meant for the member who caused them.

Domain code raises :class:`UserError` (or a subclass) when input is wrong;
the single app-command error handler turns it into a short ephemeral reply.
Nothing here imports discord.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the member can fix. ``str(error)`` is shown to them as-is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """The thing the member asked for does not exist."""


class PermissionDenied(UserError):
    """The member may not do this."""
