"""SPL commands: every module in this package registers its commands with ``@register``.

Modules are discovered automatically so that each engineer adds command modules without editing a
shared list.
"""
from __future__ import annotations

import importlib
import pkgutil

from .base import Command, get_command, register, registered_commands


def load_all() -> None:
    """Import every command module of this package (idempotent)."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")


__all__ = ["Command", "get_command", "load_all", "register", "registered_commands"]
