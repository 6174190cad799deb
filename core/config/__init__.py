"""Typed configuration: one YAML file, validated at load into one frozen object.

Precedence: defaults < file < environment (``YUQING_*``, through :data:`ENV_MAP`
only) < explicit overrides (CLI). Relative paths are resolved against the
config file's directory. Secrets are :class:`pydantic.SecretStr`, so they never
appear in a repr, a log line or an error message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from core.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class SourceConfig(_Section):
    """One crawled source: a family (weibo, wechat, portal, forum, board) and where it lives."""

    name: str = Field(description="unique short name, e.g. weibo-search")
    family: Literal["weibo", "wechat", "portal", "forum", "board"] = Field(
        description="source family: weibo, wechat, portal, forum, board")
    base_url: str = Field(description="the site's root or API host (real site, simulator or replay)")
    enabled: bool = True
    interval: float = Field(900.0, gt=0, description="seconds between crawls")
    jitter: float = Field(0.1, ge=0, le=1, description="random fraction added to the interval")
    cookie_env: str | None = Field(None, description="name of the environment variable holding the cookie")
    accounts: list[dict[str, str]] = Field(
        default_factory=list, description="more logins, rotated: [{name, cookie_env}] (cookies from the environment)")
    proxies: list[str] = Field(default_factory=list, description="proxy URLs, rotated per request")
    delay: float | None = Field(None, ge=0, description="seconds between requests (default per family: "
                                "weibo 3, wechat 10, forum 2, board 2, portal 1)")
    concurrency: int = Field(1, ge=1, le=2, description="concurrent requests per domain (1–2)")
    obey_robots: bool | None = Field(None, description="obey robots.txt (default: yes for forums and boards)")
    user_agent: str | None = Field(None, description="User-Agent header (default: a desktop browser)")
    revisit_hours: float = Field(6.0, ge=0, description="re-fetch this much before the watermark (counts, status)")
    lookback_hours: float = Field(168.0, gt=0, description="how far back the first crawl goes")
    backoff_base: float = Field(900.0, gt=0, description="first backoff after a failure, seconds (doubles)")
    backoff_ceiling: float = Field(10800.0, gt=0, description="longest backoff, seconds")
    options: dict[str, Any] = Field(default_factory=dict, description="family-specific options")

    def cookie(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The source's cookie, read from the environment variable named by ``cookie_env``."""
        if not self.cookie_env:
            return None
        value = (environ if environ is not None else os.environ).get(self.cookie_env)
        return SecretStr(value) if value else None

    def account_envs(self) -> list[tuple[str, str]]:
        """(account name, environment variable) of every configured login, ``cookie_env`` first."""
        out = [("default", self.cookie_env)] if self.cookie_env else []
        out += [(a.get("name") or a["cookie_env"], a["cookie_env"]) for a in self.accounts if a.get("cookie_env")]
        return out

    @property
    def request_delay(self) -> float:
        """Seconds between requests: the configured delay, else the family's polite default."""
        if self.delay is not None:
            return self.delay
        return {"weibo": 3.0, "wechat": 10.0, "forum": 2.0, "board": 2.0}.get(self.family, 1.0)

    @property
    def robots(self) -> bool:
        """Whether robots.txt is obeyed."""
        return self.obey_robots if self.obey_robots is not None else self.family in ("forum", "board")


class NlpConfig(_Section):
    """Segmentation, classification and place extraction."""

    gazetteer: Path | None = Field(None, description="gazetteer file (YAML/CSV); default: bundled 大场镇")
    taxonomy: Path | None = Field(None, description="topic taxonomy file; default: bundled 创全 topics")
    sentiment: str = Field("default", description="sentiment scorer: default (fast n-gram model), encoder "
                           "(fine-tuned encoder: more accurate, ~40× slower) or snownlp")
    user_dicts: list[Path] = Field(default_factory=list, description="extra jieba user dictionaries")
    sentiment_model: Path | None = Field(None, description="sentiment model file (.npz for default, .onnx for "
                                         "encoder); default: bundled")
    topic_model: Path | None = Field(None, description="topic model file (.npz); default: bundled")
    home_town: str | None = Field(None, description="gazetteer id of the monitored town (disambiguation)")
    dedupe_distance: int = Field(3, ge=0, le=3, description="near-duplicate SimHash distance (bits)")


