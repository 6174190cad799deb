"""Search results as CSV (UTF-8 with BOM, for Excel) or .xlsx (openpyxl, write-only)."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator

from fastapi.responses import Response, StreamingResponse

from core import Post, labels
from web.present import REVIEW_STATUS_NAMES, SENTIMENT_NAMES, local_time, shown_author, source_name

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = [
    "编号", "发布时间", "来源", "发帖人", "标题", "正文", "主题", "点位", "情感", "留言类型", "投诉", "审核状态",
    "案件", "原文链接",
]


def _cell(value: object) -> object:
    """Neutralise spreadsheet formulas in crawled text (=, +, -, @ at the start)."""
    from alerts.report import spreadsheet_safe

    return spreadsheet_safe(value)


def rows(posts: Iterable[Post], con, limit: int, *, full_names: bool = False) -> Iterator[list[object]]:
    """One row per post; posters' names are masked unless ``full_names`` (an admin's audited choice)."""
    masked = not full_names
    for p in itertools.islice(posts, limit):
        label = p.effective_sentiment_label
        yield [_cell(v) for v in (
            p.id, local_time(p.published_at), source_name(p.source), shown_author(p, masked), p.title or "", p.text,
            con.topic_name(p.effective_topic), "、".join(con.place_name(k) for k in p.effective_place_keys),
            SENTIMENT_NAMES.get(label.value, "") if label else "",
            labels.MESSAGE_TYPE.get(p.message_type, "") if p.message_type else "",
            "是" if p.effective_is_complaint else "否",
            REVIEW_STATUS_NAMES[p.review.status.value], p.case_id or "", p.url or "",
        )]


def export_response(kind: str, posts: Iterable[Post], con, *, limit: int, full_names: bool = False) -> Response:
    """A download of the posts in this format (names masked unless ``full_names``)."""
    filename = f"yuqing-export-{con.now().strftime('%Y%m%d-%H%M')}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if kind == "csv":
        def generate() -> Iterator[bytes]:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(HEADER)
            yield ("\ufeff" + buf.getvalue()).encode()
            for row in rows(posts, con, limit, full_names=full_names):
                buf.seek(0)
                buf.truncate()
                writer.writerow(row)
                yield buf.getvalue().encode()

        return StreamingResponse(generate(), media_type=EXPORT_TYPES["csv"], headers=headers)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检索结果")
    ws.append(HEADER)
    for row in rows(posts, con, limit, full_names=full_names):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return Response(out.getvalue(), media_type=EXPORT_TYPES["xlsx"], headers=headers)
