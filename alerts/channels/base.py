"""What every delivery channel shares: the error that says whether to retry, HTTP helpers, the registry."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import httpx

from core import Case, OutboxItem, utcnow

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class DeliveryError(Exception):
    """A failed attempt. ``permanent`` means retrying cannot help (bad key, rejected payload)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def wall_clock() -> float:
    """Unix seconds from the system clock: what signatures carry (receivers compare them with their own clock)."""
    return time.time()


class Channel(ABC):
    """Sends one outbox item; returns the receiver's reference (a ticket id) if it gives one.

    ``clock`` is the application's clock (scenario time in the demo, a frozen time with ``--now``);
    signatures never use it: they take ``wall_clock`` — a receiver checks freshness against real time.
    """

    type: ClassVar[str]
    wall_clock: ClassVar[Callable[[], float]] = staticmethod(wall_clock)

    def __init__(self, config: Any, *, transport: httpx.BaseTransport | None = None,
                 environ: Mapping[str, str] | None = None, clock: Callable[[], datetime] = utcnow,
                 console_url: str | None = None) -> None:
        self.config = config
        self.transport = transport
        self.environ = environ
        self.clock = clock
        self.console_url = console_url

    @property
    def name(self) -> str:
        """The configured channel name."""
        return self.config.name

    @abstractmethod
    def send(self, item: OutboxItem, case: Case | None) -> str | None:
        """Deliver; raise :class:`DeliveryError` on failure."""

    def post(self, url: str, *, content: bytes, headers: dict[str, str], params: dict[str, str] | None = None
             ) -> httpx.Response:
        """POST through the injectable transport; transport errors and retryable statuses raise DeliveryError.

        Messages never include the URL (robot keys and tokens live in it).
        """
        try:
            with httpx.Client(transport=self.transport, timeout=self.config.timeout, trust_env=False) as client:
                resp = client.post(url, content=content, headers=headers, params=params)
        except httpx.TimeoutException:
            raise DeliveryError(f"{self.name}: timed out after {self.config.timeout:g}s") from None
        except httpx.TransportError as exc:
            raise DeliveryError(f"{self.name}: {type(exc).__name__}") from None
        if resp.status_code in RETRYABLE_STATUS:
            raise DeliveryError(f"{self.name}: HTTP {resp.status_code}")
        if resp.status_code >= 400:
            raise DeliveryError(f"{self.name}: HTTP {resp.status_code} {resp.text[:120]}", permanent=True)
        return resp


def robot_result(channel: str, resp: httpx.Response, retry_codes: set[int]) -> None:
    """Check a WeCom/DingTalk robot answer ``{"errcode": 0, "errmsg": "ok"}``."""
    try:
        data = resp.json()
    except ValueError:
        raise DeliveryError(f"{channel}: answer is not JSON") from None
    code = data.get("errcode", 0) if isinstance(data, dict) else -1
    if code != 0:
        msg = str(data.get("errmsg", ""))[:120] if isinstance(data, dict) else ""
        raise DeliveryError(f"{channel}: errcode {code} {msg}", permanent=code not in retry_codes)


REGISTRY: dict[str, type[Channel]] = {}


def register(cls: type[Channel]) -> type[Channel]:
    """Class decorator: a channel type by its short name."""
    REGISTRY[cls.type] = cls
    return cls
