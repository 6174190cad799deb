"""The tracker webhook: signed JSON, idempotent by ``Idempotency-Key`` (case id + event version).

Receiver contract (docs/alerts.md): verify ``X-Yuqing-Signature`` = ``sha256=`` + hex HMAC-SHA256 of
``<X-Yuqing-Timestamp> + "." + body`` with the shared secret, reject stale timestamps, store the
idempotency key with the ticket in the same transaction, and answer a repeated key with the ticket
it already made (2xx, ``{"ref": "..."}``). Then a crash between send and acknowledgement, on either
side, only ever produces a retry of the same key — never a second ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import ClassVar

from alerts.channels.base import Channel, DeliveryError, register
from core import Case, OutboxItem

SIGNATURE_HEADER = "X-Yuqing-Signature"
TIMESTAMP_HEADER = "X-Yuqing-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value for a body sent at ``timestamp`` (unix seconds)."""
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver checks (constant-time)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _stale(exc: DeliveryError) -> bool:
    """A 401 refusal that blames the timestamp (not the secret)."""
    text = str(exc).lower()
    return exc.permanent and "http 401" in text and ("stale" in text or "timestamp" in text or "expired" in text)


@register
class WebhookChannel(Channel):
    """JSON to an external case tracker."""

    type: ClassVar[str] = "webhook"

    def body(self, item: OutboxItem, case: Case | None) -> bytes:
        """The JSON body: the event as queued, plus the tracker's reference once known."""
        doc = {
            "idempotency_key": item.payload.get("idempotency_key", item.id), "event": item.payload.get("event"),
            "version": item.payload.get("version"), "case": item.payload.get("case"),
            "detail": item.payload.get("detail"), "external_ref": case.external_ref if case else None,
        }
        if item.payload.get("event") == "daily_report":
            doc.update({k: item.payload.get(k) for k in ("day", "summary")})
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def headers(self, item: OutboxItem, body: bytes) -> dict[str, str]:
        """Headers with a timestamp from the wall clock (never the scenario clock) and its signature."""
        ts = str(int(self.wall_clock()))
        headers = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: ts,
                   "Idempotency-Key": str(item.payload.get("idempotency_key", item.id)),
                   "X-Yuqing-Event": str(item.payload.get("event"))}
        key = self.config.hmac_key(self.environ)
        if key is not None:
            headers[SIGNATURE_HEADER] = sign(key.get_secret_value().encode(), ts, body)
        return headers

    def send(self, item: OutboxItem, case: Case | None) -> str | None:
        """POST the signed body; the answer's ``ref`` (or ``id``) is the ticket reference.

        A 401 that says the timestamp is stale (a slow queue, a clock step) is answered at once with a fresh
        signature; if the receiver still refuses it, the attempt fails as retryable, never as permanent.
        """
        body = self.body(item, case)
        try:
            resp = self.post(self.config.url, content=body, headers=self.headers(item, body))
        except DeliveryError as exc:
            if not _stale(exc):
                raise
            try:
                resp = self.post(self.config.url, content=body, headers=self.headers(item, body))
            except DeliveryError as again:
                if _stale(again):
                    raise DeliveryError(f"{again} (fresh signature refused too; will retry)") from None
                raise
        try:
            data = resp.json() if resp.content else {}
        except ValueError:
            raise DeliveryError(f"{self.name}: answer is not JSON") from None
        ref = (data.get("ref") or data.get("id") or data.get("ticket_id")) if isinstance(data, dict) else None
        return str(ref) if ref is not None else None
