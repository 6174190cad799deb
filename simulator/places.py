"""The demo town's places: read from the gazetteer YAML (if present) or a small built-in 大场镇 list."""

from __future__ import annotations

from pathlib import Path

import yaml

from core import Place, PlaceLevel

#: The bundled gazetteer (written by the NLP work); read directly, the simulator sits below nlp.
DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "config" / "gazetteer-dachang.yaml"

#: Levels residents complain about (not whole towns or districts).
COMPLAINT_LEVELS = {
    PlaceLevel.ROAD, PlaceLevel.COMPOUND, PlaceLevel.MARKET, PlaceLevel.RIVER, PlaceLevel.CROSSING,
    PlaceLevel.LANDMARK,
}

_FALLBACK = [
    ("dachang", "大场镇", "town", None),
    ("dc-rd-changzhong", "场中路", "road", "dachang"),
    ("dc-rd-hutai", "沪太路", "road", "dachang"),
    ("dc-rd-huanzhenbei", "环镇北路", "road", "dachang"),
    ("dc-rd-shangda", "上大路", "road", "dachang"),
    ("dc-rd-changlian", "场联路", "road", "dachang"),
    ("dc-xq-qianxi", "乾溪新村", "compound", "dachang"),
    ("dc-xq-dahua2", "大华二村", "compound", "dachang"),
    ("dc-xq-qilian1", "祁连一村", "compound", "dachang"),
    ("dc-mk-dachang", "大场菜场", "market", "dachang"),
    ("dc-rv-xisitang", "西泗塘", "river", "dachang"),
]


def fallback_places() -> list[Place]:
    """A small built-in list of 大场镇 places, used until the gazetteer file exists."""
    return [
        Place(id=i, name=n, level=PlaceLevel(lv), parent=p, department="大场镇城管中队" if p else "大场镇城运中心")
        for i, n, lv, p in _FALLBACK
    ]


def load_places(path: Path | str | None = None, root: str = "dachang") -> list[Place]:
    """Places under ``root`` (inclusive) from a gazetteer YAML file; the built-in list if it is missing
    or ``path`` is ``"builtin"``."""
    if str(path) == "builtin":
        return fallback_places()
    file = Path(path) if path else DEFAULT_GAZETTEER
    if not file.is_file():
        return fallback_places()
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    places = [Place.model_validate(p) for p in data.get("places", [])]
    parent = {p.id: p.parent for p in places}

    def under(pid: str | None) -> bool:
        seen = 0
        while pid is not None and seen < 20:
            if pid == root:
                return True
            pid, seen = parent.get(pid), seen + 1
        return False

    chosen = [p for p in places if under(p.id)]
    return chosen or fallback_places()


def complaint_places(places: list[Place]) -> list[Place]:
    """The places that residents complain about (roads, compounds, markets, rivers …), in a stable order."""
    return sorted((p for p in places if p.level in COMPLAINT_LEVELS), key=lambda p: p.id)
