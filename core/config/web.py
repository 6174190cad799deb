"""The console section and its users."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from core.config.section import _Section, first_duplicate


class UserConfig(_Section):
    """A console user; ``password_hash`` comes from ``yuqing web hash-password``."""

    username: str = Field(min_length=1, description="login name")
    password_hash: SecretStr = Field(description="scrypt hash from `yuqing web hash-password` (secret)")
    role: Literal["reviewer", "department", "admin"] = Field(
        "reviewer", description="reviewer (office), department (one department's cases) or admin"
    )
    department: str | None = Field(None, description="the department a department user is bound to")
    display_name: str | None = Field(None, description="name shown in the console and the audit log")

    @model_validator(mode="after")
    def _department_bound(self) -> UserConfig:
        if self.role == "department" and not self.department:
            raise ValueError("a department user needs a department")
        return self


class WebConfig(_Section):
    """The console."""

    host: str = Field("127.0.0.1", description="address to listen on")
    port: int = Field(8800, ge=1, le=65535, description="port to listen on")
    secret_key: SecretStr | None = Field(None, description="session signing key (secret); random per start if unset")
    users: list[UserConfig] = Field(default_factory=list, description="console users and roles")
    mask_names: bool = Field(True, description="mask posters' names in the console")
    session_hours: float = Field(12, gt=0, description="hours a login stays valid")
    secure_cookies: bool = Field(False, description="mark the session cookie Secure (when served over HTTPS)")
    login_attempts: int = Field(5, ge=1, description="failed logins allowed per user and address per window")
    login_window: float = Field(300, gt=0, description="seconds of the login rate-limit window")
    max_upload_mb: float = Field(8, gt=0, description="largest photo accepted, in MB")
    page_size: int = Field(30, ge=1, le=500, description="posts per page in the review queue and search")
    export_limit: int = Field(50000, ge=1, description="most rows in a CSV/xlsx export")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For/-Proto is believed; "
                    "default none: the peer address is the client",
    )
    department_search: Literal["own", "all"] = Field(
        "own", description="own: department users see only their department's cases and evidence; "
                           "all: they may also search, export and see hot spots of the whole town",
    )
    idle_minutes: float = Field(60, gt=0, description="minutes without a request after which a login ends")
    hsts_seconds: int = Field(31536000, ge=0, description="Strict-Transport-Security max-age sent over HTTPS "
                                                          "(0: none)")
    metrics_token: SecretStr | None = Field(
        None, description="bearer token for /metrics (secret); without it /metrics needs a console login")
    max_form_kb: int = Field(256, ge=16, description="largest request body other than photo uploads, in KB")
    photos_per_case: int = Field(40, ge=1, description="most photos kept in one case's history")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        for item in v:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {item!r}") from None
        return v

    @field_validator("users")
    @classmethod
    def _unique_users(cls, v: list[UserConfig]) -> list[UserConfig]:
        if (dup := first_duplicate(u.username for u in v)) is not None:
            raise ValueError(f"duplicate username {dup!r}")
        return v
