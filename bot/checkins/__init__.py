"""Private symptom diary: check-ins, daily prompts, statistics, charts, export.

No discord imports: the cogs turn interactions into calls to these modules.
"""

from bot.checkins.entries import ONSETS, Checkin, SaveResult, build_checkin, save_checkin
from bot.checkins.pacer import Pacer
from bot.checkins.reminders import due_reminders

__all__ = ["ONSETS", "Checkin", "Pacer", "SaveResult", "build_checkin", "due_reminders", "save_checkin"]
