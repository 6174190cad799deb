"""A town's own place table (居委, 小区, 道路, 网格, 责任部门, 别名) → a gazetteer (``yuqing places import``).

One row per estate or road as a town's grid office keeps it (xlsx or csv, first sheet; the header is the first of
the first rows that names a 居委, 小区 or 道路 column, so a title row above it is passed over; merged cells hold
their value on every row they span). Columns, by Chinese or English header (a 序号/编号 column is ignored):

=========  ==================  ==================================================================
column     also accepted       meaning
=========  ==================  ==================================================================
居委        社区, 村, community  the 居委会/村委会 the row belongs to
小区        compound, estate     an estate (小区) of that community
道路        road                 a road, or several separated by 、 , ， ; ；
网格        grid                 the grid cell of the row's place
责任部门    部门, department     who must fix problems at the row's place
别名        aliases              other names of the row's place (separated like roads)
类型        level, type          optional: 市场 / 河道 / 地标 / 路口 turn 小区's name into that level;
                                 道路 / 居委 say the row is about its one road / its committee
=========  ==================  ==================================================================

The row's place (which gets 别名 and 网格) is the one 类型 names, else the 小区 (its roads are the estate's
roads), else the row's only road, else the 居委; 别名 on several roads without a 小区 is refused. A road gets 网格
and 责任部门 only from a row whose place is the road (or the roads of a row without 小区 and 类型): roads named
in an estate, market, landmark or crossing row say where that place lies. Committee
spellings that differ only in 居委会 / 居委 / 居民委员会 / 社区居委会 / 社区 (or 村委会 / 村委 / 村民委员会) are
one committee: the first spelling is its name, the others its aliases. Every row needs a 居委, a 小区 or a 道路.
Ids are stable hashes of the town and the name, so importing the table again gives the same ids. Each bad row is
reported on its own line and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError
from core.model import Place, PlaceLevel
from nlp.gazetteer import Gazetteer, parse_places

COLUMNS: dict[str, tuple[str, ...]] = {
    "community": ("居委", "居委会", "社区", "村", "村委会", "居村委", "所属社区", "所属居委", "community"),
    "compound": ("小区", "小区名称", "compound", "estate"),
    "road": ("道路", "道路名称", "road", "roads"),
    "grid": ("网格", "网格编号", "所属网格", "grid"),
    "department": ("责任部门", "部门", "责任单位", "department"),
    "aliases": ("别名", "aliases", "alias"),
    "level": ("类型", "level", "type", "category"),
}
#: a table needs one of these; the header is the first row naming one
PLACE_COLUMNS = {"community", "compound", "road"}
#: row-number columns, ignored
IGNORED = ("序号", "编号", "no", "no.", "#")
#: how many rows may stand above the header (titles, dates)
HEADER_SEARCH = 10
EXPECTED = "居委, 小区, 道路, 网格, 责任部门, 别名, 类型"
LEVELS = {"小区": PlaceLevel.COMPOUND, "市场": PlaceLevel.MARKET, "菜场": PlaceLevel.MARKET,
          "河道": PlaceLevel.RIVER, "地标": PlaceLevel.LANDMARK, "路口": PlaceLevel.CROSSING,
          "compound": PlaceLevel.COMPOUND, "market": PlaceLevel.MARKET, "river": PlaceLevel.RIVER,
          "landmark": PlaceLevel.LANDMARK, "crossing": PlaceLevel.CROSSING}
#: 类型 words that name the row's road or committee rather than a level for the 小区's name
ROW_TYPES = {"道路": "road", "road": "road", "居委": "community", "居委会": "community", "社区": "community",
             "村委": "community", "村委会": "community", "community": "community"}
#: a committee's name = stem + one of these words (居 group, 村 group); the shortest stem wins
_COMMITTEE = re.compile(r"^(.+?)(?:(社区居民委员会|社区居委会|社区居委|居民委员会|居委会|居委|社区)"
                        r"|(村民委员会|村委会|村委))$")
_SPLIT = re.compile(r"[、,，;；|/]+")
_GRID = re.compile(r"^[\w\-\u4e00-\u9fff]{1,40}$")
_NAME = re.compile(r"^[\u4e00-\u9fff\w（）()·\-]{2,40}$")


class Table(list[dict[str, str]]):
    """A table's rows (header → cell text) and the 1-based line of its header."""

    def __init__(self, rows: list[dict[str, str]], header_line: int = 1) -> None:
        super().__init__(rows)
        self.header_line = header_line


@dataclass
class ImportResult:
    """The places built from a table and one message per bad row."""

    places: list[Place] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: int = 0


