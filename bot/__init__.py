"""RLS community companion bot."""

__version__ = "0.1.0"
