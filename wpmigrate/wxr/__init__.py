"""The reader wing: a WordPress export (WXR), read as a stream of records.

Modules: ``reader`` (the parse loop), ``state`` (what it keeps across items), ``parts``
(a large export read by several processes), ``items``
(one element to one record), ``source`` (a path, stdin, a stream, compressed or zipped),
``prolog`` (what comes before the XML), ``repair`` (opt-in byte repairs), ``parse_errors``
(libxml2's errors said plainly), ``keys`` (a unique key for every post and comment) and
``normalize`` (ids, dates and slugs as WordPress writes them, made plain values).
Nothing outside this package parses XML.
"""

from .reader import DEFAULT_CHUNK_SIZE, Reader
from .repair import REPAIRS
from .source import SourceLike, display_name

__all__ = ["Reader", "DEFAULT_CHUNK_SIZE", "REPAIRS", "SourceLike", "display_name"]
