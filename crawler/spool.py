"""A durable local spool for posts the store could not take: JSON-lines files under
``<data_dir>/spool/<source>/``, written atomically (temp file, fsync, rename), replayed oldest first and
deleted only after the store accepted them. Upserts are idempotent on the post id, so a replay that is
interrupted and repeated never doubles anything."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from core import Post, utcnow

if TYPE_CHECKING:
    from storage import PostStore

log = logging.getLogger(__name__)


class Spool:
    """One source's spool directory."""

    def __init__(self, root: Path, source: str) -> None:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in source)
        self.dir = Path(root) / "spool" / safe

    def put(self, posts: Iterable[Post]) -> Path | None:
        """Write posts to a new spool file (atomically); None if there were none."""
        lines = [p.model_dump_json() for p in posts]
        if not lines:
            return None
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.jsonl"
        tmp = self.dir / f".{name}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            tmp.unlink(missing_ok=True)  # a half-written file is never left behind (nor replayed: not *.jsonl)
            raise
        final = self.dir / name
        os.replace(tmp, final)
        return final

    def files(self) -> list[Path]:
        """Spooled files, oldest first."""
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.glob("*.jsonl"))

    def pending(self) -> int:
        """Posts waiting in the spool."""
        return sum(sum(1 for line in f.read_text(encoding="utf-8").splitlines() if line.strip()) for f in self.files())

    def replay(self, store: PostStore) -> int:
        """Upsert every spooled post into ``store``; a file is deleted after its upsert succeeded.
        Raises whatever the store raises (the remaining files stay for the next attempt)."""
        done = 0
        for f in self.files():
            posts = [Post.model_validate_json(line) for line in f.read_text(encoding="utf-8").splitlines() if line]
            report = store.upsert_posts(posts)  # raises while the store cannot take them: the file stays
            if report.failed:  # refused for good (e.g. a mapping error): said, counted, not retried forever
                log.warning("spool %s: the store refused %d posts of %s for good, e.g. %s: %s", self.dir.name,
                            len(report.failed), f.name, *report.failed[0])
            f.unlink()
            done += len(posts)
        if done:
            log.info("spool %s: replayed %d posts", self.dir.name, done)
        return done
