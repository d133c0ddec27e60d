"""Small bar charts as inline SVG, drawn from counts: no script, no network, and the
numbers are in the picture as text (and in a ``<title>`` per bar, for a pointer).

Colours come from the page's CSS (classes ``c0``...``c5``), so light and dark themes and
print all apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

__all__ = ["bars", "stacked_columns"]

_WIDTH = 640
_BAR = 18
_GAP = 6
_LABEL = 200


def bars(values: Sequence[tuple[str, int]], *, title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), largest first as given."""
    if not values:
        return Markup("")
    top = max(v for _, v in values) or 1
    room = _WIDTH - _LABEL - 70
    height = len(values) * (_BAR + _GAP) + _GAP
    rows = []
    for n, (label, value) in enumerate(values):
        y = _GAP + n * (_BAR + _GAP)
        width = max(1.0, room * value / top)
        shown = label if len(label) <= 32 else label[:31] + "…"
        rows.append(
            f"<g><title>{escape(label)}: {value}{escape(unit)}</title>"
            f'<text x="{_LABEL - 8}" y="{y + _BAR - 5}" text-anchor="end">{escape(shown)}</text>'
            f'<rect class="c0" x="{_LABEL}" y="{y}" width="{width:.1f}" height="{_BAR}"></rect>'
            f'<text x="{_LABEL + width + 6:.1f}" y="{y + _BAR - 5}">{value}{escape(unit)}</text></g>'
        )
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )


def stacked_columns(
    columns: Sequence[tuple[str, Mapping[str, int]]], series: Sequence[str], *, title: str
) -> Markup:
    """One column per (label, {series: value}), the series stacked, with a legend."""
    if not columns:
        return Markup("")
    chart_height = 180
    top = max(sum(parts.values()) for _, parts in columns) or 1
    step = max(8.0, min(48.0, (_WIDTH - 60) / len(columns)))
    width = int(max(60 + step * len(columns), 60 + 120 * len(series)))
    legend_y = chart_height + 44
    shapes = []
    for n, (label, parts) in enumerate(columns):
        x = 50 + n * step
        y = float(chart_height + 10)
        total = sum(parts.values())
        tip = ", ".join(f"{name} {parts[name]}" for name in series if parts.get(name))
        pieces = []
        for k, name in enumerate(series):
            value = parts.get(name, 0)
            if not value:
                continue
            h = chart_height * value / top
            y -= h
            pieces.append(
                f'<rect class="c{k % 6}" x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" '
                f'height="{h:.1f}"></rect>'
            )
        label_every = max(1, int(len(columns) / 16) + 1)
        text = (
            f'<text x="{x + step * 0.4:.1f}" y="{chart_height + 26}" text-anchor="middle">'
            f"{escape(label)}</text>"
            if n % label_every == 0
            else ""
        )
        shapes.append(
            f"<g><title>{escape(label)}: {total} ({escape(tip)})</title>{''.join(pieces)}{text}</g>"
        )
    legend = "".join(
        f'<rect class="c{k % 6}" x="{50 + k * 120}" y="{legend_y - 10}" width="10" height="10">'
        f'</rect><text x="{64 + k * 120}" y="{legend_y}">{escape(name)}</text>'
        for k, name in enumerate(series)
    )
    axis = (
        f'<text x="44" y="16" text-anchor="end">{top}</text>'
        f'<text x="44" y="{chart_height + 10}" text-anchor="end">0</text>'
        f'<line x1="48" y1="{chart_height + 10}" x2="{width}" y2="{chart_height + 10}"></line>'
    )
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {legend_y + 8}" width="{width}" '
        f'height="{legend_y + 8}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"{axis}{''.join(shapes)}{legend}</svg>"
    )
