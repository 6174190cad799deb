"""舆情简报: a daily or weekly brief as .docx (python-docx), the format offices forward.

Built from the store on demand: totals against the period before, the top events (``web.events``: place and
topic, near-duplicates counted once), complaints by place and by topic, cases opened, closed and
overdue per department, and a bar chart of complaints per hour (daily) or per day (weekly).
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from core import SHANGHAI, Case, CaseStatus
from storage import CaseQuery, PostQuery, PostStore, Store
from web.events import group_events

#: Statuses still waiting on the department (these count as overdue past their deadline).
WAITING = (CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED)
MAX_POSTS = 20000

log = logging.getLogger("yuqing.web")


def period(kind: str, day: date) -> tuple[datetime, datetime, str]:
    """[start, end) of a daily or weekly brief ending on ``day`` (Shanghai days), and its title."""
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), SHANGHAI)
    if kind == "weekly":
        start = end - timedelta(days=7)
        return start, end, f"舆情周报（{(day - timedelta(days=6)).isoformat()} 至 {day.isoformat()}）"
    return end - timedelta(days=1), end, f"舆情日报（{day.isoformat()}）"


def _overdue(case: Case, now: datetime) -> bool:
    return case.status in WAITING and case.due_at is not None and case.due_at < now


def case_rows(cases: list[Case], start: datetime, end: datetime, now: datetime) -> list[tuple[str, int, int, int]]:
    """Per department: cases opened in the period, closed in it, and overdue now."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in cases:
        dept = c.department or "未分派"
        if start <= c.opened_at < end:
            rows[dept][0] += 1
        if c.closed_at is not None and start <= c.closed_at < end:
            rows[dept][1] += 1
        if _overdue(c, now):
            rows[dept][2] += 1
    return sorted(((d, *v) for d, v in rows.items() if any(v)), key=lambda r: (-r[3], -r[1], r[0]))


def bar_chart(values: list[int], width: int = 900, height: int = 260) -> bytes:
    """A plain bar chart as PNG (Pillow): one bar per bucket, its count above it."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    top, bottom, left = 24, height - 24, 30
    draw.line([(left, bottom), (width - 10, bottom)], fill="#888888")
    n = max(len(values), 1)
    step = (width - left - 20) / n
    peak = max(values or [0]) or 1
    for i, v in enumerate(values):
        x0 = left + i * step + step * 0.15
        x1 = left + (i + 1) * step - step * 0.15
        y = bottom - (bottom - top) * v / peak
        draw.rectangle([x0, y, x1, bottom], fill="#d9534f" if v == peak and v else "#3572b0")
        if v:
            draw.text(((x0 + x1) / 2 - 4, y - 14), str(v), fill="#333333")
        draw.text((x0, bottom + 6), str(i), fill="#666666")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def build_brief(store: Store, *, kind: str, day: date, now: datetime, place_names: dict[str, str],
                topic_names: dict[str, str]) -> tuple[bytes, str]:
    """The brief as .docx bytes and its title."""
    from docx import Document
    from docx.shared import Cm, Pt

    start, end, title = period(kind, day)
    span = end - start
    complaints = list(_iter(store, PostQuery(is_complaint=True, since=start, until=end, limit=0, highlight=False)))
    before = store.search(PostQuery(is_complaint=True, since=start - span, until=start, limit=0,
                                    highlight=False)).total
    total = store.search(PostQuery(since=start, until=end, limit=0, highlight=False)).total
    negative = store.search(PostQuery(sentiment_labels=("negative",), since=start, until=end, limit=0,
                                      highlight=False)).total
    cases = store.list_cases(CaseQuery(limit=2000)).items
    evs = group_events(complaints, place_names, topic_names)
    rows = case_rows(cases, start, end, now)
    bucket = timedelta(hours=1) if kind == "daily" else timedelta(days=1)
    counts = [0] * int(span / bucket)
    for p in complaints:
        i = int((p.published_at - start) / bucket)
        if 0 <= i < len(counts):
            counts[i] += 1

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    doc.add_heading(title, level=0)
    def shown(t: datetime) -> str:
        return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")

    doc.add_paragraph(f"统计范围：{shown(start)} 至 {shown(end)}　生成时间：{shown(now)}")
    doc.add_heading("一、总体情况", level=1)
    change = "" if not before else f"，较上期{'增加' if len(complaints) >= before else '减少'} " \
                                    f"{abs(len(complaints) - before) / before:.0%}"
    opened = sum(r[1] for r in rows)
    closed = sum(r[2] for r in rows)
    overdue = sum(r[3] for r in rows)
    doc.add_paragraph(f"本期监测到帖子 {total} 条，其中投诉 {len(complaints)} 条（上期 {before} 条{change}），"
                      f"负面 {negative} 条；新立案 {opened} 件，办结 {closed} 件，当前超期未整改 {overdue} 件。")
    doc.add_heading("二、热点事件", level=1)
    if not evs:
        doc.add_paragraph("本期无投诉。")
    for n, ev in enumerate(evs[:5], 1):
        doc.add_paragraph(
            f"{n}. {ev.place} · {ev.topic}：投诉 {ev.distinct} 起"
            f"（帖子 {len(ev.posts)} 条，来源 {len(ev.sources)} 个），"
            f"{ev.first.astimezone(SHANGHAI):%m-%d %H:%M} 至 {ev.last.astimezone(SHANGHAI):%m-%d %H:%M}。"
            f"最新：{ev.sample}")
    doc.add_heading("三、投诉走势", level=1)
    doc.add_paragraph("每小时投诉数（0–23 时）" if kind == "daily" else "每日投诉数（第 0–6 天）")
    doc.add_picture(io.BytesIO(bar_chart(counts)), width=Cm(16))
    doc.add_heading("四、投诉分布", level=1)
    by_place: dict[str, int] = defaultdict(int)
    by_topic: dict[str, int] = defaultdict(int)
    for ev in evs:
        by_place[ev.place] += ev.distinct
        by_topic[ev.topic] += ev.distinct
    for caption, counter in (("按点位（前 10）", by_place), ("按主题", by_topic)):
        doc.add_paragraph(caption)
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = caption[1:3], "投诉（起）"
        for name, n in sorted(counter.items(), key=lambda kv: -kv[1])[:10]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = name, str(n)
    doc.add_heading("五、案件办理", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("责任部门", "新立案", "办结", "超期未整改"), strict=True):
        cell.text = text
    for dept, o, c, late in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (dept, str(o), str(c), str(late)), strict=True):
            cell.text = text
    if not rows:
        doc.add_paragraph("本期无案件变动。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), title


def _iter(store: PostStore, query: PostQuery):
    for n, post in enumerate(store.iter_posts(query)):
        if n >= MAX_POSTS:
            log.warning("brief: more than %d posts in the period; its counts stop there", MAX_POSTS)
            return
        yield post
