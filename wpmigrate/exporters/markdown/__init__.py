"""The Markdown wing: WordPress posts as Markdown files for a static site generator.

Modules by phase: ``options`` (the options and the settings they resolve to),
``presets`` (what each generator expects, as data), ``index`` (what streaming learns),
``plan`` (the frozen site plan: paths, links, media), ``assemble`` (one post's files),
``fields`` and ``frontmatter`` (front matter fields, rendered and read back), ``write``
(the files written by forked processes) and ``exporter`` (the phases in order).
HTML to Markdown itself is :mod:`wpmigrate.content`.
"""

from .exporter import MarkdownExporter, MarkdownOptions

__all__ = ["MarkdownExporter", "MarkdownOptions"]
