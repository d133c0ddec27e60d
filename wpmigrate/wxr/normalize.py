"""Turning the text of WXR fields into plain values: ids, integers, dates, slugs.

Each parser returns the value, or a problem as text when the field is odd; the caller
decides what becomes a warning. Nothing here raises on bad data.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import unquote

from ..records import ExportedId

__all__ = ["parse_id", "parse_int", "parse_date", "local_with_offset", "as_utc", "decode_slug"]

_INTEGER = re.compile(r"-?[0-9]+")
_ZERO_DATES = frozenset({"", "0000-00-00 00:00:00", "0000-00-00T00:00:00", "0000-00-00"})
_MAX_ID = 2**63 - 1
_MAX_OFFSET = timedelta(hours=14)


def parse_id(text: str | None) -> tuple[ExportedId, str]:
    """An exported id: an int where it is one, else the stripped text, None when empty.

    The second value names what is odd about it ('' when nothing is).
    """
    if text is None:
        return None, "missing"
    value = text.strip()
    if not value:
        return None, "missing"
    if value.isdigit() and value.isascii() and len(value) < 19:
        return int(value), ""
    if _INTEGER.fullmatch(value):
        number = int(value)
        if abs(number) <= _MAX_ID:
            return number, "negative" if number < 0 else ""
        return value, "too large for an integer"
    return value, "not an integer"


def parse_int(text: str | None, default: int = 0) -> int:
    """A small integer field (menu order, sticky); the default when it is not one."""
    if text is None:
        return default
    value = text.strip()
    if _INTEGER.fullmatch(value) and len(value) < 19:
        return int(value)
    return default


def parse_date(text: str | None) -> tuple[datetime | None, bool]:
    """A WordPress ``Y-m-d H:i:s`` date as a naive datetime.

    Returns (value, ok): ``0000-00-00 00:00:00`` and empty are (None, True), normal for
    drafts; an impossible date is (None, False).
    """
    if text is None:
        return None, True
    value = text.strip()
    if value in _ZERO_DATES:
        return None, True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None, False
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed, True


def as_utc(value: datetime | None) -> datetime | None:
    """A naive GMT datetime made aware."""
    return value.replace(tzinfo=UTC) if value is not None else None


def local_with_offset(local: datetime | None, gmt: datetime | None) -> datetime | None:
    """The local date, made aware with the offset that its GMT twin implies.

    Stays naive when the GMT date is unknown or the difference is not a real offset.
    """
    if local is None or gmt is None:
        return local
    offset = local - gmt
    if abs(offset) > _MAX_OFFSET or offset.seconds % 60 or offset.microseconds:
        return local
    return local.replace(tzinfo=_zone(offset))


@lru_cache(maxsize=64)
def _zone(offset: timedelta) -> timezone:
    return UTC if not offset else timezone(offset)


def decode_slug(text: str | None) -> str:
    """A post slug, percent-decoded once (WordPress stores non-ASCII slugs encoded)."""
    if not text:
        return ""
    value = text.strip()
    if "%" not in value:
        return value
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return value
