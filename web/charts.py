"""Charts drawn on the server as inline SVG: no chart library, no script, nothing fetched.

Every label is escaped; each mark carries a ``<title>`` so hovering shows its value.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from markupsafe import Markup, escape

COLORS = {"negative": "#d9534f", "neutral": "#9aa5b1", "positive": "#3c9d5d", "total": "#3572b0",
          "before": "#e3a008", "after": "#2b8a9e"}


def fill_gaps(buckets: list, interval: timedelta, start: datetime | None = None,
              end: datetime | None = None) -> list[tuple[datetime, dict[str, int]]]:
    """Histogram buckets (``.start``, ``.total``, ``.split``) made dense: every step from the first bucket
    (or ``start``) to the last (or before ``end``), empty steps as zeros. ``split`` gets ``total`` if empty."""
    got = {b.start: (dict(b.split) or {"total": b.total}) for b in buckets}
    if not got and start is None:
        return []
    first = min(got) if got else start
    if start is not None and got:
        while first - interval >= start:
            first -= interval
    last = max(got) if got else first
    if end is not None:
        while last + interval < end:
            last += interval
    out, t = [], first
    while t <= last and len(out) < 400:
        out.append((t, got.get(t, {})))
        t += interval
    return out


def _svg(width: int, height: int, body: list[str], label: str, kind: str) -> Markup:
    head = (
        f'<svg class="chart chart-{kind}" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
    )
    return Markup(head + "".join(body) + "</svg>")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if v <= step * 4:
            return step * 4
    return float(int(v * 1.1) + 1)


def stacked_bars(
    buckets: list[tuple[str, dict[str, int]]], keys: list[str], names: dict[str, str], label: str,
    *, width: int = 720, height: int = 240, links: list[str | None] | None = None,
) -> Markup:
    """Vertical stacked bars, one per bucket (e.g. day), split by ``keys`` (e.g. sentiment labels); with
    ``links``, clicking a bucket's bar opens that link (e.g. the search narrowed to that day)."""
    if not buckets:
        return Markup('<p class="muted chart-empty">暂无数据</p>')
    left, right, top, bottom = 40, 10, 10, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max(sum(split.get(k, 0) for k in keys) for _, split in buckets))
    slot = plot_w / len(buckets)
    bar_w = max(2.0, slot * 0.7)
    body: list[str] = []
    for i in range(5):  # grid and y labels
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">{peak * i / 4:g}</text>')
    every = max(1, len(buckets) // 8)
    for i, (name, split) in enumerate(buckets):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        link = links[i] if links and i < len(links) else None
        if link:
            body.append(f'<a href="{escape(link)}" class="bar-link">')
        for k in keys:
            n = split.get(k, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            body.append(
                f'<rect class="bar bar-{escape(k)}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{COLORS.get(k, COLORS["total"])}"><title>{escape(name)} {escape(names.get(k, k))}: {n}'
                "</title></rect>"
            )
        if link:
            body.append("</a>")
        if i % every == 0:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="axis">'
                f"{escape(name)}</text>"
            )
    for j, k in enumerate(keys):  # legend
        lx = left + j * 90
        body.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{COLORS.get(k, "#3572b0")}"/>')
        body.append(f'<text x="{lx + 14}" y="{height - 5}" class="axis">{escape(names.get(k, k))}</text>')
    return _svg(width, height, body, label, "stacked")


def hbars(items: list[tuple[str, int]], label: str, *, width: int = 360, row: int = 24,
          color: str = "#3572b0", links: list[str | None] | None = None) -> Markup:
    """Horizontal bars, largest first (e.g. complaints per place, top N)."""
    if not items:
        return Markup('<p class="muted chart-empty">暂无数据</p>')
    left, right = 120, 40
    height = row * len(items) + 8
    peak = max(v for _, v in items) or 1
    body: list[str] = []
    for i, (name, v) in enumerate(items):
        y = 4 + i * row
        w = (width - left - right) * v / peak
        shown = name if len(name) <= 9 else name[:8] + "…"
        text = f'<text x="{left - 6}" y="{y + row * 0.65:.1f}" text-anchor="end" class="axis">{escape(shown)}</text>'
        link = links[i] if links else None
        body.append(f'<a href="{escape(link)}">{text}</a>' if link else text)
        body.append(
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 8}" fill="{color}">'
            f"<title>{escape(name)}: {v}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + row * 0.65:.1f}" class="axis">{v}</text>'
        )
    return _svg(width, height, body, label, "hbars")


def sparkbars(values: list[int], label: str, *, width: int = 160, height: int = 28,
              color: str = "#d9534f") -> Markup:
    """A tiny bar timeline (e.g. an event's complaints over its span), no axes."""
    peak = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    body = [f'<rect class="spark" x="{i * slot + 0.5:.1f}" y="{height - height * v / peak:.1f}" '
            f'width="{max(slot - 1, 1):.1f}" height="{height * v / peak:.1f}" fill="{color}"/>'
            for i, v in enumerate(values) if v]
    return _svg(width, height, body, label, "spark")
