"""Searching posts in SQLite: FTS5 with filters, iteration, the detection read, histogram and terms.

The full-text table has two columns: the jieba words (search mode) and the
text one Han character at a time, so a query word the segmenter cut
differently is still found as a character phrase.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from core import Post
from nlp import han_chars
from storage.base import CountRow, HistogramBucket, Hit, PostQuery, SearchResult, TermField
from storage.docs import highlight, query_terms, searchable_text
from storage.sqlite.base import SQLiteBase, to_ts

_TZ_SHIFT = 8 * 3600  # Asia/Shanghai, no daylight saving

_TERM_COLUMNS = {
    "source": "p.source",
    "topic": "p.topic",
    "sentiment_label": "p.sentiment_label",
    "review_status": "p.review_status",
    "severity": "p.severity",
    "is_complaint": "CASE p.is_complaint WHEN 1 THEN 'true' ELSE 'false' END",
    "message_type": "p.message_type",
    "place": "pp.place_id",
}


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'

class SQLitePostSearch(SQLiteBase):
    """Full-text search, export iteration and the aggregations over posts."""

    def _where(self, q: PostQuery, terms: list[str]) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if q.since is not None:
            clauses.append("p.published_ts >= ?")
            params.append(to_ts(q.since))
        if q.until is not None:
            clauses.append("p.published_ts < ?")
            params.append(to_ts(q.until))
        if q.sources:
            ors = []
            for s in q.sources:
                if s.endswith("*"):
                    ors.append("p.source LIKE ? ESCAPE '\\'")
                    params.append(s[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                else:
                    ors.append("p.source = ?")
                    params.append(s)
            clauses.append("(" + " OR ".join(ors) + ")")
        for column, values in (
            ("p.topic", q.topics),
            ("p.sentiment_label", q.sentiment_labels),
            ("p.review_status", q.review_statuses),
            ("p.severity", q.severities),
            ("p.message_type", q.message_types),
        ):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if q.place_ids:
            clauses.append(
                f"p.rid IN (SELECT rid FROM post_places WHERE place_id IN ({','.join('?' * len(q.place_ids))}))"
            )
            params.extend(q.place_ids)
        if q.is_complaint is not None:
            clauses.append("p.is_complaint = ?")
            params.append(int(q.is_complaint))
        if q.case_id is not None:
            clauses.append("p.case_id = ?")
            params.append(q.case_id)
        if q.text is not None and q.text.strip():
            if not terms:
                clauses.append("0")
            else:
                clauses.append("p.rid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
                params.append(self._match_expr(terms))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    @staticmethod
    def _match_expr(terms: list[str]) -> str:
        parts = []
        for t in terms:
            chars = " ".join(han_chars(t)) or t
            parts.append(f"(words : {_fts_phrase(t)} OR chars : {_fts_phrase(chars)})")
        return " AND ".join(parts)

    def search(self, query: PostQuery) -> SearchResult:
        """Full-text search with filters, sort, pagination and highlights."""
        terms = query_terms(query.text, self._seg.cut)
        where, params = self._where(query, terms)
        total = self._query(f"SELECT COUNT(*) FROM posts p{where}", params)[0][0]
        sort = query.sort
        if sort == "auto":
            sort = "relevance" if terms else "newest"
        if sort == "relevance" and not terms:
            sort = "newest"
        select = "SELECT p.doc, NULL AS score FROM posts p"
        order = {
            "newest": "p.published_ts DESC, p.rid DESC",
            "oldest": "p.published_ts ASC, p.rid ASC",
            "severity": "p.severity_rank DESC, p.published_ts DESC, p.rid DESC",
            "engagement": "p.engagement DESC, p.published_ts DESC, p.rid DESC",
        }.get(sort, "")
        if sort == "relevance":
            select = (
                "SELECT p.doc, -f.rank AS score FROM posts p JOIN "
                "(SELECT rowid AS frid, bm25(posts_fts) AS rank FROM posts_fts WHERE posts_fts MATCH ?) f "
                "ON f.frid = p.rid"
            )
            params = [self._match_expr(terms), *params]
            order = "f.rank ASC, p.published_ts DESC, p.rid DESC"
        rows = self._query(
            f"{select}{where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, query.limit, query.offset]
        )
        hits = []
        for r in rows:
            post = Post.model_validate_json(r["doc"])
            marks = highlight(searchable_text(post), terms) if query.highlight and terms else ()
            hits.append(Hit(post=post, score=r["score"], highlights=marks))
        return SearchResult(total=total, hits=hits)

    def iter_posts(self, query: PostQuery, batch: int = 1000) -> Iterator[Post]:
        """Every matching post, oldest first, in keyset-paginated batches."""
        terms = query_terms(query.text, self._seg.cut)
        where, params = self._where(query, terms)
        after: tuple[float, int] = (float("-inf"), -1)
        joiner = " AND " if where else " WHERE "
        while True:
            rows = self._query(
                f"SELECT p.rid, p.published_ts, p.doc FROM posts p{where}{joiner}"
                "(p.published_ts > ? OR (p.published_ts = ? AND p.rid > ?)) "
                "ORDER BY p.published_ts, p.rid LIMIT ?",
                [*params, after[0], after[0], after[1], batch],
            )
            if not rows:
                return
            for r in rows:
                yield Post.model_validate_json(r["doc"])
            after = (rows[-1]["published_ts"], rows[-1]["rid"])

    def complaint_counts(
        self, since: datetime, until: datetime, bucket: timedelta, *, by_topic: bool = True
    ) -> list[CountRow]:
        """Distinct complaints per place (× topic) per Asia/Shanghai-aligned bucket."""
        step = int(bucket.total_seconds())
        topic_col = "p.topic" if by_topic else "NULL"
        rows = self._query(
            f"SELECT pp.place_id AS place_id, {topic_col} AS topic, "
            f"CAST((p.published_ts + {_TZ_SHIFT}) / {step} AS INTEGER) AS b, COUNT(DISTINCT p.dedupe_key) AS n "
            "FROM posts p JOIN post_places pp ON pp.rid = p.rid "
            "WHERE p.is_complaint = 1 AND p.published_ts >= ? AND p.published_ts < ? "
            f"GROUP BY pp.place_id, {topic_col}, b ORDER BY b, pp.place_id, {topic_col}",
            (to_ts(since), to_ts(until)),
        )
        return [
            CountRow(
                place_id=r["place_id"],
                topic=r["topic"],
                bucket=datetime.fromtimestamp(r["b"] * step - _TZ_SHIFT, UTC),
                count=r["n"],
            )
            for r in rows
        ]

    def histogram(
        self, query: PostQuery, interval: timedelta, *, split_by: TermField | None = None
    ) -> list[HistogramBucket]:
        """Posts per bucket, optionally split by a field."""
        terms = query_terms(query.text, self._seg.cut)
        where, params = self._where(query, terms)
        step = int(interval.total_seconds())
        bucket = f"CAST((p.published_ts + {_TZ_SHIFT}) / {step} AS INTEGER)"
        if split_by is None:
            rows = self._query(
                f"SELECT {bucket} AS b, NULL AS v, COUNT(*) AS n FROM posts p{where} GROUP BY b ORDER BY b", params
            )
        else:
            join = " LEFT JOIN post_places pp ON pp.rid = p.rid" if split_by == "place" else ""
            count = "COUNT(DISTINCT p.rid)"
            rows = self._query(
                f"SELECT {bucket} AS b, {_TERM_COLUMNS[split_by]} AS v, {count} AS n FROM posts p{join}{where} "
                "GROUP BY b, v ORDER BY b",
                params,
            )
            totals = {
                r["b"]: r["n"]
                for r in self._query(f"SELECT {bucket} AS b, COUNT(*) AS n FROM posts p{where} GROUP BY b", params)
            }
        out: dict[int, HistogramBucket] = {}
        for r in rows:
            b = r["b"]
            if b not in out:
                total = r["n"] if split_by is None else totals[b]
                out[b] = HistogramBucket(start=datetime.fromtimestamp(b * step - _TZ_SHIFT, UTC), total=total)
            if split_by is not None and r["v"] is not None:
                out[b].split[str(r["v"])] = r["n"]
        return [out[b] for b in sorted(out)]

    def terms(self, query: PostQuery, term_field: TermField, size: int = 10) -> list[tuple[str, int]]:
        """The most frequent values of a field among matching posts."""
        terms = query_terms(query.text, self._seg.cut)
        where, params = self._where(query, terms)
        column = _TERM_COLUMNS[term_field]
        join = " JOIN post_places pp ON pp.rid = p.rid" if term_field == "place" else ""
        not_null = f"{column} IS NOT NULL"
        where = f"{where} AND {not_null}" if where else f" WHERE {not_null}"
        rows = self._query(
            f"SELECT {column} AS v, COUNT(*) AS n FROM posts p{join}{where} GROUP BY v ORDER BY n DESC, v LIMIT ?",
            [*params, size],
        )
        return [(str(r["v"]), r["n"]) for r in rows]
