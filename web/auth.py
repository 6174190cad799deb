"""Console authentication: scrypt password hashes, signed session cookies, CSRF tokens, login rate limits.

Everything here is stdlib (``hashlib.scrypt``, ``hmac``, ``secrets``). A session is a signed cookie
``<base64 json>.<hmac>`` carrying the username, an expiry and a random session id; the CSRF token is an
HMAC of that session id, so it needs no server-side storage. Revocation is durable across processes
without a session table (``web.sessions``): a credential fingerprint in the cookie and a per-user epoch. Before
login, the login form carries an HMAC of a random nonce kept in a cookie (signed double submit), so another
site cannot log a victim into the attacker's account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core.config import UserConfig
from storage.sqlite.base import enter_wal
from web.sessions import SessionEpochs, UserDirectory

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A self-describing scrypt hash: ``scrypt$n$r$p$salt$hash`` (base64)."""
    if not password:
        raise ValueError("password must not be empty")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


#: A hash of a random password, checked when the username is unknown so timing does not reveal users.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(12))


@dataclass(frozen=True)
class User:
    """A logged-in console user."""

    username: str
    role: str
    department: str | None
    display_name: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def from_config(cls, u: UserConfig) -> User:
        return cls(u.username, u.role, u.department, u.display_name or u.username)


@dataclass(frozen=True)
class Session:
    """A verified session cookie."""

    user: User
    sid: str
    expires: float
    issued: float = 0.0
    seen: float = 0.0  # the last request made with it (for the idle timeout)


