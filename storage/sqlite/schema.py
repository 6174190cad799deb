"""The SQLite schema and its additive migrations (the stored JSON documents are the truth)."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2  # 2: posts.message_type

SCHEMA = """
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


def is_current(db: sqlite3.Connection) -> bool:
    """True when an existing file already has every column of this schema version."""
    return "message_type" in {r[1] for r in db.execute("PRAGMA table_info(posts)")}


def migrate(db: sqlite3.Connection) -> int:
    """Bring an older file up to date inside the caller's transaction (idempotent); return the posts touched.

    v2: the ``message_type`` column, filled from the documents, and the ``raw:`` keys of unlisted
    places added to ``post_places`` (the alert keys complaint counts group by).
    """
    db.execute("ALTER TABLE posts ADD COLUMN message_type TEXT")
    db.execute("UPDATE posts SET message_type = json_extract(doc, '$.message_type')")
    db.execute(
        "INSERT OR IGNORE INTO post_places (rid, place_id) "
        "SELECT p.rid, json_extract(pl.value, '$.key') FROM posts p, json_each(p.doc, '$.places') pl "
        "WHERE json_extract(pl.value, '$.id') IS NULL AND json_extract(pl.value, '$.key') IS NOT NULL"
    )
    return int(db.execute("SELECT COUNT(*) FROM posts").fetchone()[0])
