"""Charts drawn on the server as SVG, for the report's PDF and the public figures pages: no script, no styles
(the pages' Content-Security-Policy allows neither), colours and text as SVG attributes. Every chart is shown
with a table of the same numbers beside it, so nobody depends on seeing it.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# USWDS palette colours, distinguishable in grey print and by readers with colour-vision deficiency.
COLOURS = ["#005ea2", "#e66f0e", "#4d8055", "#8168b3"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 30, 44


@dataclass(frozen=True)
class Series:
    key: str
    label: str


def _nice_top(value: int) -> int:
    """The axis top: four gridlines at a round step (1, 2 or 5 times a power of ten) that covers the value."""
    step = next(m * 10**k for k in range(12) for m in (1, 2, 5) if 4 * m * 10**k >= value)
    return 4 * step


def grouped_bars(
    *, title: str, description: str, groups: list[tuple[str, dict]], series: list[Series], chart_id: str = "chart"
) -> SafeString:
    """A grouped bar chart: one group per label (a period), one bar per series, with a legend and gridlines."""
    highest = max((values.get(s.key, 0) for _, values in groups for s in series), default=0)
    top = _nice_top(highest + highest // 8 + 1)  # headroom, so the tallest bar's label clears the legend
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(groups), 1)
    bar_w = min(28.0, group_w * 0.8 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(5):
        value = top * tick // 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe1e2" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#3d4551">{value}</text>'
        )
    for g, (label, values) in enumerate(groups):
        x0 = LEFT + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, line in enumerate(series):
            value = values.get(line.key, 0)
            height = plot_h * value / top
            x, y = x0 + s * bar_w, TOP + plot_h - height
            colour = COLOURS[s % len(COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(line.label)}, {escape(label)}: {value}</title></rect>"
            )
            if value:
                parts.append(f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value}</text>')
        parts.append(
            f'<text x="{LEFT + g * group_w + group_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="#1b1b1b">{escape(label)}</text>'
        )
    x = LEFT
    for s, line in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="17" fill="#1b1b1b">{escape(line.label)}</text>'
        )
        x += 24 + 6.2 * len(line.label)
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#565c65"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above
