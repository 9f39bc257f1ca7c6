"""Server-rendered SVG charts for the analytics pages: no script and no CDN, so a chart shows as soon as the page
does (and in screenshots and print). Every number is also in the page as text; the SVG has a title for readers.

    {% load charts %}
    {% bar_chart rows label="name" value="entered" title="Funnel" %}
    {% line_chart trend x="period_start" series="views,applies" title="Views and applies" %}
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDTH, ROW, LABEL_WIDTH = 560, 28, 120
BAR_WIDTH = 400  # bar charts sit in half-width cards: a narrower canvas keeps their text legible
COLORS = ("var(--brand-primary, #4338ca)", "var(--brand-accent, #0f766e)", "#16a34a", "#b45309")


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value <= 1:
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else str(value)


@register.simple_tag
def bar_chart(rows, *, label: str, value: str, title: str, note: str = ""):
    """Horizontal bars, one per row, scaled to the largest value; `note` names a field shown after the value
    (e.g. the conversion from the previous stage)."""
    rows = list(rows)
    largest = max((row[value] or 0 for row in rows), default=0) or 1
    height = max(ROW * len(rows), ROW)
    span = BAR_WIDTH - LABEL_WIDTH - 70
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="18" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="4" width="{}" height="18" rx="4" fill="{}"></rect>'
        '<text x="{}" y="18" class="chart-value">{}{}</text></g>',
        (
            (
                index * ROW,
                LABEL_WIDTH - 8,
                row[label],
                LABEL_WIDTH,
                max(round((row[value] or 0) / largest * span), 1 if row[value] else 0),
                COLORS[0],
                LABEL_WIDTH + max(round((row[value] or 0) / largest * span), 0) + 6,
                _number(row[value]),
                f" · {_number(row[note])}" if note and row.get(note) is not None else "",
            )
            for index, row in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart chart-bars" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        BAR_WIDTH,
        height,
        title,
        title,
        bars if rows else mark_safe('<text x="8" y="18" class="chart-label">No data yet</text>'),
    )


@register.simple_tag
def line_chart(points, *, x: str, series: str, title: str):
    """One polyline per series over the buckets in `points` (oldest first), with a legend; the y axis starts at 0."""
    points, names = list(points), [name.strip() for name in series.split(",")]
    height, pad, top = 200, 36, 24
    largest = max((point[name] or 0 for point in points for name in names), default=0) or 1
    step = (WIDTH - 2 * pad) / max(len(points) - 1, 1)

    def xy(index: int, number) -> str:
        return f"{pad + index * step:.1f},{height - pad - (number or 0) / largest * (height - pad - top):.1f}"

    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"></polyline>',
        (
            (COLORS[n % len(COLORS)], " ".join(xy(i, point[name]) for i, point in enumerate(points)))
            for n, name in enumerate(names)
        ),
    )
    legend = format_html_join(
        "",
        '<g transform="translate({},4)"><rect width="10" height="10" y="2" fill="{}"></rect>'
        '<text x="14" y="11" class="chart-label">{}</text></g>',
        ((pad + n * 110, COLORS[n % len(COLORS)], name.replace("_", " ")) for n, name in enumerate(names)),
    )
    ticks = ""
    if points:
        first, last = points[0][x], points[-1][x]
        ticks = format_html(
            '<text x="{}" y="{}" class="chart-label">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
            '<text x="4" y="{}" class="chart-label">{}</text>',
            pad,
            height - 12,
            first.strftime("%d %b"),
            WIDTH - pad,
            height - 12,
            last.strftime("%d %b"),
            top + 4,
            _number(largest),
        )
    return format_html(
        '<svg class="chart chart-line" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"></line>{}{}{}</svg>',
        WIDTH,
        height,
        title,
        title,
        pad,
        height - pad,
        WIDTH - pad,
        height - pad,
        legend,
        lines,
        ticks,
    )


@register.filter
def cents(value) -> str:
    """12345 -> "123.45" with thousands separators (amounts are kept in cents)."""
    return f"{(value or 0) / 100:,.2f}"
