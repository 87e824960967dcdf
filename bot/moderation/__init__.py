"""Moderation: rules for unsupported medical claims, the scanner, and case records.

No discord imports here: the cog turns events into calls to this package and
the CLI reuses it for dry runs.
"""
