"""The migration report as one self-contained HTML page (``--report-html``,
``wpmigrate report RUN.json --html``)."""

from .page import render_report

__all__ = ["render_report"]
