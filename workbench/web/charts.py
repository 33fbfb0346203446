"""Small server-side SVG charts: readable without JavaScript, printable, offline."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 560, 220, 36
COLOURS = ("#1570ef", "#17b26a", "#f79009", "#f04438")


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, unit: str = "") -> Markup:
    """Vertical bars with their values written on them (an HTER histogram, say)."""
    top = max(values, default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(values), 1)
    parts = [_frame(title)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = (HEIGHT - 2 * PAD) * value / top
        x = PAD + i * slot + slot * 0.15
        y = HEIGHT - PAD - height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}"'
            f' fill="{COLOURS[0]}"><title>{escape(label)}: {value:g}{escape(unit)}</title></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle"'
            f' font-size="11">{value:g}{escape(unit)}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle"'
            f' font-size="10">{escape(label)}</text>'
        )
    return _svg(title, parts)


def line_chart(
    labels: Sequence[str], series: dict[str, Sequence[float | None]], title: str
) -> Markup:
    """One line per series over the labels (scores per day, say); gaps where None."""
    values = [v for line in series.values() for v in line if v is not None]
    top = max(values, default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(labels) - 1, 1)
    parts = [_frame(title), _axis_labels(labels, step)]
    for (name, line), colour in zip(series.items(), COLOURS, strict=False):
        points = [
            (PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top)
            for i, v in enumerate(line)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>'
            )
        for (x, y), value in zip(points, [v for v in line if v is not None], strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {value:.2f}</title></circle>"
            )
    legend = "".join(
        f'<text x="{PAD + 90 * i}" y="{HEIGHT - 6}" font-size="11" fill="{colour}">'
        f"■ {escape(name)}</text>"
        for i, (name, colour) in enumerate(zip(series, COLOURS, strict=False))
    )
    parts.append(legend)
    return _svg(title, parts)


def _axis_labels(labels: Sequence[str], step: float) -> str:
    every = max(1, len(labels) // 8)
    return "".join(
        f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle"'
        f' font-size="10">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    )


def _frame(title: str) -> str:
    return (
        f'<text x="{PAD}" y="16" font-size="13" font-weight="600">{escape(title)}</text>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' stroke="#98a2b3"/>'
    )


def _svg(title: str, parts: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-label="{escape(title)}" class="chart">{"".join(parts)}</svg>'
    )
