"""The place suggestions of the console's place boxes: names, the town's own places first, grouped by kind."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from core import PlaceLevel, labels

#: The order of the kinds of the town's own places in a list (the town itself first, the everyday kinds next).
KIND_ORDER = (PlaceLevel.TOWN, PlaceLevel.ROAD, PlaceLevel.CROSSING, PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY,
              PlaceLevel.MARKET, PlaceLevel.LANDMARK, PlaceLevel.RIVER, PlaceLevel.OTHER, PlaceLevel.DISTRICT)
OTHER_AREAS = "其他地区"


class PlaceOption(NamedTuple):
    """One listed place as a suggestion: its id (a dropdown's value), what a typed box takes (the name; the id where
    two places share the name), its name, the label shown beside it, and the group it is listed under."""

    id: str
    value: str
    name: str
    label: str
    group: str


def home_town(gazetteer: Any) -> Any:
    """The town most of the gazetteer's places lie in (the console's own town), or None."""
    towns = Counter(t.id for p in gazetteer.places if (t := gazetteer.town_of(p.id)) is not None)
    return gazetteer.get(towns.most_common(1)[0][0]) if towns else None


def place_options(gazetteer: Any, place_names: dict[str, str]) -> list[PlaceOption]:
    """The listed places as suggestions: the home town's own places first, grouped by kind (道路, 小区, 居委/村,
    市场 …, :data:`KIND_ORDER`), then the other areas (districts, other towns and their places), gazetteer order
    kept within a group. Without a gazetteer, the place names as they are."""
    shared = {n for n, k in Counter(place_names.values()).items() if k > 1}

    def value(pid: str, name: str) -> str:
        return pid if name in shared else name

    if gazetteer is None:
        return [PlaceOption(pid, value(pid, name), name, name if name in shared else "", "")
                for pid, name in place_names.items()]
    town = home_town(gazetteer)
    own: dict[PlaceLevel, list[PlaceOption]] = {}
    others: list[PlaceOption] = []
    for p in gazetteer.places:
        if p.id not in place_names and place_names:
            continue
        name, kind = place_names.get(p.id) or p.name, labels.PLACE_LEVEL.get(p.level, "")
        home = gazetteer.town_of(p.id)
        ident = f"{name} · " if name in shared else ""
        if town is not None and p.id == town.id:  # the town itself heads the list
            own.setdefault(p.level, []).append(PlaceOption(p.id, value(p.id, name), name, "全镇", name))
        elif town is None or (home is not None and home.id == town.id):
            group = f"{town.name} · {kind}" if town is not None else kind
            own.setdefault(p.level, []).append(PlaceOption(p.id, value(p.id, name), name, f"{ident}{kind}", group))
        else:
            where = home.name if home is not None and home.id != p.id else ""
            label = " · ".join(x for x in (ident.rstrip(" ·"), kind, where) if x)
            others.append(PlaceOption(p.id, value(p.id, name), name, label, OTHER_AREAS))
    ordered = [o for level in KIND_ORDER for o in own.pop(level, [])]
    return ordered + [o for options in own.values() for o in options] + others
