"""Delivery channels of alerts: webhook, WeCom, DingTalk and e-mail, told apart by ``type``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, SecretStr

from core.config.section import _Section


class _ChannelConfig(_Section):
    name: str = Field(description="unique channel name (outbox items are keyed by it)")
    events: list[str] = Field(
        default_factory=lambda: ["opened", "reopened", "escalated"],
        description="case events delivered: opened, reopened, evidence, status, escalated, note, daily_report",
    )
    departments: list[str] = Field(default_factory=list, description="only cases of these departments (empty: all)")
    quiet_hours: bool = Field(True, description="respect alerts.quiet_hours (ignored by webhook)")
    timeout: float = Field(10.0, gt=0, description="seconds per attempt")

    @staticmethod
    def _env_secret(value: SecretStr | None, env: str | None, environ: Mapping[str, str] | None) -> SecretStr | None:
        if value is not None:
            return value
        got = (environ if environ is not None else os.environ).get(env) if env else None
        return SecretStr(got) if got else None


class WebhookChannelConfig(_ChannelConfig):
    """JSON to an external case tracker, HMAC-SHA256 signed, idempotent."""

    type: Literal["webhook"] = "webhook"
    url: str = Field(description="tracker endpoint")
    secret: SecretStr | None = Field(None, description="HMAC key (secret)")
    secret_env: str | None = Field(None, description="environment variable holding the HMAC key")
    events: list[str] = Field(
        default_factory=lambda: ["opened", "reopened", "evidence", "status", "escalated"],
        description="case events delivered",
    )

    def hmac_key(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The signing key, from ``secret`` or the variable named by ``secret_env``."""
        return self._env_secret(self.secret, self.secret_env, environ)


class WecomChannelConfig(_ChannelConfig):
    """A WeCom (企业微信) group robot."""

    type: Literal["wecom"] = "wecom"
    url: str = Field("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", description="robot endpoint")
    key: SecretStr | None = Field(None, description="robot key (secret)")
    key_env: str | None = Field(None, description="environment variable holding the robot key")
    mentioned_mobiles: list[str] = Field(default_factory=list, description="mobiles to @ in urgent messages")

    def robot_key(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The robot key, from ``key`` or the variable named by ``key_env``."""
        return self._env_secret(self.key, self.key_env, environ)


class DingtalkChannelConfig(_ChannelConfig):
    """A DingTalk (钉钉) group robot with a signed URL."""

    type: Literal["dingtalk"] = "dingtalk"
    url: str = Field("https://oapi.dingtalk.com/robot/send", description="robot endpoint")
    access_token: SecretStr | None = Field(None, description="robot access token (secret)")
    access_token_env: str | None = Field(None, description="environment variable holding the access token")
    secret: SecretStr | None = Field(None, description="signing secret SEC… (secret)")
    secret_env: str | None = Field(None, description="environment variable holding the signing secret")
    at_mobiles: list[str] = Field(default_factory=list, description="mobiles to @ in urgent messages")

    def token(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The access token."""
        return self._env_secret(self.access_token, self.access_token_env, environ)

    def sign_secret(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The signing secret."""
        return self._env_secret(self.secret, self.secret_env, environ)


class EmailChannelConfig(_ChannelConfig):
    """Mail through an SMTP server."""

    type: Literal["email"] = "email"
    host: str = Field("127.0.0.1", description="SMTP host")
    port: int = Field(25, ge=1, le=65535, description="SMTP port")
    username: str | None = Field(None, description="SMTP user")
    password: SecretStr | None = Field(None, description="SMTP password (secret)")
    password_env: str | None = Field(None, description="environment variable holding the SMTP password")
    security: Literal["none", "starttls", "ssl"] = Field("none", description="none, starttls or ssl")
    sender: str = Field("yuqing@localhost", description="From address")
    recipients: list[str] = Field(description="To addresses")
    events: list[str] = Field(
        default_factory=lambda: ["opened", "reopened", "escalated", "daily_report"], description="case events delivered"
    )

    def smtp_password(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The SMTP password."""
        return self._env_secret(self.password, self.password_env, environ)


ChannelConfig = Annotated[
    WebhookChannelConfig | WecomChannelConfig | DingtalkChannelConfig | EmailChannelConfig,
    Field(discriminator="type"),
]
