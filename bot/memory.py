"""Giving freed memory back to the operating system.

Start-up (indexing articles, loading models) and bursts of messages free much more than they keep,
but glibc's allocator holds on to freed pages inside its heaps. ``malloc_trim`` returns them. No
discord imports; a no-op where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)
_trim = None


def _load():
    global _trim
    if _trim is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
            _trim.argtypes = [ctypes.c_size_t]
            _trim.restype = ctypes.c_int
        except (OSError, AttributeError):
            _trim = False
    return _trim


def release_free_memory() -> bool:
    """Return the allocator's free pages to the system; whether anything was released."""
    trim = _load()
    if not trim:
        return False
    try:
        return bool(trim(0))
    except Exception:  # never let housekeeping fail a caller
        log.debug("malloc_trim failed", exc_info=True)
        return False