def read_table(path: Path) -> Table:
    """The rows of an xlsx or csv file as header → cell text, below the header row (see the module's doc)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        cells = _sheet_cells(path)
    elif suffix == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                cells = [[c.strip() for c in r] for r in csv.reader(fh)]
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text (save the table as CSV UTF-8)") from None
    else:
        raise ConfigError(f"{path}: give an .xlsx or .csv file")
    at = next((i for i, r in enumerate(cells[:HEADER_SEARCH]) if PLACE_COLUMNS & set(_columns(r)[0])), 0)
    header = cells[at] if cells else []
    return Table([_row(header, r) for r in cells[at + 1:]], header_line=at + 1)


def _row(header: list[str], cells: list[str]) -> dict[str, str]:
    """One row as header → text; the cells under a header that repeats (a 道路 header merged over two columns) are
    joined with 、, each distinct value once."""
    values: dict[str, list[str]] = {}
    for i, h in enumerate(header):
        if h:
            values.setdefault(h, []).append(cells[i] if i < len(cells) else "")
    return {h: "、".join(dict.fromkeys(v for v in vs if v)) for h, vs in values.items()}


def is_place_table(path: Path) -> bool:
    """Whether ``path`` is a town's place table (input of ``places import``), not a gazetteer: an xlsx or csv whose
    header names a 居委, 小区 or 道路 column and no ``id``."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        return False
    try:
        table = read_table(path)
    except (ConfigError, OSError):
        return False
    header = list(table[0]) if table else []
    return "id" not in header and bool(PLACE_COLUMNS & set(_columns(header)[0]))


