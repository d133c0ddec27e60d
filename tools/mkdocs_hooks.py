"""MkDocs hook: the exporters page is written from the exporters' own options."""

from __future__ import annotations

from typing import Any

from wpmigrate.exporters import exporter_names, get_exporter
from wpmigrate.options import describe_options

MARK = "<!-- exporters -->"


def _table() -> str:
    parts = []
    for name, origin in exporter_names().items():
        exporter = get_exporter(name)
        parts.append(
            f"## `{name}`\n\n{exporter.description}"
            + ("" if origin == "built-in" else f" (plugin: `{origin}`)")
            + "\n"
        )
        rows = [
            f"| `-O {option}=` | {help_text} | {f'`{default}`' if default else ''} |"
            for option, default, help_text in describe_options(exporter.Options)
        ]
        if rows:
            parts.append(
                "| option | what it does | default |\n|---|---|---|\n" + "\n".join(rows) + "\n"
            )
    return "\n".join(parts)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return markdown.replace(MARK, _table()) if MARK in markdown else markdown
