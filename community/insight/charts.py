"""Bar charts drawn on the server as plain inline SVG: no script, no library, nothing from elsewhere.

Each chart is a ``viewBox`` the page scales to any width (it is drawn for
360 px, a phone), is an image with a ``<title>`` for screen readers, and
carries its figures twice: in an ``aria-label`` sentence and in a
visually hidden table beside it (see ``templates/insight/_chart.html``).
Colours are classes that ``static/css/insight.css`` paints with the site's
custom properties and ``currentColor``: the CSP forbids inline styles, and
a dark theme needs no second drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 10, 22  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    label: str            # under the bar, short ("30/11")
    value: float | None   # None: nothing to show that week (no bar, not a zero)
    text: str             # the value as the table and the sentence say it


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    svg: Markup

    @property
    def summary(self) -> str:
        return summary(self.title, self.bars)


def summary(title: str, bars: list[Bar]) -> str:
    """The figures as one sentence, for ``aria-label``."""
    return f"{title}: " + "; ".join(f"{b.label} {b.text}" for b in bars)


def _nice_top(largest: float) -> float:
    """The axis' top: 1, 2 or 5 times a power of ten, at or above ``largest``."""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if largest <= step * power:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:.0f}k"


def bar_chart(title: str, bars: list[Bar], *, css_class: str = "") -> Chart:
    """``bars`` left to right as one SVG, with a baseline, the top value and every other label."""
    top = _nice_top(max((b.value or 0 for b in bars), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    parts = [f'<svg class="chart {escape(css_class)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(summary(title, bars))}" preserveAspectRatio="xMidYMid meet" focusable="false" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line class="chart__grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}"/>',
             f'<text class="chart__axis" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{_number(top)}</text>',
             f'<text class="chart__axis" x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>']
    for i, bar in enumerate(bars):
        x = LEFT + i * slot
        if bar.value is not None:  # a zero is a sliver on the baseline, an empty week nothing at all
            h = max(plot_h * bar.value / top, 1.5)
            parts.append(f'<rect class="chart__bar" x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}" rx="2"><title>{escape(bar.label)}: '
                         f"{escape(bar.text)}</title></rect>")
        if i % 2 == (len(bars) - 1) % 2:  # every other week, always the latest
            parts.append(f'<text class="chart__axis" x="{x + slot / 2:.1f}" y="{HEIGHT - 6}" '
                         f'text-anchor="middle">{escape(bar.label)}</text>')
    parts.append(f'<line class="chart__base" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
                 f'y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    return Chart(title, bars, Markup("".join(parts)))
