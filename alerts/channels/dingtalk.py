"""DingTalk (钉钉) group robot: markdown, with the signed URL (``timestamp`` + ``sign``) when a secret is set."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import ClassVar

from alerts.channels.base import Channel, DeliveryError, register, robot_result
from alerts.channels.render import render
from core import Case, OutboxItem

RETRY_CODES = {-1, 130101, 130102}  # busy, sending too fast


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")) (URL-encoded by httpx)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@register
class DingtalkChannel(Channel):
    """A DingTalk group robot."""

    type: ClassVar[str] = "dingtalk"

    def payload(self, item: OutboxItem) -> dict:
        """The robot message (urgent ones @ the configured mobiles)."""
        msg = render(item.payload, self.console_url)
        text = msg.markdown
        at = list(self.config.at_mobiles) if msg.urgent else []
        if at:
            text += "\n\n" + " ".join(f"@{m}" for m in at)
        return {"msgtype": "markdown", "markdown": {"title": msg.title, "text": text},
                "at": {"atMobiles": at, "isAtAll": False}}

    def send(self, item: OutboxItem, case: Case | None) -> str | None:
        """POST to the robot with token (and signature); errcode 0 is success."""
        token = self.config.token(self.environ)
        if token is None and "access_token=" not in self.config.url:
            raise DeliveryError(f"{self.name}: no access token configured", permanent=True)
        params = {"access_token": token.get_secret_value()} if token is not None else {}
        secret = self.config.sign_secret(self.environ)
        if secret is not None:
            ts = int(self.wall_clock() * 1000)  # DingTalk refuses a timestamp an hour off real time
            params.update({"timestamp": str(ts), "sign": dingtalk_sign(secret.get_secret_value(), ts)})
        body = json.dumps(self.payload(item), ensure_ascii=False).encode()
        resp = self.post(self.config.url, content=body, headers={"Content-Type": "application/json"}, params=params)
        robot_result(self.name, resp, RETRY_CODES)
        return None
