"""The insight charts: plain, accessible SVG that scales, drawn from the figures alone."""

from __future__ import annotations

import re

from community.insight.charts import Bar, bar_chart


def _chart(values):
    return bar_chart("Bijdragen <per> week", [Bar(f"{i}/12", v, f"{v} & meer") for i, v in enumerate(values)])


def test_a_chart_is_an_image_with_a_title_a_sentence_of_its_figures_and_a_viewbox():
    svg = str(_chart([3, 0, 7]).svg)
    assert svg.startswith('<svg class="chart ') and 'viewBox="0 0 360 160"' in svg and 'role="img"' in svg
    assert "<title>Bijdragen &lt;per&gt; week</title>" in svg  # text is escaped, never markup
    assert 'aria-label="Bijdragen &lt;per&gt; week: 0/12 3 &amp; meer; 1/12 0 &amp; meer; 2/12 7 &amp; meer"' in svg
    assert "<script" not in svg and "style" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_bars_grow_with_their_value_and_a_week_without_figures_has_none():
    svg = str(_chart([5, None, 10]).svg)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[1] == 2 * heights[0]  # the axis tops at 10: the tallest fills it


def test_an_empty_series_still_draws_an_axis():
    svg = str(_chart([]).svg)
    assert "<rect" not in svg and 'class="chart__base"' in svg
