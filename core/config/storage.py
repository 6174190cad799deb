"""Storage sections: the backend choice, the embedded SQLite store and Elasticsearch."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from core.config.section import _Section


class SqliteConfig(_Section):
    """The embedded store."""

    path: Path = Field(Path("var/yuqing.db"), description="SQLite database file (created if missing)")


class ElasticsearchConfig(_Section):
    """The Elasticsearch backend."""

    url: str = Field("http://127.0.0.1:9200", description="node or cluster URL(s), comma-separated")
    username: str | None = Field(None, description="basic-auth user")
    password: SecretStr | None = Field(None, description="basic-auth password (secret)")
    api_key: SecretStr | None = Field(None, description="API key (secret)")
    index_prefix: str = Field("yuqing", description="prefix of every index and alias")
    verify_certs: bool = Field(True, description="verify TLS certificates")
    ca_certs: Path | None = Field(None, description="CA bundle for TLS")
    request_timeout: float = Field(30.0, description="seconds per request")
    bulk_chunk: int = Field(500, ge=1, description="documents per bulk request")

    @field_validator("index_prefix")
    @classmethod
    def _lowercase(cls, v: str) -> str:
        if v != v.lower() or not v or any(c in v for c in ' "*\\<|,>/?'):
            raise ValueError("must be a lowercase index name without spaces or * \\ < | , > / ?")
        return v

    @property
    def hosts(self) -> list[str]:
        """The URLs as a list."""
        return [u.strip() for u in self.url.split(",") if u.strip()]


class StorageConfig(_Section):
    """Which backend stores posts, cases, the outbox and source state."""

    backend: Literal["sqlite", "elasticsearch"] = Field("sqlite", description="sqlite (embedded) or elasticsearch")
    sqlite: SqliteConfig = SqliteConfig()
    elasticsearch: ElasticsearchConfig = ElasticsearchConfig()
