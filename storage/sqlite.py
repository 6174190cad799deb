"""The embedded default store: one SQLite file (WAL), FTS5 over jieba-segmented text.

Documents are kept as JSON next to the columns that filters, sorts and
aggregations use. The full-text table has two columns: the jieba words
(search mode) and the text one Han character at a time, so a query word the
segmenter cut differently is still found as a character phrase.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core import (
    NotFound,
    Post,
    Review,
    StoreUnavailable,
    utcnow,
)
from nlp import Segmenter, default_segmenter, han_chars
from storage.base import (
    CountRow,
    HistogramBucket,
    Hit,
    PostQuery,
    SearchResult,
    Store,
    TermField,
    UpsertReport,
)
from storage.docs import filter_fields, highlight, merge_post, query_terms, searchable_text
from storage.sqlite_records import SQLiteRecords, _ts
from storage.words import IndexWords, han_char_text

SCHEMA_VERSION = 2  # 2: posts.message_type
_TZ_SHIFT = 8 * 3600  # Asia/Shanghai, no daylight saving

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    source TEXT NOT NULL,
    published_ts REAL NOT NULL,
    topic TEXT,
    sentiment_label TEXT,
    is_complaint INTEGER NOT NULL,
    message_type TEXT,
    review_status TEXT NOT NULL,
    severity TEXT,
    severity_rank INTEGER NOT NULL,
    engagement INTEGER NOT NULL,
    dedupe_key TEXT NOT NULL,
    case_id TEXT
);
CREATE INDEX IF NOT EXISTS posts_published ON posts (published_ts);
CREATE INDEX IF NOT EXISTS posts_source ON posts (source, published_ts);
CREATE INDEX IF NOT EXISTS posts_complaint ON posts (is_complaint, published_ts);
CREATE INDEX IF NOT EXISTS posts_review ON posts (review_status, published_ts);
CREATE INDEX IF NOT EXISTS posts_case ON posts (case_id);
CREATE INDEX IF NOT EXISTS posts_queue ON posts (review_status, is_complaint, severity_rank, published_ts);
CREATE TABLE IF NOT EXISTS post_places (
    rid INTEGER NOT NULL, place_id TEXT NOT NULL, PRIMARY KEY (rid, place_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS post_places_place ON post_places (place_id, rid);
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(words, chars, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, status TEXT NOT NULL, department TEXT, place_id TEXT,
    topic TEXT, opened_ts REAL NOT NULL, due_ts REAL, version INTEGER NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_key ON cases (key, status);
CREATE INDEX IF NOT EXISTS cases_opened ON cases (opened_ts);
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, status TEXT NOT NULL, next_try_ts REAL NOT NULL, lease_until_ts REAL,
    created_ts REAL NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_try_ts);
CREATE TABLE IF NOT EXISTS source_state (name TEXT PRIMARY KEY, version INTEGER NOT NULL, doc TEXT NOT NULL);
"""

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


