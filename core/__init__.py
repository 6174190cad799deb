"""The ground floor: the domain model, errors and typed configuration. Imports nothing of ours."""

from core import labels  # the Chinese label of every enum value
from core.config import Config, load_config
from core.errors import ConfigError, Conflict, NotFound, StoreError, StoreUnavailable, YuqingError
from core.model import (
    SHANGHAI,
    Author,
    Case,
    CaseEvent,
    CaseStatus,
    Metrics,
    OutboxItem,
    OutboxStatus,
    Place,
    PlaceLevel,
    PlaceRef,
    Post,
    Review,
    ReviewStatus,
    SentimentLabel,
    Severity,
    SourceHealth,
    SourceState,
    SpikeInfo,
    post_id,
    utcnow,
    whole_characters,
)

__all__ = [
    "SHANGHAI", "Author", "Case", "CaseEvent", "CaseStatus", "Config", "ConfigError", "Conflict",
    "Metrics", "NotFound", "OutboxItem", "OutboxStatus", "Place", "PlaceLevel", "PlaceRef", "Post",
    "Review", "ReviewStatus", "SentimentLabel", "Severity", "SourceHealth", "SourceState", "SpikeInfo",
    "StoreError", "StoreUnavailable", "YuqingError", "labels", "load_config", "post_id", "utcnow", "whole_characters",
]
