"""The one place the running bot reads the time.

``discord.utils.utcnow`` is what simulated Discord moves in tests, so every
cog asks here and hands the result to domain code as an argument.
"""

from __future__ import annotations

from datetime import datetime

import discord.utils


def utcnow() -> datetime:
    return discord.utils.utcnow()
