"""The audit trail: every change made through the console, one JSON object per line (who, when, what)."""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from pathlib import Path
from typing import Any

from core import utcnow

log = logging.getLogger("yuqing.web.audit")


class AuditLog:
    """Appends audit records to ``<data_dir>/audit/console.jsonl`` and the ``yuqing.web.audit`` logger."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, actor: str, action: str, target: str, **details: Any) -> dict[str, Any]:
        """Write one record: who (``actor``), when (now, UTC), what (``action`` on ``target`` + details)."""
        entry = {"at": utcnow().isoformat(), "actor": actor, "action": action, "target": target, **details}
        line = json.dumps(entry, ensure_ascii=False, default=str)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
        log.info("audit %s %s %s", actor, action, target)
        return entry

    def tail(self, n: int = 200) -> list[dict[str, Any]]:
        """The last ``n`` records, newest first."""
        if not self.path.exists():
            return []
        with self._lock, self.path.open(encoding="utf-8") as f:
            lines = deque(f, maxlen=n)
        out = []
        for line in reversed(lines):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out