class SQLiteStore(SQLiteRecords, Store):
    """The embedded store. One connection guarded by a lock; safe across threads and processes (WAL)."""

    backend = "sqlite"

    def __init__(self, path: str | Path, segmenter: Segmenter | None = None, *,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.path = Path(path)
        self._clock = clock  # "now" for record timestamps (updated_at)
        self._seg = segmenter or default_segmenter()
        self._words = IndexWords(self._seg)
        self._lock = threading.RLock()
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open SQLite store at {self.path}: {exc}") from None
        self._db.row_factory = sqlite3.Row
        self.init()

    # ---- lifecycle -------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def init(self) -> list[str]:
        """Create the tables if missing; bring a file written by an older schema up to date."""
        with self._lock:
            existed = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'posts'").fetchone()
            done = self._migrate() if existed else []
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        return done if existed else [f"created SQLite schema v{SCHEMA_VERSION} in {self.path}"]

    def _migrate(self) -> list[str]:
        """Additive migrations of an existing file (idempotent; the stored documents are the truth).

        v2: the ``message_type`` column, filled from the documents, and the ``raw:`` keys of unlisted
        places added to ``post_places`` (the alert keys complaint counts group by).
        """
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(posts)")}
        if "message_type" in columns:
            return []
        with self._tx() as db:
            db.execute("ALTER TABLE posts ADD COLUMN message_type TEXT")
            db.execute("UPDATE posts SET message_type = json_extract(doc, '$.message_type')")
            db.execute(
                "INSERT OR IGNORE INTO post_places (rid, place_id) "
                "SELECT p.rid, json_extract(pl.value, '$.key') FROM posts p, json_each(p.doc, '$.places') pl "
                "WHERE json_extract(pl.value, '$.id') IS NULL AND json_extract(pl.value, '$.key') IS NOT NULL"
            )
            n = db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        return [f"migrated SQLite schema to v{SCHEMA_VERSION} in {self.path}: posts.message_type ({n} posts)"]

    def health(self) -> dict[str, Any]:
        """Path, size and post count."""
        posts = self._query("SELECT COUNT(*) FROM posts")[0][0]
        size = self.path.stat().st_size if self.path.exists() else 0
        return {"backend": self.backend, "path": str(self.path), "posts": posts, "bytes": size, "status": "ok"}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    # ---- posts -----------------------------------------------------------
    def _write_post(self, db: sqlite3.Connection, post: Post, rid: int | None) -> int:
        f = filter_fields(post)
        values = (
            post.model_dump_json(), f["source"], f["published_ts"], f["topic"], f["sentiment_label"],
            int(bool(f["is_complaint"])), f["message_type"], f["review_status"], f["severity"], f["severity_rank"],
            f["engagement"], f["dedupe_key"], f["case_id"],
        )
        cols = ("doc, source, published_ts, topic, sentiment_label, is_complaint, message_type, review_status, "
                "severity, severity_rank, engagement, dedupe_key, case_id")
        if rid is None:
            cur = db.execute(f"INSERT INTO posts (id, {cols}) VALUES (?, {', '.join('?' * 13)})", (post.id, *values))
            rid = int(cur.lastrowid or 0)
        else:
            sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
            db.execute(f"UPDATE posts SET {sets} WHERE rid = ?", (*values, rid))
            db.execute("DELETE FROM post_places WHERE rid = ?", (rid,))
        db.executemany(
            "INSERT OR IGNORE INTO post_places (rid, place_id) VALUES (?, ?)",
            [(rid, pid) for pid in dict.fromkeys(f["place_ids"])],  # type: ignore[call-overload]
        )
        return rid

    def _write_fts(self, db: sqlite3.Connection, rid: int, post: Post, replace: bool) -> None:
        text = searchable_text(post)
        if replace:
            db.execute("DELETE FROM posts_fts WHERE rowid = ?", (rid,))
        words = self._words.for_post(post)  # the enricher's tokens: no second segmentation
        db.execute(
            "INSERT INTO posts_fts (rowid, words, chars) VALUES (?, ?, ?)", (rid, words, han_char_text(text))
        )

    def upsert_posts(self, posts: Iterable[Post], *, refresh: bool = False) -> UpsertReport:
        """Insert or update posts by id (merged with what is stored)."""
        batch = list(posts)
        created = updated = 0
        failed: list[tuple[str, str]] = []
        with self._tx() as db:
            for i in range(0, len(batch), 500):
                chunk = batch[i : i + 500]
                ids = list({p.id for p in chunk})
                rows = db.execute(
                    f"SELECT rid, id, doc FROM posts WHERE id IN ({','.join('?' * len(ids))})", ids
                ).fetchall()
                known = {r["id"]: (r["rid"], Post.model_validate_json(r["doc"])) for r in rows}
                for post in chunk:
                    try:
                        rid, existing = known.get(post.id, (None, None))
                        merged = merge_post(existing, post)
                        db.execute("SAVEPOINT doc")
                        new_rid = self._write_post(db, merged, rid)
                        self._write_fts(db, new_rid, merged, replace=rid is not None)
                        db.execute("RELEASE doc")
                    except (sqlite3.Error, ValueError) as exc:
                        db.execute("ROLLBACK TO doc")
                        failed.append((post.id, f"{type(exc).__name__}: {exc}"))
                        continue
                    known[post.id] = (new_rid, merged)
                    if rid is None:
                        created += 1
                    else:
                        updated += 1
        return UpsertReport(created=created, updated=updated, failed=failed)

    def get_post(self, post_id: str) -> Post | None:
        """The post with this id, or None."""
        rows = self._query("SELECT doc FROM posts WHERE id = ?", (post_id,))
        return Post.model_validate_json(rows[0]["doc"]) if rows else None

    def get_posts(self, post_ids: Iterable[str]) -> list[Post]:
        """The posts with these ids that exist, in the order asked."""
        ids = list(dict.fromkeys(post_ids))
        found: dict[str, Post] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            for r in self._query(f"SELECT doc FROM posts WHERE id IN ({','.join('?' * len(part))})", part):
                post = Post.model_validate_json(r["doc"])
                found[post.id] = post
        return [found[i] for i in ids if i in found]

    def _where(self, q: PostQuery, terms: list[str]) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if q.since is not None:
            clauses.append("p.published_ts >= ?")
            params.append(_ts(q.since))
        if q.until is not None:
            clauses.append("p.published_ts < ?")
            params.append(_ts(q.until))
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
            (_ts(since), _ts(until)),
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

    def _load_for_update(self, db: sqlite3.Connection, post_id: str) -> tuple[int, Post]:
        row = db.execute("SELECT rid, doc FROM posts WHERE id = ?", (post_id,)).fetchone()
        if row is None:
            raise NotFound(f"no post {post_id}")
        return row["rid"], Post.model_validate_json(row["doc"])

    def review_post(self, post_id: str, review: Review) -> Post:
        """Record a reviewer's verdict."""
        with self._tx() as db:
            rid, post = self._load_for_update(db, post_id)
            post = post.model_copy(update={"review": review})
            self._write_post(db, post, rid)
        return post

    def link_posts_to_case(self, post_ids: Iterable[str], case_id: str | None) -> int:
        """Set or clear the case of these posts."""
        n = 0
        with self._tx() as db:
            for pid in dict.fromkeys(post_ids):
                try:
                    rid, post = self._load_for_update(db, pid)
                except NotFound:
                    continue
                self._write_post(db, post.model_copy(update={"case_id": case_id}), rid)
                n += 1
        return n
