"""What a person types for a topic or a place (市容环境, 乾溪新村, 乾溪, sanitation, dc-xq-qianxi) → the ids the
store filters on. The CLI (``--topic``, ``--place``) and the console use it."""

from __future__ import annotations

import difflib

from core.errors import YuqingError
from core.model import PlaceLevel
from nlp.charmaps import simplified
from nlp.gazetteer import Gazetteer
from nlp.mentions import place_key, town_body_key
from nlp.places import PlaceExtractor
from nlp.taxonomy import Taxonomy

#: How an unlisted place is written in a filter: its alert key (raw:锦绣家园).
UNLISTED = "raw:"


class UnknownName(YuqingError):
    """A topic or place name that nothing in the taxonomy or gazetteer answers to."""


def resolve_topic(taxonomy: Taxonomy, value: str) -> str:
    """The topic code for a code or a Chinese name (case and surrounding spaces ignored)."""
    v = value.strip()
    if v in taxonomy:
        return v
    for t in taxonomy:
        if v in (t.name, t.code.lower()) or v.lower() == t.code.lower():
            return t.code
    names = {t.name: t.code for t in taxonomy} | {t.code: t.code for t in taxonomy}
    close = difflib.get_close_matches(v, list(names), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownName(f"unknown topic {value!r} (see `yuqing topics list`){hint}")


def resolve_place(gazetteer: Gazetteer, value: str, *, descendants: bool = True) -> list[str]:
    """Place ids for an id, a name or an alias (every place of an ambiguous name), with the places under them
    (a community's estates, a town's everything, a road's crossings) unless ``descendants`` is false."""
    v = value.strip()
    if (by_id := gazetteer.get(v)) is not None:
        places = [by_id]
    else:  # a name as written or as the enricher reads it (大華三村)
        places = list(gazetteer.lookup(v) or gazetteer.lookup(simplified(v)))
    hits = [p.id for p in places]
    if not hits:
        close = close_places(gazetteer, v)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownName(f"unknown place {value!r} (see `yuqing places list`){hint}; "
                          f"an unlisted place is searched by its key: {unlisted_key(v, gazetteer, PlaceLevel.OTHER)}")
    if not descendants:
        return hits
    out = list(hits)
    wanted = set(hits)
    roads = [r.name for r in map(gazetteer.get, hits) if r is not None and r.level is PlaceLevel.ROAD]
    for p in gazetteer:
        if p.id not in wanted and (any(a.id in wanted for a in gazetteer.ancestors(p.id)) or (
                p.level is PlaceLevel.CROSSING and any(r in p.name for r in roads))):
            out.append(p.id)  # a crossing is on both its roads (沪太路场中路路口, filed under 沪太路, is on 场中路)
    return out


def close_places(gazetteer: Gazetteer, value: str) -> list[str]:
    """Up to three place names or ids close to ``value`` (a typo's likely meaning), a listed estate it sounds like
    first (大化三村 → 大华三村)."""
    by_sound = _extractor(gazetteer).estate_by_sound(simplified(value.strip()))
    close = difflib.get_close_matches(value.strip(), list(gazetteer.names()) + [p.id for p in gazetteer], n=3,
                                      cutoff=0.5)
    return list(dict.fromkeys([by_sound.name, *close] if by_sound else close))[:3]


def resolve_topics(taxonomy: Taxonomy, values: tuple[str, ...] | list[str]) -> list[str]:
    """:func:`resolve_topic` for each value, order kept, duplicates dropped."""
    return list(dict.fromkeys(resolve_topic(taxonomy, v) for v in values))


def resolve_places(gazetteer: Gazetteer, values: tuple[str, ...] | list[str]) -> list[str]:
    """:func:`resolve_place` for each value, order kept, duplicates dropped."""
    return list(dict.fromkeys(i for v in values for i in resolve_place(gazetteer, v)))


def unlisted_key(name: str, gazetteer: Gazetteer | None = None, level: PlaceLevel | None = None) -> str:
    """The key the enricher gives an unlisted place named ``name``: the key the place rules give the name read on
    its own (an address chain has the key of its finest place: 白沙街道望月社区 → raw:望月社区, 王家村二组 →
    raw:王家村), else :func:`_town_key`."""
    name = name.strip()
    if gazetteer is not None and name:
        ref = next((r for r in _extractor(gazetteer).extract(name) if r.name == name and not r.id), None)
        if ref is not None and ref.key:
            return ref.key
    return _town_key(name, gazetteer, level)


def _town_key(name: str, gazetteer: Gazetteer | None, level: PlaceLevel | None) -> str:
    """``name`` keyed as a body after a listed town (大场菜场 → raw:大场镇菜市场, :func:`nlp.mentions.town_body_key`),
    anything else by :func:`nlp.mentions.place_key`."""
    towns = [p for p in gazetteer if p.level is PlaceLevel.TOWN] if gazetteer is not None else []
    return town_body_key(name, level, towns)


#: The place rules of the last gazetteer asked for (one town's at a time; kept with it, so its id stays its own).
_EXTRACTOR: list[tuple[Gazetteer, PlaceExtractor]] = []


def _extractor(gazetteer: Gazetteer) -> PlaceExtractor:
    hit = _EXTRACTOR[0] if _EXTRACTOR else None  # read once: another thread may replace it meanwhile
    if hit is None or hit[0] is not gazetteer:
        hit = (gazetteer, PlaceExtractor(gazetteer))
        _EXTRACTOR[:] = [hit]
    return hit[1]


def unlisted_keys(value: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """The keys an unlisted place as a person types it matches (``raw:锦绣华庭小区``): the key as written and the name
    keyed as the enricher keys it — as a place, as the place rules key the name read on its own (raw:白沙街道望月社区
    → ``raw:望月社区``), and as a body after a listed town (raw:大场菜场 → ``raw:大场镇菜市场``) — so that any spelling
    finds the place's posts and a key copied from a post finds them."""
    written = value.strip()[len(UNLISTED):].strip() if is_unlisted(value) else value.strip()
    if not written:
        raise UnknownName(f"unlisted place {value!r} has no name: write raw:NAME (raw:锦绣家园)")
    name = simplified(written)  # raw:錦繡華庭 finds raw:锦绣华庭, as the enricher reads it
    return list(dict.fromkeys((UNLISTED + written, UNLISTED + name, place_key(name),
                               unlisted_key(name, gazetteer, PlaceLevel.OTHER),
                               _town_key(name, gazetteer, PlaceLevel.OTHER))))


def is_unlisted(value: str) -> bool:
    """Whether a place filter names an unlisted place (``raw:NAME``, any case of the prefix)."""
    return value.strip()[:len(UNLISTED)].lower() == UNLISTED


def resolve_filter_places(gazetteer: Gazetteer, values: tuple[str, ...] | list[str]) -> list[str]:
    """The ids a place filter matches: gazetteer places (:func:`resolve_place`, with the places under them) and
    unlisted places written ``raw:NAME`` (:func:`unlisted_keys`), order kept, duplicates dropped."""
    return list(dict.fromkeys(i for v in values for i in (
        unlisted_keys(v, gazetteer) if is_unlisted(v) else resolve_place(gazetteer, v))))
