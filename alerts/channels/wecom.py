"""WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content": …}}`` to the robot URL."""

from __future__ import annotations

import json
from typing import ClassVar

from alerts.channels.base import Channel, DeliveryError, register, robot_result
from alerts.channels.render import render
from core import Case, OutboxItem

MAX_BYTES = 4096  # WeCom's markdown content limit
RETRY_CODES = {-1, 45009, 45033}  # system busy, API frequency limits


def clip(text: str, limit: int = MAX_BYTES) -> str:
    """Cut text to at most ``limit`` UTF-8 bytes without breaking a character."""
    raw = text.encode()
    return text if len(raw) <= limit else raw[: limit - 3].decode(errors="ignore") + "…"


@register
class WecomChannel(Channel):
    """A WeCom group robot (markdown; urgent messages @ the configured mobiles as text)."""

    type: ClassVar[str] = "wecom"

    def payload(self, item: OutboxItem) -> dict:
        """The robot message."""
        msg = render(item.payload, self.console_url)
        if msg.urgent and self.config.mentioned_mobiles:
            return {"msgtype": "text", "text": {"content": clip(msg.text, 2048),
                                                "mentioned_mobile_list": list(self.config.mentioned_mobiles)}}
        return {"msgtype": "markdown", "markdown": {"content": clip(msg.markdown)}}

    def send(self, item: OutboxItem, case: Case | None) -> str | None:
        """POST to the robot; errcode 0 is success."""
        key = self.config.robot_key(self.environ)
        params = {"key": key.get_secret_value()} if key is not None else None
        if params is None and "key=" not in self.config.url:
            raise DeliveryError(f"{self.name}: no robot key configured", permanent=True)
        body = json.dumps(self.payload(item), ensure_ascii=False).encode()
        resp = self.post(self.config.url, content=body, headers={"Content-Type": "application/json"}, params=params)
        robot_result(self.name, resp, RETRY_CODES)
        return None