class Authenticator:
    """Checks passwords against the configured users and issues and verifies session cookies.

    ``users`` may be a :class:`web.sessions.UserDirectory` (users re-read when the config file changes);
    ``epochs`` keeps logouts durable across processes (in memory when omitted).
    """

    def __init__(self, users: list[UserConfig] | UserDirectory, secret: bytes, session_seconds: float,
                 epochs: SessionEpochs | None = None, *, idle_seconds: float | None = None,
                 nonces: UsedNonces | None = None) -> None:
        self.users = users if isinstance(users, UserDirectory) else UserDirectory(list(users))
        self.epochs = epochs if epochs is not None else SessionEpochs(None)
        self.nonces = nonces if nonces is not None else UsedNonces(None)
        self._secret = secret
        self._ttl = session_seconds
        self._idle = idle_seconds

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right, else None."""
        cfg = self.users.get(username)
        stored = cfg.password_hash.get_secret_value() if cfg else _DUMMY_HASH
        ok = verify_password(password, stored)
        return User.from_config(cfg) if ok and cfg else None

    def _sign(self, data: bytes) -> str:
        return hmac.new(self._secret, data, hashlib.sha256).hexdigest()

    def _fingerprint(self, cfg: UserConfig) -> str:
        """An HMAC of the user's stored credential and grants: any change voids the user's sessions."""
        fields = (cfg.username, cfg.password_hash.get_secret_value(), cfg.role, cfg.department or "")
        return self._sign(b"credential:" + "\0".join(fields).encode())[:32]

    def issue(self, user: User, now: float | None = None) -> str:
        """A new session cookie value for this user."""
        now = time.time() if now is None else now
        cfg = self.users.get(user.username)
        if cfg is None:
            raise ValueError("unknown user")
        return self._cookie(cfg, now + self._ttl, now, secrets.token_urlsafe(16), now)

    def _cookie(self, cfg: UserConfig, expires: float, issued: float, sid: str, seen: float) -> str:
        body = json.dumps({"u": cfg.username, "x": expires, "i": issued, "s": sid, "f": self._fingerprint(cfg),
                           "a": seen})
        data = base64.urlsafe_b64encode(body.encode())
        return f"{data.decode()}.{self._sign(b'session:' + data)}"

    def touch(self, session: Session, now: float | None = None) -> str | None:
        """The same session with "last seen" moved to now (same id, so the same CSRF token), or None when it was
        seen less than a minute ago."""
        now = time.time() if now is None else now
        cfg = self.users.get(session.user.username)
        if cfg is None or now - session.seen < 60:
            return None
        return self._cookie(cfg, session.expires, session.issued, session.sid, now)

    def verify(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The session for a cookie value, or None if forged, expired, ended (logout, or in another process),
        for a removed user, or for a user whose password, role or department changed since."""
        if not cookie or "." not in cookie:
            return None
        now = time.time() if now is None else now
        data, sig = cookie.rsplit(".", 1)
        if not hmac.compare_digest(sig, self._sign(b"session:" + data.encode())):
            return None
        try:
            body = json.loads(base64.urlsafe_b64decode(data.encode()))
            username, expires, sid = str(body["u"]), float(body["x"]), str(body["s"])
            issued, fingerprint = float(body["i"]), str(body["f"])
            seen = float(body.get("a", issued))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        cfg = self.users.get(username)
        if cfg is None or expires < now or not hmac.compare_digest(fingerprint, self._fingerprint(cfg)):
            return None
        if self._idle is not None and now - seen > self._idle:
            return None  # idle too long: log in again
        if issued <= self.epochs.not_before(username):
            return None
        return Session(User.from_config(cfg), sid, expires, issued, seen)

    def revoke(self, session: Session) -> None:
        """Log out: end every session of this user, in every console process sharing the data directory."""
        self.end_sessions(session.user.username)

    def end_sessions(self, username: str) -> None:
        """Void all of a user's current sessions (logout, or an admin ending them)."""
        self.epochs.end_all(username)

    def csrf_token(self, session: Session) -> str:
        """The CSRF token bound to this session."""
        return self._sign(b"csrf:" + session.sid.encode())

    def check_csrf(self, session: Session, token: str | None) -> bool:
        """Whether a submitted token belongs to this session."""
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(session))

    def login_token(self, nonce: str) -> str:
        """The login form's CSRF token: an HMAC of the pre-session nonce kept in the login cookie."""
        return self._sign(b"login:" + nonce.encode())

    def check_login(self, nonce: str | None, token: str | None, now: float | None = None) -> bool:
        """Whether a login form's token matches the nonce cookie sent with it (signed double submit), the nonce
        is at most :data:`LOGIN_FORM_SECONDS` old, and it was not used before: a login form is good for one
        attempt (the answer to any attempt carries a new nonce)."""
        if not nonce or not token or not is_nonce(nonce, now):
            return False
        if not hmac.compare_digest(str(token), self.login_token(nonce)):
            return False
        return self.nonces.use(nonce, now)


#: How long a login form (its CSRF token) stays usable.
LOGIN_FORM_SECONDS = 2 * 3600


def connect_sqlite(path: Path | None) -> sqlite3.Connection:
    """The console's small SQLite files (login failures, nonces, undo, subscriptions): WAL, shared by the
    console's threads and processes; ``path`` None keeps the data in memory."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(":memory:" if path is None else str(path), timeout=10, isolation_level=None,
                         check_same_thread=False)
    enter_wal(db, timeout=10)
    return db


class UsedNonces:
    """Login-form nonces already used, in the same SQLite file as the login failures (so every console process
    sharing the data directory refuses a replayed login form); kept as long as a form stays valid."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self._db = connect_sqlite(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS used_nonces (nonce TEXT PRIMARY KEY, at REAL)")

    def use(self, nonce: str, now: float | None = None) -> bool:
        """Mark a nonce used; False if it already was."""
        now = time.time() if now is None else now
        with self._lock:
            self._db.execute("DELETE FROM used_nonces WHERE at < ?", (now - LOGIN_FORM_SECONDS - 60,))
            cur = self._db.execute("INSERT OR IGNORE INTO used_nonces VALUES (?, ?)", (nonce, now))
            return cur.rowcount == 1


