"""Durable session revocation shared by every console process on the same data: no session table.

Two checks on each request, both against state every process sees:

- **Credential fingerprint.** A session cookie carries an HMAC of the user's stored credential
  (password hash, role, department). Changing the password, role or department in the config, or
  removing the user, makes every existing cookie of that user fail — in each process as soon as it
  sees the new users (:class:`UserDirectory` re-reads the config file when it changes).
- **Per-user epoch.** ``<data_dir>/web/session-epochs.json`` maps a username to a "not before" time;
  a cookie issued earlier is refused. Logging out, or an admin ending a user's sessions, moves it to
  now — for every process reading that file. Writes are atomic (temp file + rename) under a lock file.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from core.config import UserConfig

log = logging.getLogger("yuqing.web")


class SessionEpochs:
    """Per-user "sessions issued before this time are void", in a JSON file (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, float] = {}
        self._lock = threading.Lock()

    def _read(self) -> dict[str, float]:
        if self.path is None:
            return dict(self._memory)
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): float(v) for k, v in raw.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # Unreadable: void every session issued before the file last changed; new logins still work.
            log.error("console: %s unreadable (%s); sessions issued before it changed are refused",
                      self.path, type(exc).__name__)
            try:
                return {"": self.path.stat().st_mtime}
            except OSError:
                return {"": time.time()}

    def not_before(self, username: str) -> float:
        """Sessions of ``username`` issued at or before this time are void (0 if never ended)."""
        epochs = self._read()  # a few users: read on every request, so another process's change counts at once
        return max(epochs.get(username, 0.0), epochs.get("", 0.0))

    def end_all(self, username: str, now: float | None = None) -> float:
        """Void every session of ``username`` issued until now, in every process using this file."""
        now = time.time() if now is None else now
        with self._lock:
            if self.path is None:
                self._memory[username] = max(self._memory.get(username, 0.0), now)
                return now
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_suffix(".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                epochs = self._read()
                epochs[username] = max(epochs.get(username, 0.0), now)
                tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(epochs, ensure_ascii=False, sort_keys=True), encoding="utf-8")
                os.replace(tmp, self.path)
        return now


def _load_users(path: Path) -> list[UserConfig]:
    from core import load_config

    return list(load_config(path).web.users)


class UserDirectory:
    """The console's users: those of the config, re-read from ``config_path`` whenever that file changes.

    A file that no longer loads keeps the last good users (and says so once in the log).
    """

    def __init__(self, users: list[UserConfig], config_path: Path | None = None,
                 load: Callable[[Path], list[UserConfig]] = _load_users) -> None:
        self._users = {u.username: u for u in users}
        self._path = Path(config_path) if config_path is not None else None
        self._load = load
        self._seen = self._stamp()
        self._lock = threading.Lock()

    def _stamp(self) -> tuple[int, int, int] | None:
        if self._path is None:
            return None
        try:
            st = self._path.stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _refresh(self) -> None:
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return
        with self._lock:
            if stamp == self._seen:
                return
            self._seen = stamp
            try:
                users = self._load(self._path)
            except Exception as exc:  # a half-edited file must not log everyone out or in
                log.warning("console: users not reloaded from %s (%s); keeping the previous ones",
                            self._path, type(exc).__name__)
                return
            self._users = {u.username: u for u in users}
            log.info("console: users reloaded from %s (%d users)", self._path, len(users))

    def get(self, username: str) -> UserConfig | None:
        """The user's current configuration, or None if there is no such user (any more)."""
        self._refresh()
        return self._users.get(username)

    def all(self) -> list[UserConfig]:
        """Every current user."""
        self._refresh()
        return list(self._users.values())