class DetectorConfig(_Section):
    """One detector by short name (``spike``, ``cusum``) and its options, validated by the detector."""

    name: str = Field(description="detector short name")
    options: dict[str, Any] = Field(default_factory=dict, description="detector options (see docs/alerts.md)")

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, v: Any) -> Any:
        return {"name": v} if isinstance(v, str) else v


class QuietHoursConfig(_Section):
    """When notifications wait (never case creation, never the tracker webhook)."""

    start: str = Field("22:00", pattern=r"^\d{2}:\d{2}$", description="quiet period start, HH:MM (Asia/Shanghai)")
    end: str = Field("07:30", pattern=r"^\d{2}:\d{2}$", description="quiet period end, HH:MM (Asia/Shanghai)")
    weekends: bool = Field(True, description="hold notifications on Saturdays and Sundays until Monday's end time")
    urgent_bypass: bool = Field(True, description="urgent cases notify at once, even in quiet hours")


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


class AlertsConfig(_Section):
    """Spike detection, the case lifecycle, delivery and the daily report (docs/alerts.md)."""

    bucket: str = Field("1h", pattern=r"^\d+[mhd]$", description="count bucket (e.g. 1h, 1d)")
    by_topic: bool = Field(True, description="keys are place × topic (true) or place alone (false)")
    exclude_levels: list[str] = Field(
        default_factory=lambda: ["district", "town"], description="place levels too coarse to open cases on"
    )
    lookback_days: float = Field(35, gt=0, description="history fed to the detectors each run")
    recent_hours: float = Field(48, gt=0, description="matches in buckets this recent act (late posts recount)")
    detectors: list[DetectorConfig] = Field(
        default_factory=lambda: [DetectorConfig(name="spike"), DetectorConfig(name="cusum")],
        description="detectors by short name, with options",
    )
    deadline_hours: dict[str, float] = Field(
        default_factory=lambda: {"low": 72, "normal": 72, "high": 48, "urgent": 24},
        description="rectification deadline per severity",
    )
    urgency_severity: dict[str, str] = Field(
        default_factory=lambda: {"routine": "normal", "urgent": "urgent", "difficult": "normal"},
        description="taxonomy urgency → case severity",
    )
    reopen_days: float = Field(14, ge=0, description="a recurrence within N days of closing reopens the case")
    escalate_every_hours: float = Field(24, gt=0, description="an overdue case escalates again after this long")
    max_escalations: int = Field(3, ge=1, description="escalation levels before it stops")
    evidence_limit: int = Field(50, ge=1, description="post ids attached per match")
    channels: list[ChannelConfig] = Field(default_factory=list, description="delivery channels (webhook, wecom…)")
    quiet_hours: QuietHoursConfig | None = Field(QuietHoursConfig(), description="null: notify at any hour")
    retry_base_seconds: float = Field(30, gt=0, description="first retry delay; doubles per attempt")
    retry_max_seconds: float = Field(3600, gt=0, description="retry delay ceiling")
    max_attempts: int = Field(20, ge=1, description="attempts before an outbox item is dead")
    console_url: str | None = Field(None, description="console address used in messages (links to cases)")
    reports_dir: Path | None = Field(None, description="where daily/weekly .xlsx are kept (default data_dir/reports)")
    evaluate_every_s: float = Field(300, gt=0, description="daemon: seconds between spike evaluations")
    deliver_every_s: float = Field(30, gt=0, description="daemon: seconds between outbox delivery passes")
    overdue_every_s: float = Field(3600, gt=0, description="daemon: seconds between overdue checks")
    report_time: str = Field("08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
                             description="daemon: daily table time (HH:MM, Asia/Shanghai)")

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, v: list[Any]) -> list[Any]:
        names = [c.name for c in v]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"duplicate channel name {sorted(dup)[0]!r}")
        return v


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

    @field_validator("users")
    @classmethod
    def _unique_users(cls, v: list[UserConfig]) -> list[UserConfig]:
        names = [u.username for u in v]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"duplicate username {sorted(dup)[0]!r}")
        return v