def new_nonce(now: float | None = None) -> str:
    """A pre-session nonce for the login form's CSRF cookie: 24 random URL-safe characters and the time (8 hex)."""
    return secrets.token_urlsafe(18) + f"{int(time.time() if now is None else now):08x}"


def is_nonce(value: str | None, now: float | None = None) -> bool:
    """Whether a cookie value is a nonce made by :func:`new_nonce` less than :data:`LOGIN_FORM_SECONDS` ago."""
    if not value or len(value) != 32 or not all(c.isalnum() or c in "-_" for c in value):
        return False
    try:
        made = int(value[24:], 16)
    except ValueError:
        return False
    now = time.time() if now is None else now
    return -60 <= now - made <= LOGIN_FORM_SECONDS


class LoginLimiter:
    """At most ``attempts`` failed logins per key (address, username) within ``window`` seconds.

    Failures are kept in a SQLite file at ``path`` (``scope`` tells limiters sharing it apart), so every console
    process that shares the data directory counts them; without ``path``, in this process's memory.
    """

    def __init__(self, attempts: int, window: float, path: Path | None = None, scope: str = "login") -> None:
        self.attempts = attempts
        self.window = window
        self.scope = scope
        self._lock = threading.Lock()
        self._db = connect_sqlite(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS failures (scope TEXT, key TEXT, at REAL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS failures_by_key ON failures (scope, key, at)")

    def retry_after(self, keys: list[str], now: float | None = None) -> float:
        """Seconds until a login may be tried again (0 if allowed now)."""
        now = time.time() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                q = [at for (at,) in self._db.execute(
                    "SELECT at FROM failures WHERE scope = ? AND key = ? AND at > ? ORDER BY at",
                    (self.scope, key, now - self.window))]
                if len(q) >= self.attempts:
                    wait = max(wait, q[-self.attempts] + self.window - now)
        return wait

    def reserve(self, keys: list[str], now: float | None = None) -> tuple[float, list[int]]:
        """Check and take one attempt atomically (across threads and processes): ``(wait, [])`` when a key is at
        its limit, else ``(0, reservation)`` — the attempt already counts as a failure until :meth:`release`d.

        So parallel wrong logins cannot all pass the check before any of them is counted.
        """
        now = time.time() if now is None else now
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the write lock: no other process counts in between
            try:
                wait = 0.0
                for key in keys:
                    q = [at for (at,) in self._db.execute(
                        "SELECT at FROM failures WHERE scope = ? AND key = ? AND at > ? ORDER BY at",
                        (self.scope, key, now - self.window))]
                    if len(q) >= self.attempts:
                        wait = max(wait, q[-self.attempts] + self.window - now)
                if wait > 0:
                    self._db.execute("ROLLBACK")
                    return wait, []
                self._db.execute("DELETE FROM failures WHERE at <= ?", (now - self.window,))
                rows = [self._db.execute("INSERT INTO failures VALUES (?, ?, ?)", (self.scope, k, now)).lastrowid
                        for k in keys]
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return 0.0, [r for r in rows if r is not None]

    def release(self, reservation: list[int]) -> None:
        """Give back a reserved attempt (the login succeeded, or another check refused it first)."""
        with self._lock:
            self._db.executemany("DELETE FROM failures WHERE rowid = ?", [(r,) for r in reservation])

    def failed(self, keys: list[str], now: float | None = None) -> None:
        """Count one failed attempt against each key."""
        now = time.time() if now is None else now
        with self._lock:
            self._db.execute("DELETE FROM failures WHERE at <= ?", (now - self.window,))
            self._db.executemany("INSERT INTO failures VALUES (?, ?, ?)", [(self.scope, k, now) for k in keys])

    def succeeded(self, keys: list[str]) -> None:
        """Forget the failures of these keys."""
        with self._lock:
            self._db.executemany("DELETE FROM failures WHERE scope = ? AND key = ?", [(self.scope, k) for k in keys])
