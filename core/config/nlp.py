"""The NLP section: segmentation, sentiment, topics, places and near-duplicates."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from core.config.section import _Section


class NlpConfig(_Section):
    """Segmentation, classification and place extraction."""

    gazetteer: Path | None = Field(None, description="gazetteer file (YAML/CSV); default: bundled 大场镇")
    taxonomy: Path | None = Field(None, description="topic taxonomy file; default: bundled 创全 topics")
    sentiment: str = Field("default", description="sentiment scorer: default (the n-gram model; a distilled "
                           "student encoder for the ~20 % of posts it is unsure of), thorough (default, then one "
                           "fine-tuned encoder for the ~4 % the student is unsure of too: ~40 MB more), fast "
                           "(n-gram model alone, for backfills), encoder (encoder on every post: ~60× slower) or "
                           "snownlp")
    user_dicts: list[Path] = Field(default_factory=list, description="extra jieba user dictionaries")
    sentiment_model: Path | None = Field(None, description="sentiment model file (.npz for default, "
                                         "thorough and fast, .onnx for encoder); default: bundled")
    topic_model: Path | None = Field(None, description="topic model file (.npz); default: bundled")
    topic_reader: bool = Field(True, description="letters over 150 characters the rules leave 其他 (other) read by "
                               "an encoder for a topic their words raise, ~25 ms each (false: rules and the n-gram "
                               "model alone; off too with a topic_model of your own, and with a taxonomy that lacks "
                               "a code the reader knows; docs/nlp.md)")
    home_town: str | None = Field(None, description="gazetteer id of the monitored town (disambiguation)")
    place_tagger: bool = Field(True, description="also add the place names a learned tagger finds beyond the "
                               "rules, in messages whose type is not 其他 (false: the rules alone; docs/nlp.md)")
    dedupe_distance: int = Field(3, ge=0, le=3, description="near-duplicate SimHash distance (bits)")
