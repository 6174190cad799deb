"""Typed configuration: one YAML file, validated at load into one frozen object.

Precedence: defaults < file < environment (``YUQING_*``, through :data:`ENV_MAP`
only) < explicit overrides (CLI). Relative paths are resolved against the
config file's directory. Secrets are :class:`pydantic.SecretStr`, so they never
appear in a repr, a log line or an error message.

The sections live in one module per area (``storage``, ``sources``, ``nlp``,
``alerts``, ``channels``, ``web``, ``root``); loading in ``loading``; the
settings table for the docs in ``docs``. Import from ``core.config``; the private
helpers of the former single module are re-exported too (``x as x``).
"""

from core.config.alerts import AlertsConfig, DetectorConfig, QuietHoursConfig
from core.config.channels import (
    ChannelConfig,
    DingtalkChannelConfig,
    EmailChannelConfig,
    WebhookChannelConfig,
    WecomChannelConfig,
)
from core.config.channels import _ChannelConfig as _ChannelConfig
from core.config.docs import describe_settings
from core.config.loading import _PATH_KEYS as _PATH_KEYS
from core.config.loading import ENV_MAP, key_location, load_config
from core.config.loading import _get_dotted as _get_dotted
from core.config.loading import _line_map as _line_map
from core.config.loading import _set_dotted as _set_dotted
from core.config.loading import _where as _where
from core.config.nlp import NlpConfig
from core.config.root import Config, LoggingConfig
from core.config.section import _Section as _Section
from core.config.sources import SourceConfig
from core.config.storage import ElasticsearchConfig, SqliteConfig, StorageConfig
from core.config.web import UserConfig, WebConfig

__all__ = [
    "ENV_MAP", "AlertsConfig", "ChannelConfig", "Config", "DetectorConfig", "DingtalkChannelConfig",
    "ElasticsearchConfig", "EmailChannelConfig", "LoggingConfig", "NlpConfig", "QuietHoursConfig", "SourceConfig",
    "SqliteConfig", "StorageConfig", "UserConfig", "WebConfig", "WebhookChannelConfig", "WecomChannelConfig",
    "describe_settings", "key_location", "load_config",
]
