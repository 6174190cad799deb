"""Posts in SQLite: merged upserts (a savepoint per document), lookups by id, review and case links."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from core import NotFound, Post, Review
from storage.base import PostStore, UpsertReport, check_expected_review
from storage.docs import filter_fields, merge_post, searchable_text
from storage.sqlite.search import SQLitePostSearch
from storage.words import han_char_text


class SQLitePosts(SQLitePostSearch, PostStore):
    """Posts: merged upserts, lookups by id, review and case links (search: ``search.py``)."""

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

    def _load_for_update(self, db: sqlite3.Connection, post_id: str) -> tuple[int, Post]:
        row = db.execute("SELECT rid, doc FROM posts WHERE id = ?", (post_id,)).fetchone()
        if row is None:
            raise NotFound(f"no post {post_id}")
        return row["rid"], Post.model_validate_json(row["doc"])

    def review_post(self, post_id: str, review: Review, *, expect: Review | None = None) -> Post:
        """Record a reviewer's verdict (only over ``expect``, when given)."""
        with self._tx() as db:
            rid, post = self._load_for_update(db, post_id)
            check_expected_review(post, expect)
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
