"""A local demo community: the real bot inside simcord's simulated Discord, shown in the browser.

Only ``python -m bot demo`` imports this package; the bot itself never loads simcord.
``samples`` holds the demo's content and imports nothing from discord or simcord.
"""
