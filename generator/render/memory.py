"""Giving the memory of a big document back to the operating system once it is done.

A document at 100x the actions is a few hundred MB of XML trees and strings while it is rendered
or checked. Python and libxml2 free them, but glibc's allocator keeps the freed pages, so without
this the process grew by that much with every document (1 GB for three documents). `release`
collects python-docx's reference cycles and hands the free pages back (glibc's malloc_trim); on
other C libraries it only collects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache
from typing import Any

# A .docx (zipped) bigger than this holds several MB of XML: worth a full collection (10 to 400 ms)
# and a trim. The real documents are about 100 KB.
BIG_DOCX = 400_000


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without it): collecting is all
        return None


def release() -> None:
    """Free what a big document left behind and give the free memory back to the operating system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