class LoggingConfig(_Section):
    """Logging."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_format: bool = Field(False, alias="json", description="one JSON object per line")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Config(_Section):
    """The whole configuration."""

    timezone: str = Field("Asia/Shanghai", description="wall-clock zone for reports and buckets")
    data_dir: Path = Field(Path("var"), description="spool, uploads and reports")
    storage: StorageConfig = StorageConfig()
    nlp: NlpConfig = NlpConfig()
    sources: list[SourceConfig] = Field(default_factory=list)
    alerts: AlertsConfig = AlertsConfig()
    web: WebConfig = WebConfig()
    logging: LoggingConfig = LoggingConfig()
    source_file: Path | None = Field(None, exclude=True, description="the file this was loaded from")

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, v: list[SourceConfig]) -> list[SourceConfig]:
        seen: set[str] = set()
        for s in v:
            if s.name in seen:
                raise ValueError(f"duplicate source name {s.name!r}")
            seen.add(s.name)
        return v

    def source(self, name: str) -> SourceConfig:
        """The source with this name."""
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)


#: The only environment variables the application reads, and where each lands.
ENV_MAP: dict[str, str] = {
    "YUQING_STORAGE_BACKEND": "storage.backend",
    "YUQING_SQLITE_PATH": "storage.sqlite.path",
    "YUQING_ES_URL": "storage.elasticsearch.url",
    "YUQING_ES_USERNAME": "storage.elasticsearch.username",
    "YUQING_ES_PASSWORD": "storage.elasticsearch.password",
    "YUQING_ES_API_KEY": "storage.elasticsearch.api_key",
    "YUQING_ES_INDEX_PREFIX": "storage.elasticsearch.index_prefix",
    "YUQING_ES_CA_CERTS": "storage.elasticsearch.ca_certs",
    "YUQING_DATA_DIR": "data_dir",
    "YUQING_WEB_HOST": "web.host",
    "YUQING_WEB_PORT": "web.port",
    "YUQING_WEB_SECRET_KEY": "web.secret_key",
    "YUQING_LOG_LEVEL": "logging.level",
    "YUQING_LOG_JSON": "logging.json",
}

_PATH_KEYS = ("data_dir", "storage.sqlite.path", "storage.elasticsearch.ca_certs", "nlp.gazetteer", "nlp.taxonomy",
              "nlp.sentiment_model", "nlp.topic_model", "alerts.reports_dir")


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    node = tree
    *parents, leaf = dotted.split(".")
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[leaf] = value


def _get_dotted(tree: Mapping[str, Any], dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _line_map(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each key path of a YAML document to its 1-based line number."""
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                kpath = (*path, str(key.value))
                lines[kpath] = key.start_mark.line + 1
                walk(value, kpath)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return lines


def _where(path: Path | None, loc: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int]) -> str:
    key = ".".join(str(p) for p in loc) or "(top level)"
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return f"{path or '<config>'}:{lines[loc[:n]]}: {key}"
    return f"{path or '<config>'}: {key}"


def load_config(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Load and validate the configuration; raise :class:`ConfigError` with a one-line message.

    ``path`` may be None for the defaults alone. ``overrides`` maps dotted keys
    (``storage.backend``) to values and wins over everything else.
    """
    environ = os.environ if environ is None else environ
    file = Path(path) if path is not None else None
    raw: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {}
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{file}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read config file: {exc}") from None
        try:
            loaded = yaml.safe_load(text)
            lines = _line_map(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            line = f":{mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{file}{line}: invalid YAML: {problem}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{file}:1: the top level must be a mapping of keys, not {type(loaded).__name__}")
        raw = loaded
    for name, dotted in ENV_MAP.items():
        if environ.get(name) not in (None, ""):
            _set_dotted(raw, dotted, environ[name])
    for dotted, value in (overrides or {}).items():
        _set_dotted(raw, dotted, value)
    base = file.parent if file is not None else Path.cwd()
    for dotted in _PATH_KEYS:
        value = _get_dotted(raw, dotted)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            _set_dotted(raw, dotted, str(base / value))
    raw["source_file"] = str(file) if file is not None else None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{_where(file, loc, lines)}: {msg}{more}") from None


def describe_settings(model: type[BaseModel] = Config, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every setting as (dotted name, default, help), for the generated docs."""
    rows: list[tuple[str, str, str]] = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = f"{prefix}{field.alias or name}"
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(describe_settings(ann, key + "."))
            continue
        default = field.get_default(call_default_factory=True)
        shown = "" if default is None else str(default)
        rows.append((key, shown, field.description or ""))
    return rows
