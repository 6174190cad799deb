"""The gazetteer: places residents complain about, with aliases, hierarchy, grid and department.

Data, not code: a YAML file (``meta`` + ``places``, each a :class:`core.Place`) or a CSV with the same
columns (``aliases`` separated by ``|``). ``load_gazetteer(None)`` reads the bundled 大场镇 file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from core.errors import ConfigError
from core.model import Place, PlaceLevel

#: The repository's ``config/`` directory, where the bundled data files live.
CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_GAZETTEER = CONFIG_DIR / "gazetteer-dachang.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


#: A numeral that numbers a unit of a name (大华三村, 祁连一村二居委): residents type it as a digit too (大华3村).
_NUMBERED = re.compile(r"[一二三四五六七八九](?=村|期|组|弄|号|居委|小区|街坊)")


def _with_digits(name: str) -> str:
    """``name`` with the numerals that number its units as digits (大华三村 → 大华3村; the same name when none)."""
    return _NUMBERED.sub(lambda m: str("一二三四五六七八九".index(m.group(0)) + 1), name)


@dataclass(frozen=True)
class Gazetteer:
    """Places by id, with name/alias lookup and the parent chain."""

    places: tuple[Place, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    _by_id: dict[str, Place] = field(default_factory=dict, repr=False, compare=False)
    _by_name: dict[str, tuple[Place, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[Place]] = {}
        for p in self.places:
            if p.id in self._by_id:
                raise ValueError(f"duplicate place id {p.id!r}")
            self._by_id[p.id] = p
            for n in dict.fromkeys(v for a in (p.name, *p.aliases) for v in (a, _with_digits(a))):
                lst = by_name.setdefault(n, [])
                if p not in lst:
                    lst.append(p)
        self._by_name.update({k: tuple(v) for k, v in by_name.items()})

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        return self._by_id.get(place_id)

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Places whose name or alias is exactly ``name`` (several when ambiguous)."""
        return self._by_name.get(name, ())

    def names(self) -> dict[str, tuple[Place, ...]]:
        """Every name and alias with the places it may denote."""
        return dict(self._by_name)

    def ancestors(self, place_id: str) -> list[Place]:
        """The parent chain of a place, nearest first (cycles are cut)."""
        out: list[Place] = []
        seen = {place_id}
        cur = self.get(place_id)
        while cur is not None and cur.parent and cur.parent not in seen:
            seen.add(cur.parent)
            cur = self.get(cur.parent)
            if cur is not None:
                out.append(cur)
        return out

    def town_of(self, place_id: str) -> Place | None:
        """The town (镇/街道) a place lies in, or the place itself if it is one."""
        p = self.get(place_id)
        if p is None:
            return None
        if p.level is PlaceLevel.TOWN:
            return p
        return next((a for a in self.ancestors(place_id) if a.level is PlaceLevel.TOWN), None)


def _read_rows(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = []
            for row in csv.DictReader(fh):
                clean: dict[str, Any] = {k.strip(): (v.strip() if v else None) for k, v in row.items() if k}
                clean["aliases"] = [a for a in (clean.get("aliases") or "").split("|") if a]
                rows.append({k: v for k, v in clean.items() if v not in (None, "")})
        return rows, {}
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(doc, dict) or not isinstance(doc.get("places"), list):
        raise ConfigError(f"{path}: a gazetteer needs a 'places' list")
    return doc["places"], dict(doc.get("meta") or {})


def parse_places(rows: Iterable[dict[str, Any]], source: str = "<gazetteer>") -> list[Place]:
    """Validate raw rows as places; a bad row raises :class:`ConfigError` naming its index and id."""
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(Place.model_validate(row))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            ident = row.get("id") if isinstance(row, dict) else None
            raise ConfigError(f"{source}: places[{i}] ({ident}): {loc}: {err['msg']}") from None
    return out


@lru_cache(maxsize=8)
def _load(path: Path) -> Gazetteer:
    try:
        rows, meta = _read_rows(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: gazetteer file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read gazetteer: {exc}".splitlines()[0]) from None
    places = parse_places(rows, str(path))
    try:
        return Gazetteer(tuple(places), meta)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Load a gazetteer (YAML or CSV); None loads the bundled 大场镇 file. Cached per path."""
    return _load(Path(path).resolve() if path is not None else DEFAULT_GAZETTEER)
