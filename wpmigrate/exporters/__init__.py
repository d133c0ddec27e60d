"""The exporter registry: built-ins by name, plugins through entry points, loaded lazily.

Third-party exporters declare an entry point in the ``wpmigrate.exporters`` group; one
is imported only when it is named, so a broken plugin breaks nothing but itself.
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any

from ..errors import UnknownExporterError, UsageError
from .base import Exporter, ExporterOptions, FileTarget, FolderTarget, RunLog

__all__ = [
    "Exporter",
    "ExporterOptions",
    "FileTarget",
    "FolderTarget",
    "RunLog",
    "get_exporter",
    "exporter_names",
    "ENTRY_POINT_GROUP",
]

ENTRY_POINT_GROUP = "wpmigrate.exporters"

BUILTIN_EXPORTERS: dict[str, str] = {
    "json": "wpmigrate.exporters.json_document:JsonExporter",
    "jsonl": "wpmigrate.exporters.json_lines:JsonLinesExporter",
    "sqlite": "wpmigrate.exporters.sqlite:SqliteExporter",
    "markdown": "wpmigrate.exporters.markdown:MarkdownExporter",
    "sql": "wpmigrate.exporters.sql_dump:SqlDumpExporter",
    "postgresql": "wpmigrate.exporters.sql_server:PostgresExporter",
    "mysql": "wpmigrate.exporters.sql_server:MysqlExporter",
}


def _plugins() -> dict[str, str]:
    from importlib.metadata import entry_points  # slow to import; only for plugin names

    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def exporter_names() -> dict[str, str]:
    """Every exporter name with where it comes from ('built-in' or the plugin's target)."""
    names = {name: "built-in" for name in BUILTIN_EXPORTERS}
    for name, target in _plugins().items():
        names.setdefault(name, target)
    return dict(sorted(names.items()))


def _load(target: str) -> type[Exporter[Any]]:
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    loaded = getattr(module, attribute) if attribute else module
    if not (isinstance(loaded, type) and issubclass(loaded, Exporter)):
        raise TypeError(f"{target} is not an Exporter subclass")
    return loaded


def get_exporter(name: str) -> type[Exporter[Any]]:
    """The exporter class registered under ``name``."""
    target = BUILTIN_EXPORTERS.get(name) or _plugins().get(name)
    if target is None:
        known = list(exporter_names())
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownExporterError(
            f"no exporter named {name!r}{suggestion} (available: {', '.join(known)})"
        )
    try:
        return _load(target)
    except Exception as exc:  # a plugin may fail in any way on import
        raise UsageError(f"the exporter {name!r} ({target}) failed to load: {exc}") from None