def _sheet_cells(path: Path) -> list[list[str]]:
    """The first sheet's cell texts, a merged range's value repeated over the range."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)  # not read_only: that mode has no merged ranges
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise ConfigError(f"{path}: cannot read the workbook: {exc}".splitlines()[0]) from None
    ws = wb.worksheets[0]
    cells = [["" if v is None else str(v).strip() for v in r] for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        top = cells[rng.min_row - 1][rng.min_col - 1]
        for r in cells[rng.min_row - 1:rng.max_row]:
            r[rng.min_col - 1:rng.max_col] = [top] * len(r[rng.min_col - 1:rng.max_col])
    wb.close()
    return cells


def _columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    found: dict[str, str] = {}
    unknown = []
    for h in header:
        if not h.strip() or h.strip().lower() in IGNORED:
            continue
        key = next((k for k, names in COLUMNS.items() if h.strip().lower() in names), None)
        if key is None:
            unknown.append(h)
        elif key not in found:
            found[key] = h
    return found, unknown


def committee_key(name: str) -> str:
    """``name`` with its committee word folded: 晨阳居委会, 晨阳居委, 晨阳社区 → one key; 晨阳村委 another."""
    m = _COMMITTEE.match(name)
    if m is None:
        return name
    return f"{m.group(1)}\0居" if m.group(2) else f"{m.group(1).removesuffix('村')}\0村"  # 沈家村村委会 = 沈家村委会


def _pid(prefix: str, kind: str, name: str) -> str:
    return f"{prefix}-{kind}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def build_places(rows: list[dict[str, str]], town: str, *, district: str | None = None,
                 town_id: str | None = None) -> ImportResult:
    """Places for a town from its table rows; a bad row adds an error naming its line (the header's line + 1 for
    the first row: a :class:`Table` knows its header's line, else it is line 1)."""
    res = ImportResult(rows=len(rows))
    first = (rows.header_line if isinstance(rows, Table) else 1) + 1
    header = list(rows[0]) if rows else []
    cols, unknown = _columns(header)
    if unknown:
        res.errors.append(f"unknown columns {', '.join(unknown)} (expected some of {EXPECTED})")
    if not (PLACE_COLUMNS & set(cols)):
        res.errors.append("the table needs a 居委, 小区 or 道路 column")
        return res
    prefix = town_id or _pid("town", "t", town)[5:13]
    by_id: dict[str, Place] = {}
    top = Place(id=prefix, name=town, level=PlaceLevel.TOWN)
    by_id[top.id] = top
    if district:
        d = Place(id=f"{prefix}-district", name=district, level=PlaceLevel.DISTRICT)
        by_id[d.id] = d
        by_id[top.id] = top.model_copy(update={"parent": d.id})

    committees: dict[str, str] = {}  # committee_key → the first spelling seen

    def cell(row: dict[str, str], key: str) -> str:
        return row.get(cols[key], "").strip() if key in cols else ""

    for n, row in enumerate(rows, start=first):
        if not any(cell(row, k) for k in cols):  # a blank row, or one with only its 序号
            continue
        comm, comp, road_cell = cell(row, "community"), cell(row, "compound"), cell(row, "road")
        grid, dept = cell(row, "grid") or None, cell(row, "department") or None
        aliases = [a for a in _SPLIT.split(cell(row, "aliases")) if a]
        level_word = cell(row, "level")
        problems = []
        roads = [r for r in _SPLIT.split(road_cell) if r]
        if not (comm or comp or roads):
            problems.append("needs a 居委, 小区 or 道路")
        for name in [comm, comp, *roads, *aliases]:
            if name and not _NAME.match(name):
                problems.append(f"{name!r} is not a place name (2–40 characters, no spaces or symbols)")
        if grid and not _GRID.match(grid):
            problems.append(f"网格 {grid!r} is not a grid id")
        level = PlaceLevel.COMPOUND
        subject: str | None = "compound" if comp else "road" if len(roads) == 1 else None if roads else "community"
        if level_word in LEVELS:
            level = LEVELS[level_word]
            if not comp:
                problems.append("类型 needs a 小区 name to apply to")
        elif ROW_TYPES.get(level_word) == "road":
            subject = "road"
            if comp or len(roads) != 1:
                problems.append(f"类型 {level_word} needs one 道路 and no 小区")
        elif ROW_TYPES.get(level_word) == "community":
            subject = "community"
            if comp or not comm:
                problems.append(f"类型 {level_word} needs a 居委 and no 小区")
        elif level_word:
            words = [k for k in [*LEVELS, "道路", "居委"] if not k.isascii()]
            problems.append(f"类型 {level_word!r} is not one of {', '.join(words)}")
        if aliases and subject is None:
            problems.append("别名 of a row with several 道路 and no 小区: give each road its own row "
                            "(or 类型 居委 for the committee's)")
        if problems:
            res.errors.append(f"line {n}: " + "; ".join(problems))
            continue
        parent = top.id
        made: list[tuple[str, Place]] = []
        if comm:
            name = committees.setdefault(committee_key(comm), comm)  # a variant spelling becomes an alias
            own = subject == "community"
            names = [a for a in dict.fromkeys([comm, *(aliases if own else [])]) if a != name]
            made.append(("community", Place(id=_pid(prefix, "c", name), name=name, level=PlaceLevel.COMMUNITY,
                                            parent=top.id, department=dept if own else None,
                                            grid=grid if own else None, aliases=names)))
            parent = made[-1][1].id
        if comp:
            made.append(("compound", Place(id=_pid(prefix, "x", comp), name=comp, level=level, parent=parent,
                                           grid=grid, department=dept, aliases=aliases)))
        own_roads = subject in ("road", None)  # else the roads only say where the row's place lies
        for r in roads:
            made.append(("road", Place(id=_pid(prefix, "r", r), name=r, level=PlaceLevel.ROAD, parent=top.id,
                                       grid=grid if own_roads else None, department=dept if own_roads else None,
                                       aliases=aliases if subject == "road" else [])))
        row_errors = []
        for kind, p in made:
            old = by_id.get(p.id)
            if old is None:
                by_id[p.id] = p
                continue
            clash = [f"{f} {_shown(by_id, f, getattr(old, f))!r} ≠ {_shown(by_id, f, getattr(p, f))!r}"
                     for f in ("grid", "department", "parent", "level")
                     if getattr(p, f) and getattr(old, f) and getattr(p, f) != getattr(old, f)
                     and not (kind == "community" and f in ("grid", "department"))]
            if clash:
                row_errors.append(f"{p.name}: " + ", ".join(clash))
                continue
            merged = {f: getattr(old, f) or getattr(p, f) for f in ("grid", "department")}
            merged["aliases"] = list(dict.fromkeys([*old.aliases, *p.aliases]))
            by_id[p.id] = old.model_copy(update=merged)
        if row_errors:
            res.errors.append(f"line {n}: conflicts with an earlier row: " + "; ".join(row_errors))
    places = list(by_id.values())
    try:
        parse_places([p.model_dump(exclude_none=True) for p in places], "<import>")
        Gazetteer(tuple(places))
    except (ConfigError, ValueError) as exc:
        res.errors.append(str(exc))
    res.places = places
    return res


def _shown(by_id: dict[str, Place], field_name: str, value: Any) -> str:
    """A field's value as the table wrote it: a parent by its name, a level by its word."""
    if field_name == "parent" and value in by_id:
        return by_id[value].name
    return value.value if isinstance(value, PlaceLevel) else str(value)


def gazetteer_yaml(places: list[Place], town: str, source: str, district: str | None = None) -> str:
    """The gazetteer file text (``meta`` + ``places``), readable by :func:`nlp.gazetteer.load_gazetteer`."""
    meta: dict[str, Any] = {"name": town, "compiled": date.today().isoformat()[:7], "sources": [source]}
    if district:
        meta["district"] = district
    body = yaml.safe_dump({"meta": meta}, allow_unicode=True, sort_keys=False)
    lines = [f"# {town} 地名录 — generated by `yuqing places import` from {source}; edit the table, not this file.",
             body.rstrip(), "places:"]
    for p in places:
        doc = p.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
        if not doc.get("aliases"):
            doc.pop("aliases", None)
        lines.append("  - " + yaml.safe_dump(doc, allow_unicode=True, default_flow_style=True, width=10_000).strip())
    return "\n".join(lines) + "\n"
