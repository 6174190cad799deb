"""The one NLP entry point: enrich posts with tokens, topic, sentiment, places, complaint and fingerprint.

Models are loaded once per :class:`Enricher`; ``enrich`` is batched and pure apart from them. The crawler's
pipeline and ``yuqing nlp enrich`` both call it.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from core import Config, PlaceRef, Post, SentimentLabel, Severity, whole_characters
from core.config import NlpConfig
from core.model import MessageType
from nlp.charmaps import simplified
from nlp.complaint import judge
from nlp.dedupe import NearDuplicateIndex, simhash_hex
from nlp.gazetteer import Gazetteer, load_gazetteer
from nlp.message_type import MessageTypeClassifier
from nlp.place_tagger import PlaceTagger, default_tagger
from nlp.places import PlaceExtractor
from nlp.segment import Segmenter, default_segmenter, domain_words, piece_bounds, read_wordlist
from nlp.sentiment import SentimentScorer, label_for, make_scorer
from nlp.taxonomy import OTHER, Taxonomy, load_taxonomy
from nlp.textfeat import JointLinear
from nlp.topics import TopicClassifier

MAX_KEYWORDS = 8
_TOKEN = re.compile(r"[^\W_]")  # a token with at least one letter, digit or Han character
_STOP = frozenset(
    w for line in (Path(__file__).parent / "dicts" / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#") for w in line.split()
)


class Enricher:
    """Segmenter, gazetteer, taxonomy, topic model and sentiment scorer, loaded once."""

    def __init__(
        self,
        segmenter: Segmenter | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        taxonomy: Taxonomy | None = None,
        sentiment: SentimentScorer | None = None,
        topics: TopicClassifier | None = None,
        home_town: str | None = None,
        hmm: bool = False,
        message_types: MessageTypeClassifier | None = None,
        place_tagger: PlaceTagger | bool | None = True,
    ) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.taxonomy = taxonomy or load_taxonomy()
        self.segmenter = segmenter or default_segmenter()
        self.sentiment = sentiment or make_scorer("default")
        self.topics = topics or TopicClassifier.load(self.taxonomy)
        self.places = PlaceExtractor(self.gazetteer, home_town)
        #: the learned place tagger (True: the bundled one, the default as in ``NlpConfig``; False or None: none), run
        #: on messages whose type is not ``other``
        self.place_tagger = default_tagger() if place_tagger is True else place_tagger or None
        self.message_types = message_types or MessageTypeClassifier.load()
        self.hmm = hmm  # jieba's HMM for unknown words in ``tokens`` (slower; places and models do not need it)
        sent_model = getattr(self.sentiment, "model", None)
        topic_model = self.topics.model
        self._joint = (JointLinear([sent_model, topic_model])
                       if sent_model is not None and topic_model is not None and sent_model.n_max == topic_model.n_max
                       else None)
        self._domain = frozenset(kw for t in self.taxonomy for kw in t.keywords)

    @classmethod
    def from_config(cls, config: Config) -> Enricher:
        """An enricher with the configured gazetteer, taxonomy, dictionaries and sentiment scorer."""
        nlp: NlpConfig = config.nlp
        gaz = load_gazetteer(nlp.gazetteer)
        tax = load_taxonomy(nlp.taxonomy)
        if nlp.gazetteer is None and nlp.taxonomy is None and not nlp.user_dicts:
            seg = default_segmenter()
        else:
            words = domain_words(gaz, tax) + [w for p in nlp.user_dicts for w in read_wordlist(Path(p))]
            seg = Segmenter(words=words)
        return cls(
            seg, gazetteer=gaz, taxonomy=tax,
            sentiment=make_scorer(nlp.sentiment, nlp.sentiment_model),
            topics=TopicClassifier.load(tax, nlp.topic_model, use_reader=nlp.topic_reader),
            home_town=nlp.home_town,
            place_tagger=nlp.place_tagger,
        )

    def analyze(self, texts: Sequence[str], regions: Sequence[str | None] | None = None) -> list[dict[str, Any]]:
        """The enrichment fields for each text (JSON-ready values; ``places`` as dicts)."""
        regions = regions or [None] * len(texts)
        texts = [simplified(whole_characters(t)) for t in texts]  # 大華三村, 祁连３村 read as 大华三村, 祁连3村
        if self._joint is not None and texts:  # one n-gram pass and lookup feeds both linear models
            senti, probs = self._joint.scores(texts)
            sentiments = [float(x) for x in senti]
            if (refine := getattr(self.sentiment, "refine", None)) is not None:  # the cascade's encoder step
                sentiments = refine(texts, sentiments)
            topic_results = self.topics.classify(texts, sentiments=sentiments, probs=probs)
        else:
            sentiments = self.sentiment.score(texts)
            topic_results = self.topics.classify(texts, sentiments=sentiments)
        rows = []
        for text, region, senti, tr in zip(texts, regions, sentiments, topic_results, strict=True):
            pieces = self.segmenter.tokenize(text, hmm=self.hmm)
            tokens = [w for w, _, _ in pieces if w.isalnum() or _TOKEN.search(w)]
            bounds = piece_bounds(pieces, len(text))  # pieces tile the text: every end is the next start
            places = self.places.extract(text, region=region, boundaries=bounds)
            verdict = judge(text, tr.topic, senti, self.taxonomy, pattern_hit=tr.topic in tr.pattern_hits,
                            has_place=any(p.id or p.key for p in places))  # not a keyless area alone
            rows.append((tokens, places, verdict, bounds))
        # the judge's verdict for the type: 2 = a 创全 topic with a cue or problem pattern, 1 = the topic alone
        judged = [(2 if v.cues or tr.topic in tr.pattern_hits else 1) if v.is_complaint and tr.topic != OTHER else 0
                  for (_, _, v, _), tr in zip(rows, topic_results, strict=True)]
        kinds = self.message_types.classify(texts, judged=judged,
                                            praised=[v.praise for _, _, v, _ in rows], sentiments=sentiments,
                                            rule_scores=[tr.rule_hits for tr in topic_results])
        out = []
        for text, senti, tr, (tokens, places, verdict, bounds), kind in zip(
                texts, sentiments, topic_results, rows, kinds, strict=True):
            places = self._learned(text, places, bounds, kind.message_type)
            severity = verdict.severity
            if kind.is_complaint and not verdict.is_complaint:
                severity = Severity.NORMAL  # a complaint outside the judge's problem topics: routine
            elif not kind.is_complaint:
                severity = Severity.LOW
            out.append({
                "tokens": tokens,
                "keywords": self._keywords(tokens, [p.name for p in places]),
                "topic": tr.topic,
                "topic_scores": tr.scores,
                "sentiment": round(senti, 4),
                "sentiment_label": label_for(senti).value,
                "is_complaint": kind.is_complaint,
                "message_type": kind.message_type.value,
                "places": [p.model_dump(mode="json", exclude_none=True) for p in places],
                "severity": severity.value,
                "simhash": simhash_hex(text),
            })
        return out

    def places_of(self, text: str, region: str | None = None, *, message_type: MessageType) -> list[PlaceRef]:
        """The places :meth:`analyze` gives ``text`` once its message type is known, without the other fields (the
        learned tagger reads only texts whose type is not ``other``)."""
        text = simplified(whole_characters(text))
        bounds = piece_bounds(self.segmenter.tokenize(text, hmm=self.hmm), len(text))
        return self._learned(text, self.places.extract(text, region=region, boundaries=bounds), bounds, message_type)

    def _learned(self, text: str, places: list[PlaceRef], bounds: set[int],
                 message_type: MessageType) -> list[PlaceRef]:
        """``places`` (the rules') with the learned tagger's name, where it runs."""
        if self.place_tagger is None or message_type is MessageType.OTHER:
            return places
        if self.hmm:  # the tagger learned on the dictionary's word boundaries, as the rules read them
            bounds = self.segmenter.boundaries(text)
        return self.places.with_learned(text, places, bounds, self.place_tagger)

    def _keywords(self, tokens: list[str], place_names: list[str]) -> list[str]:
        counts = Counter(t for t in tokens if len(t) > 1 and t not in _STOP and not t.isdigit())
        ranked = sorted(counts, key=lambda t: (t not in self._domain, -counts[t], -len(t)))
        out = list(dict.fromkeys(place_names))
        for t in ranked:
            if len(out) >= MAX_KEYWORDS:
                break
            if t not in out:
                out.append(t)
        return out[:MAX_KEYWORDS]

    def enrich(self, posts: Iterable[Post], *, index: NearDuplicateIndex | None = None) -> list[Post]:
        """The posts with their enrichment fields filled; ``cluster_id`` from ``index`` if given, else own id."""
        posts = list(posts)
        fields = self.analyze([post_text(p.title, p.text) for p in posts], [p.region for p in posts])
        out = []
        for post, f in zip(posts, fields, strict=True):
            cluster = index.add(post.id, f["simhash"]) if index is not None else post.id
            update = {
                **f,
                "places": [PlaceRef.model_validate(p) for p in f["places"]],
                "sentiment_label": SentimentLabel(f["sentiment_label"]),
                "severity": Severity(f["severity"]),
                "message_type": MessageType(f["message_type"]),
                "cluster_id": cluster,
            }
            out.append(post.model_copy(update=update))
        return out


def post_text(title: str | None, text: str) -> str:
    """What the enricher reads of a post: its title (unless the text repeats it) and its text."""
    return f"{title}\n{text}" if title and title not in text else text


_cache: dict[str, Enricher] = {}
_cache_lock = threading.Lock()


def enricher_for(config: Config | None = None) -> Enricher:
    """The process-wide enricher for a configuration's ``nlp`` section (built once)."""
    config = config or Config()
    key = config.nlp.model_dump_json()
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Enricher.from_config(config)
        return _cache[key]


def enrich(posts: Iterable[Post], config: Config | None = None) -> list[Post]:
    """Enrich posts with a process-wide enricher built from ``config`` (defaults if None)."""
    return enricher_for(config).enrich(posts)
