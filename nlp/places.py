"""Place extraction: gazetteer names and aliases, address patterns and crossings, resolved to gazetteer ids.

Longest match wins; short names (two characters or fewer, e.g. 大场, 上大) only count on token boundaries so
that 马上大扫除 does not mention 上海大学. A name with several places is resolved from context: a town named
in the same post, then the source's own area (``region``), then the gazetteer's home town. A mention right
after a foreign town or district (顾村镇沪太路) is kept raw. Address patterns the gazetteer does not know
(XX小区, XX路88弄, XX菜场 …) are kept as raw mentions (``id`` None).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from core.model import Place, PlaceLevel, PlaceRef
from nlp.charmaps import homophones
from nlp.gazetteer import Gazetteer
from nlp.mention_bodies import Words, area_firm, bodies, may_name_wrongdoer, subject_name, town_bodies, wrongdoers
from nlp.mention_cues import TITLE_MAX, subject_end
from nlp.mention_stems import _AREA_CHAR, FUNCTION_CHARS, _tokens
from nlp.mentions import find_mentions, place_key, town_body_key
from nlp.place_lexicon import RIVER_ENDS, ROAD_WORDS
from nlp.place_tagger import PlaceTagger
from nlp.postags import pos_table

_H = r"[\u4e00-\u9fff]"
_CROSSING = re.compile(
    rf"(?P<a>{_H}{{1,6}}?(?:路|街|公路|大道))(?:与|和|跟|/|、|交)?(?P<b>{_H}{{1,6}}?(?:路|街|公路|大道))"
    r"(?:交叉口|交汇处|十字路口|丁字路口|路口|口)"
)
_SINGLE_CROSSING = re.compile(rf"(?P<a>{_H}{{1,6}}?(?:路|街|公路|大道))(?:十字路口|丁字路口|路口|交叉口|口)")
_KIND_TAIL = re.compile(r"(?:小区|新村)$")
_LANE = re.compile(r"\d+\s*弄$")
_ADDRESS = re.compile(r"(?:路|街|公路|大道)\s*\d+\s*(?:弄|号)(?:\s*\d+\s*(?:号|支弄))?")
_SUFFIX = re.compile(
    r"(?:(?:家园|花园|公寓|华庭|雅苑|苑|新村|一村|二村|三村|四村|五村)?小区|新村|花园|公寓|家园|华庭|雅苑|菜场|菜市场|农贸市场|"
    r"(?<!超)市场|公园|广场|商场|中学|小学|幼儿园|医院|地铁站|河|浜|"
    r"(?:路|街|大道)(?=[\d上边旁口里头那这的,，。！!?？\s]|$))"
)
#: Characters that end a raw name on its left (在XX小区 → XX小区) and locative prefixes to strip.
_LEFT_STOP = set("在到去从于和与跟的了是个我你他她它们这那就都也还又被把让给对向往边旁里近说要有住家区市县镇省条")
_PREFIX = re.compile(
    r"^(?:楼下|门口|旁边|附近|对面|隔壁|家门口|前面|后面|前方|那边|这边|那个|这个|一个|整个|一条|这条|那条|我们|咱们|上海|宝山)+"
)
_GENERIC = {
    "小区", "新村", "花园", "公园", "广场", "市场", "菜场", "菜市场", "地铁站", "马路", "道路", "公路", "大路", "小路",
    "医院", "小学", "中学", "河", "站", "路口", "一路", "走路", "出路", "路", "街", "老街", "大街", "小街", "河道",
    "农贸市场", "商场", "幼儿园", "本小区", "该小区", "小河", "河浜", "水塘", "池塘", "大道",
}
#: Pattern matches that are phrases, not names (晚上路上, 清扫马路, 一路上, 红绿灯路口).
_NOT_A_NAME = re.compile(
    r"(马路|道路|大路|小路|一路|半路|上路|走路)$|^(红绿灯|信号灯)|^(晚上|早上|白天|中午|下午|今天|昨天|每天|平时|一个|这个|那个|下个|每个|几个|两个)"
)
#: At most this many names of the learned tagger beside the rules' places of one text (the first it is sure of:
#: more add names no reader labelled faster than places the letter is about; docs/nlp.md), and one more from a
#: subject line that names no place yet (:data:`SUBJECT_MIN_PROB`).
MAX_LEARNED = 1
#: The least marginal probability of a learned name in a subject line that names no place yet (S20-E).
SUBJECT_MIN_PROB = 0.6
#: A public body's kind: named after its area (D10县教育局, K2区社保站), it is one of many of its kind, one per county.
_AREA_OFFICE = re.compile(r"(?:局|厅|委|办|站|所|处|中心|政府|大队|中队|支队|法院|检察院)$")
_BARE_GROUP = re.compile(r"第?[\d一二三四五六七八九十]+组")
#: Listed places whose full name does not name the road beside it (estates, landmarks, stations, rivers, markets): a
#: road word after one is where, not a road (和泰苑|路口); roads are named after areas, villages and the short names
#: of estates (大华路, 乾溪路: two characters, kept).
_NO_NAMESAKE_ROADS = frozenset([PlaceLevel.COMPOUND, PlaceLevel.LANDMARK, PlaceLevel.RIVER, PlaceLevel.MARKET])
_SPECIFIC_FIRST = {
    PlaceLevel.CROSSING: 0, PlaceLevel.COMPOUND: 1, PlaceLevel.MARKET: 1, PlaceLevel.LANDMARK: 2,
    PlaceLevel.ROAD: 2, PlaceLevel.RIVER: 2, PlaceLevel.COMMUNITY: 3, PlaceLevel.OTHER: 4,
    PlaceLevel.TOWN: 5, PlaceLevel.DISTRICT: 6,
}


@dataclass(frozen=True)
class Mention:
    """A place mention found in text."""

    start: int
    end: int
    raw: str
    place: Place | None  # None: not in the gazetteer
    level: PlaceLevel | None = None
    parts: tuple[Place, ...] = ()  # the known roads of an unknown crossing


class PlaceExtractor:
    """Finds places of one gazetteer in text."""

    def __init__(self, gazetteer: Gazetteer, home_town: str | None = None) -> None:
        self.gaz = gazetteer
        names = sorted(gazetteer.names(), key=len, reverse=True)
        self._names = re.compile("|".join(re.escape(n) for n in names)) if names else None
        self.home_town = home_town or self._guess_home()
        self._estates: dict[tuple[int, str], list[str]] | None = None  # listed estates' names, for typed sounds
        # listed crossings by their key, which is one for both orders of the roads (古墩路与文一西路路口)
        self._crossings = {place_key(n, PlaceLevel.CROSSING): p for p in gazetteer if p.level is PlaceLevel.CROSSING
                           for n in (p.name, *p.aliases)}
        # listed estates and committees by their key, where one place has it: 滨江雅苑小区 is the listed 滨江雅苑,
        # 益乐居委 the listed 益乐社区 (an unlisted spelling of a listed name is that place, not its twin)
        by_key: dict[str, Place | None] = {}
        for p in gazetteer:
            if p.level in (PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY):
                for k in {place_key(n, p.level) for n in (p.name, *p.aliases)}:
                    by_key[k] = p if by_key.get(k, p) is p else None
        self._listed_keys = {k: p for k, p in by_key.items() if p is not None}

    def _guess_home(self) -> str | None:
        meta_name = self.gaz.meta.get("name")
        for p in self.gaz.lookup(meta_name) if meta_name else ():
            return p.id
        return next((p.id for p in self.gaz if p.level is PlaceLevel.TOWN), None)

    # --- matching -------------------------------------------------------------------------------------------

    def mentions(self, text: str, boundaries: Collection[int] | None = None) -> list[Mention]:
        """Every place mention, in text order, non-overlapping (gazetteer names win over patterns)."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        if boundaries is None:
            boundaries = _boundaries(text)
        raw_mentions = find_mentions(text, boundaries)
        raw_road_ends = {x.end: x.start for x in raw_mentions if x.level is PlaceLevel.ROAD}
        for m in _CROSSING.finditer(text):
            a, b = self._road_part(m.group("a")), self._road_part(m.group("b"))
            if not a or not b:
                continue
            start = m.end() - len(m.group(0)) + (len(m.group("a")) - len(a))
            if not self.gaz.lookup(a) and m.end("a") in raw_road_ends:  # an unlisted road: where its mention starts
                start = max(start, raw_road_ends[m.end("a")])  # (今天下午在|长江路和复兴路路口)
            place = self._crossing(a, b)
            roads = tuple(p for n in (a, b) for p in self.gaz.lookup(n)[:1] if p.level is PlaceLevel.ROAD)
            if place is None and not roads and not (m.end("a") in raw_road_ends
                                                    and raw_road_ends.get(m.end("b")) == m.start("b")):
                continue  # 上学路|上要经过多少路|口: neither side is a road; 猴子石路|口站到新开铺路|口: no crossing
            parts = () if place else roads
            found.append(Mention(start, m.end(), text[start : m.end()], place, PlaceLevel.CROSSING, parts))
            taken.append((start, m.end()))
        if self._names is not None:
            for m in self._names.finditer(text):
                s, e = m.span()
                if not free(s, e):
                    continue
                if e - s <= 2 and boundaries is not None and not (s in boundaries and e in boundaries):
                    continue
                listed = self.gaz.lookup(m.group(0))
                found.append(Mention(s, e, m.group(0), None, None, listed))
                taken.append((s, e))
                # a market, school or car park named after a listed estate or village (大华三村菜场): a place of its
                # own, beside the estate it is named after (by its short alias, 五联菜场, instead of it)
                named = listed[0]
                if (kind := _NAMED_AFTER_ESTATE.match(text, e)) is not None and free(e, kind.end()) \
                        and named.level in (PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY):
                    if m.group(0) != named.name and named.level is PlaceLevel.COMPOUND:
                        found.pop()
                    level = _NAMED_AFTER_LEVEL.get(kind.group(0), PlaceLevel.LANDMARK)
                    found.append(Mention(s, kind.end(), text[s:kind.end()], None, level, (named,)))
                    taken.append((e, kind.end()))
        road_ends = {x.end: x.start for x in found if x.level is None and x.parts
                     and x.parts[0].level is PlaceLevel.ROAD} | raw_road_ends
        for m in _SINGLE_CROSSING.finditer(text):
            s, e = m.span()
            road_end = m.start() + len(m.group("a"))
            if road_end not in road_ends or m.group("a").endswith(("十字路", "丁字路")):
                continue  # 经过多少路口, 守候路口, 家属区旁丁字路口: the crossing names no road
            s = max(road_ends[road_end], s)
            raw = text[s:e]
            if len(raw) >= 4 and not _NOT_A_NAME.search(raw[:-1]) and free(s, e):
                found.append(Mention(s, e, raw, None, PlaceLevel.CROSSING))
                taken.append((s, e))
        for rm in raw_mentions:
            s, e, raw, level = rm.start, rm.end, rm.name, rm.level
            inner = [x for x in found if s <= x.start and x.end <= e and (x.start, x.end) != (s, e)]
            # a lane of a listed road (场中路3000弄) is a place of its own, an estate by its number, beside the road
            lane = level is PlaceLevel.ROAD and _LANE.search(raw) is not None and len(inner) == 1 \
                and inner[0].start == s and _known_level(inner[0]) is PlaceLevel.ROAD
            nested = bool(inner) and (lane or all(_known_level(x) not in (None, level) for x in inner))
            if not (free(s, e) or (nested and free(s, inner[0].start))):
                continue
            if any(x.start <= s and e <= x.end for x in found):
                continue  # inside a gazetteer name or crossing: the gazetteer wins
            if level is PlaceLevel.ROAD and len(inner) == 1 and (inner[0].start, inner[0].end) == (s, e - 1) \
                    and e - 1 - s >= 3 and text[e - 1:e + 1] in ROAD_WORDS \
                    and _known_level(inner[0]) in _NO_NAMESAKE_ROADS:
                continue  # 和泰苑|路口, 南大公园|路边, 场中路站|路边: the road word beside a listed place names no road
            # an estate's short alias that opens another kind of place's name names that place, not the estate
            # (五联菜场 by 五联西苑, alias 五联: a market of its own)
            dropped = [x for x in inner if x.start == s and _known_level(x) is PlaceLevel.COMPOUND
                       and level is not PlaceLevel.COMPOUND and x.raw != (x.place or x.parts[0]).name]
            inner = [x for x in inner if x not in dropped]
            known = tuple(p for x in inner for p in ((x.place,) if x.place else x.parts[:1]))
            found = [x for x in found if x not in dropped and (x not in inner or _known_level(x) is not None)]
            found.append(Mention(s, e, raw, None, level, known))
            taken.append((s, e))
        found.sort(key=lambda x: x.start)
        return found

    def _road_part(self, raw: str) -> str:
        """The road in a crossing's side: a known road suffix, else the text after any 镇/区/市 prefix."""
        for i in range(len(raw) - 2):
            if any(p.level is PlaceLevel.ROAD for p in self.gaz.lookup(raw[i:])):
                return raw[i:]
        cut = max(raw.rfind(c, 0, len(raw) - 2) for c in "镇区市县")
        return self._trim(raw[cut + 1 :])

    @staticmethod
    def _trim(raw: str) -> str:
        """Cut leading function words and locatives off a pattern match (在沪太路 → 沪太路, 楼下菜场 → 菜场)."""
        i = 0
        while i < len(raw) - 2 and raw[i] in _LEFT_STOP:
            i += 1
        raw = _PREFIX.sub("", raw[i:])
        return raw.lstrip("0123456789")

    def _crossing(self, a: str, b: str) -> Place | None:
        for name in (f"{a}{b}路口", f"{a}{b}", f"{b}{a}", f"{a}与{b}路口"):
            hits = [p for p in self.gaz.lookup(name) if p.level is PlaceLevel.CROSSING]
            if hits:
                return hits[0]
        # written in the other order or with other words (文一西路和古墩路交叉口 for the listed 古墩路与文一西路路口)
        return self._crossings.get(place_key(f"{a}与{b}路口", PlaceLevel.CROSSING))

    # --- resolution -----------------------------------------------------------------------------------------

    def extract(self, text: str, *, region: str | None = None,
                boundaries: Collection[int] | None = None) -> list[PlaceRef]:
        """Places mentioned in ``text``: most specific first, each id once; unresolved mentions kept raw. An
        account's handle (@宝山发布, 网友“祁连山下的小路”) names no place: it is blanked first."""
        text = without_handles(text)
        if boundaries is None:
            boundaries = _boundaries(text)
        mentions = self.mentions(text, boundaries)
        towns = set()
        for m in mentions:
            if m.place is None and m.level is None:
                for p in self.gaz.lookup(m.raw):
                    if p.level in (PlaceLevel.TOWN, PlaceLevel.DISTRICT):
                        towns.add(p.id)
        if region and self.gaz.get(region) is None:  # a name (大场镇) rather than an id
            region = next((p.id for p in self.gaz.lookup(region)), None)
        context = [*towns, *([region] if region else []), *([self.home_town] if self.home_town else [])]
        refs: list[tuple[float, int, PlaceRef]] = []
        seen: set[str] = set()
        prev_end, prev_foreign = -10, False
        chains = _chains(mentions)
        for i, m in enumerate(mentions):
            if i in chains:
                chain = chains[i]
                if chain is not None and chain.name not in seen:
                    seen.add(chain.name)
                    refs.append((_SPECIFIC_FIRST.get(chain.level, 3), m.start, chain))
                prev_end, prev_foreign = m.end, False
                continue
            place = m.place
            if place is None and m.level is None:
                place = self._resolve(m.raw, context)
            elif place is None and not m.parts and m.level is not PlaceLevel.CROSSING:
                place = self.estate_by_sound(m.raw)  # 大化三村, 祈连二村: a listed estate typed by its sound
            foreign_here = prev_foreign and m.start - prev_end <= 1
            if place is not None and foreign_here and self._under_home(place) and place.level not in (
                    PlaceLevel.TOWN, PlaceLevel.DISTRICT):
                place = None  # 顾村镇沪太路: the road, but not our stretch of it
            if place is not None:
                is_foreign = place.level in (PlaceLevel.TOWN, PlaceLevel.DISTRICT) and not self._related_home(place)
                prev_end, prev_foreign = m.end, is_foreign
                if place.id in seen:
                    continue
                seen.add(place.id)
                refs.append((_SPECIFIC_FIRST.get(place.level, 4), m.start, _ref(place)))
            else:
                prev_end, prev_foreign = m.end, False
                if m.raw in seen or _BARE_GROUP.fullmatch(m.raw):
                    continue  # 四组 without its village names no place (every village has one)
                seen.add(m.raw)
                level = m.level or _level_of(m.raw)
                # a road the unlisted place lies on gives its grid and department; an estate it is named after or
                # lies in gives its grid alone (the estate's 物业 is no market's or shop's department)
                road = m.parts[0] if m.parts and m.level is not None else None
                dept = road.department if road is not None and road.level is PlaceLevel.ROAD else None
                ref = PlaceRef(name=m.raw, level=level, grid=road and road.grid, department=dept,
                               key=town_body_key(m.raw, level, m.parts))  # 大场卫生院 = 大场镇卫生院
                listed = self._listed_keys.get(ref.key) if level in (PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY) \
                    else None
                if listed is not None and listed.level is level:
                    if listed.id not in seen:
                        seen.add(listed.id)
                        refs.append((_SPECIFIC_FIRST.get(level, 4), m.start, _ref(listed)))
                    continue
                refs.append((_SPECIFIC_FIRST.get(level, 4) if level else 4, m.start, ref))
                for part in m.parts if m.level is PlaceLevel.CROSSING else ():
                    if part.id not in seen:
                        seen.add(part.id)
                        refs.append((_SPECIFIC_FIRST[PlaceLevel.ROAD], m.start, _ref(part)))
        starts = {m.start for m in mentions}
        units = {(m.start, m.end): unit for m in mentions if m.end not in starts and (
            (unit := _known_level(m) or (m.level if m.place is None and not m.parts else None)) in _BODY_UNITS)}
        words: Words | None = None  # the token spans the body readers share, made once and only if read

        def shared() -> Words:
            nonlocal words
            if words is None:
                words = Words(_spans(text, _split_doubled(text, boundaries)))
            return words

        before_body: set[tuple[int, int]] = set()  # the towns written right before a body
        for a, b in town_bodies(text, shared(), list(units)) if units else ():
            before_body.update(span for span in units if span[0] == a)
            if text[a:b] not in seen:  # 茅市镇邮政网点: finer than its town, which stays a place of its own
                seen.add(text[a:b])  # and comes before it (白石铺教管中心, then the community 白石铺)
                unit = next(level for (start, _), level in units.items() if start == a)
                rank = min(_SPECIFIC_FIRST[PlaceLevel.OTHER], _SPECIFIC_FIRST[unit] - 0.5)
                town = next((self._resolve(m.raw, context) if m.place is None and m.level is None else m.place
                             for m in mentions if m.start == a), None)  # 大场|派出所: the gazetteer's 大场镇
                key = town_body_key(text[a:b], PlaceLevel.OTHER, (town,))  # as the mention readers key 青石镇卫生院
                refs.append((rank, a, PlaceRef(name=text[a:b], level=PlaceLevel.OTHER, key=key)))
        if before_body:
            refs = [(rank, a, _keyless_before_body(text, ref, before_body)) for rank, a, ref in refs]
        if not refs:  # no finer place: the county, city or province the letter names, for the office to see
            return area_bodies(text, _split_doubled(text, boundaries), shared())
        title = subject_end(text)  # a subject line names what the message is about: its places come first
        has_area = _AREA_CHAR.search(text) is not None  # no body without an area: posts that name none skip this
        wrong = has_area and may_name_wrongdoer(text)
        opening = (title if title > 0 else _first_sentence_end(text)) if has_area else -1  # or the first sentence
        if opening > 0 or wrong:
            # beside finer places, a body the letter says did wrong (A市人社局未开通…) or its subject line names
            # (关于K2区卫计委…): what it complains about; at most two, one spelling each, no court
            done: set[str] = set()
            named = [(a, b) for a, b in bodies(text, shared()) if b <= opening and _subject_body(text, a, b)]
            for a, b in sorted({*named, *(wrongdoers(text, shared()) if wrong else ())}):
                name, core = text[a:b], _AREAS_FRONT.sub("", text[a:b])
                if core in done or len(done) == _MAX_BODIES or _OFFICE.fullmatch(name) or any(
                        name in r.name or r.name in name for _, _, r in refs):
                    continue
                done.add(core)
                refs.append((_SPECIFIC_FIRST[PlaceLevel.OTHER], a, PlaceRef(name=name, level=PlaceLevel.OTHER)))
        if any(not _OFFICE.fullmatch(r.name) and r.level not in (PlaceLevel.TOWN, PlaceLevel.DISTRICT)
               for _, _, r in refs):  # a public body named by its area alone is the place only where nothing
            refs = [t for t in refs if t[2].id or not _OFFICE.fullmatch(t[2].name)]  # finer is (K1区法院)
        if has_area:  # beside finer places, the county, city or province the letter
            # names comes last (readers often call it what the letter is about: D市公积金提取手续特困难 …), unless a
            # place already holds it (K8县计生办)
            refs += [(_SPECIFIC_FIRST[PlaceLevel.DISTRICT], text.find(area.name), area)
                     for area in areas(text, _split_doubled(text, boundaries), shared())
                     if not any(area.name in r.name for _, _, r in refs)]
        # at one start, the longer name first: 丰翔路停车场 before the road it is named after
        refs.sort(key=lambda r: (r[0] >= _SPECIFIC_FIRST[PlaceLevel.TOWN], r[1] >= title, r[0], r[1], -len(r[2].name)))
        return [r for _, _, r in refs]

    def with_learned(self, text: str, refs: list[PlaceRef], boundaries: Collection[int], tagger: PlaceTagger,
                     min_prob: float | None = None) -> list[PlaceRef]:
        """``refs`` (the rules' places of ``text``) and, after them, up to :data:`MAX_LEARNED` names the learned
        tagger finds, keyed as unlisted places, and one more from a subject line that names no place yet (from
        :data:`SUBJECT_MIN_PROB`); before them where the rules found only areas and towns. Left to the
        rules: gazetteer names, bare groups, names a rule place holds or is held by (areas before them aside:
        D12市家馨花园 beside 家馨花园小区) or keyed alike, and names whose key would be a bare word once their area
        is cut (E市市, B2区政府). A body named by its area (D10县教育局, M7市防疫站) is kept without a key, as the rules
        keep it: every county has one."""
        text = without_handles(text)
        coarse = all(r.level in (PlaceLevel.TOWN, PlaceLevel.DISTRICT) for r in refs)
        names = {r.name for r in refs}
        cores = [_AREAS_LEAD.sub("", r.name) or r.name for r in refs  # beside finer places the letter's own area
                 if coarse or r.id or r.level is not PlaceLevel.DISTRICT]  # holds no name back (华能F市 beside F市)
        keys = {r.key for r in refs if r.key}
        towns = [self.gaz.get(r.id) for r in refs if r.id and r.level is PlaceLevel.TOWN]
        added: list[PlaceRef] = []

        def take(name: str) -> None:
            core = _AREAS_LEAD.sub("", name) or name
            if (name in names or any(core in n or n in core for n in cores) or self.gaz.lookup(name)
                    or _OFFICE.fullmatch(name)
                    or _BARE_GROUP.fullmatch(name) or self.estate_by_sound(name) is not None):
                return
            level = _level_of(name)
            key: str | None = None  # D10县教育局: named by its area, keyless as the rules' wrongdoer bodies
            if core == name or not _AREA_OFFICE.search(core):
                key = town_body_key(name, level, towns)
                if key in keys or len(key.removeprefix("raw:")) < 3 or not _named_key(key):
                    return
                keys.add(key)
                if (listed := self._listed_keys.get(key)) is not None:  # 滨江雅苑小区: the listed 滨江雅苑
                    if listed.id not in {r.id for r in (*refs, *added)}:
                        added.append(_ref(listed))
                        cores.append(listed.name)
                    return
            added.append(PlaceRef(name=name, level=level, key=key))
            cores.append(core)

        cut = tagger.min_prob if min_prob is None else min_prob
        scored = tagger.scored_spans(text, boundaries, min(cut, SUBJECT_MIN_PROB))
        for s, e, p in scored:
            if len(added) == MAX_LEARNED:
                break
            if p >= cut:
                take(text[s:e])
        subject = subject_end(text)
        if cut > SUBJECT_MIN_PROB and subject > 0 and not any(r.name in text[:subject] for r in (*refs, *added)):
            # no place in the subject line yet: the tagger's first name there, at a lower cut-off
            held = len(added)
            for s, e, _ in scored:
                if e > subject or len(added) > held:
                    break
                take(text[s:e])
        if not added:
            return refs
        return [*added, *refs] if coarse else [*refs, *added]

    def estate_by_sound(self, raw: str) -> Place | None:
        """The listed estate ``raw`` names with one character of its name typed by its sound (大化三村 for 大华三村,
        乾西新村 for 乾溪新村, as a pinyin input method gives them): a name of four characters or more that differs from
        the names of exactly one listed estate in one character before its last, read alike, or in its ending 园 for
        苑 or 苑 for 园 (汇枫景园 for 汇枫景苑; three characters suffice there), a kind word after the name aside
        (葑润花庭小区); None otherwise. Estates
        only: roads, villages and towns of other places share their names' sounds (金秋路 is a road of its own, not
        锦秋路; 大厂镇 is no 大场镇)."""
        raw = _KIND_TAIL.sub("", raw) if len(raw) >= 5 else raw  # 葑润花庭小区: the name before its kind word
        if len(raw) >= 3 and raw[-1] in "园苑":  # 汇枫景园, 慧华园: 园 and 苑 (both yuan) are typed for each other
            swapped = [p for p in self.gaz.lookup(raw[:-1] + ("苑" if raw[-1] == "园" else "园"))
                       if p.level is PlaceLevel.COMPOUND]
            if len(swapped) == 1:
                return swapped[0]
        if len(raw) < 4:
            return None
        places = {p.id: p for n in self._estate_names().get((len(raw), raw[-1]), ())
                  if homophones(raw[:-1], n[:-1]) for p in self.gaz.lookup(n) if p.level is PlaceLevel.COMPOUND}
        return next(iter(places.values())) if len(places) == 1 else None

    def _estate_names(self) -> dict[tuple[int, str], list[str]]:
        """Listed estates' names and aliases by (length, last character), made once."""
        if self._estates is None:
            index: dict[tuple[int, str], list[str]] = {}
            for n, places in self.gaz.names().items():
                if len(n) >= 4 and any(p.level is PlaceLevel.COMPOUND for p in places):
                    index.setdefault((len(n), n[-1]), []).append(n)
            self._estates = index
        return self._estates

    def _resolve(self, name: str, context: list[str]) -> Place | None:
        cands = self.gaz.lookup(name)
        if len(cands) <= 1:
            return cands[0] if cands else None
        for town in context:
            for p in cands:
                if p.id == town or any(a.id == town for a in self.gaz.ancestors(p.id)):
                    return p
        return cands[0]

    def _under_home(self, place: Place) -> bool:
        return self.home_town is not None and any(a.id == self.home_town for a in self.gaz.ancestors(place.id))

    def _related_home(self, place: Place) -> bool:
        if self.home_town is None:
            return True
        return place.id == self.home_town or any(a.id == place.id for a in self.gaz.ancestors(self.home_town))


#: Administrative areas by how wide they are (a county or district is finer than a city, a city than a province).
_AREA_RANK = {"区": 0, "县": 0, "市": 1, "州": 1, "省": 2}
_MAX_AREAS = 1
#: Public bodies named by their area alone (K1区法院, K3县计生办, 县法院): more often where a letter's matter went or
#: whom it asks than what it is about; kept only where the letter names no finer place (a post office or a
#: television station named so is what letters complain about: those stay).
_OFFICE = re.compile(r"(?:[A-Z]\d*[省市县区州]|[\u4e00-\u9fff]{0,6}?[省市县区州])+"
                     r"(?:(?:中级)?(?:人民)?(?:法院|检察院)|计生办|交警[大支总]队|车管所)")


def areas(text: str, boundaries: Collection[int],
          spans: list[tuple[int, int]] | Words | None = None) -> list[PlaceRef]:
    """The provinces, cities, counties and districts a text names (masked as the data set writes them: A市, L3县,
    K1区, 西地省; or real: 宁乡县, 宝山区, 湖南省; :func:`nlp.mention_stems.area_spans`), the most specific one (the
    first of those): where a letter names no finer place, the area it comes from. Level *district*, no id and **no
    alert key**: an area that wide never opens a case in a town's office, but the office sees and searches where the
    letter is from."""
    found: dict[str, tuple[int, int]] = {}
    if _AREA_CHAR.search(text) is None:
        return []  # most everyday posts: no area word at all
    words = spans if isinstance(spans, Words) else Words(spans if spans is not None else _spans(text, boundaries))
    for a, b in words.area_spans(text):
        found.setdefault(text[a:b], (_AREA_RANK[text[b - 1]], len(found)))
    for m in _ZONE.finditer(text):  # F市屈原管理区: a zone a city runs as a county
        if not (set(m.group(1)) & _NOT_IN_ZONE) and not (pos_table().get(m.group(1)) or "").startswith("v"):
            # not C市停车管理区 (a verb: what is managed, no zone's name)
            found[m.group(0)] = (-1, len(found))
    ranked = sorted(found, key=lambda n: found[n])[:_MAX_AREAS]
    return [PlaceRef(name=n, level=PlaceLevel.DISTRICT) for n in ranked]


_MAX_BODIES = 2
#: An administrative zone a city runs as a county (F市屈原管理区, G市西洞庭管理区): an area, the most specific one.
_ZONE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]\d{0,2}[省市县州])+([\u4e00-\u9fff]{2,3}?)管理区(?!域)")  # not 管理区域
_NOT_IN_ZONE = FUNCTION_CHARS | frozenset("省市县区州城镇乡村")
#: Units whose public bodies are named after them (茅市镇邮政网点, 桃矿社区中心卫生院).
_BODY_UNITS = frozenset([PlaceLevel.TOWN, PlaceLevel.COMMUNITY])
_AREA_ATOM = r"(?:[A-Z]\d*[省市县区州]|[\u4e00-\u9fff]{2,3}?[省市县区州])"  # A市, K1区, 长沙市
_AREAS_FRONT = re.compile(rf"^{_AREA_ATOM}+(?={_AREA_ATOM})")  # the areas before a body's last area
_AREAS_LEAD = re.compile(rf"^{_AREA_ATOM}+")
_ADDRESSED = re.compile(r"\s*[：:]")
_ASKED_BEFORE = frozenset("向找请致")  # 向D市教育局举报D市幼儿师范学校: whom the letter asks
#: Words of a subject line before a body that put the letter to it (咨询A市人社局…, 建议K市住建局…, 给A市…的一封信,
#: @A市人社局, 向A市人社局、A市财政局反映), a salutation after it (A市住建局领导：, A市住建局您好) and the body's reply
#: or handling (不满A市住建局的答复): the body is whom the letter goes to, not what it is about.
_PUT_TO = re.compile(f"咨询|请问|建议|写给|转给|感谢|尊敬|恳请|请求|希望|求助|[给@＠{''.join(sorted(_ASKED_BEFORE))}]")
_GREETED = re.compile(r"\s*(?:[：:，,]|的?领导|您好|你好)")
_HANDLED = re.compile(r"的?(?:答复|回复|回应|处理结果|处理意见)")
_COUNTED = re.compile("[0-9一二三四五六七八九十两几]+[大家个所]")
_MANY_AFTER = re.compile("太多|很多|众多|多如|都|们|等|之间|各")


_SENTENCE_END = re.compile("[。！？!?；;\n]")


def _first_sentence_end(text: str) -> int:
    """Where the first sentence of a message ends, if within :data:`TITLE_MAX` characters, else -1."""
    m = _SENTENCE_END.search(text, 0, TITLE_MAX + 1)
    return m.start() if m is not None and m.start() > 0 else -1


def _subject_body(text: str, a: int, b: int) -> bool:
    """Whether the body ``text[a:b]`` in the subject line is what the letter is about: not one the line puts the
    letter to, greets or speaks of the reply of."""
    return _PUT_TO.search(text, 0, a) is None and _GREETED.match(text, b) is None and _HANDLED.match(text, b) is None


def area_bodies(text: str, boundaries: Collection[int], words: Words | None = None) -> list[PlaceRef]:
    """Where a letter names no finer place: the public bodies and institutions it names by their area (A市人社局,
    H4县运管所, I3县电影公司; :func:`nlp.mention_bodies.bodies`), first named first, at most two, and after them the
    most specific area where none of them is that area's (A市教育局, A市人社局, B县: B县住建局 is the third body);
    without a body, a subject line's name after its area, else the area (:func:`areas`). A body or name is level
    *other* (no 区 in the console; :data:`core.labels.PLACE_LEVEL` has no level for a public body); no id and **no
    alert key**, as for an area."""
    if _AREA_CHAR.search(text) is None:
        return []
    if words is None:
        words = Words(_spans(text, boundaries))
    spans = words.spans
    area = areas(text, boundaries, words)
    named: dict[str, str] = {}  # one body once (K市K1区环卫处 and K1区环卫处: the first spelling; not A市社保局 and
    # 西地省社保局)
    addressed: set[str] = set()  # a body a letter is addressed to (C市教育局：尊敬的局领导…) comes after the others
    for a, b in bodies(text, words):
        named.setdefault(core := _AREAS_FRONT.sub("", text[a:b]), text[a:b])
        if _ADDRESSED.match(text, b) is not None or text[max(0, a - 1):a] in _ASKED_BEFORE:
            addressed.add(core)
    if not named:  # failing a body, a county's or city's own firm (K9县电影公司, D6县电信公司, B市声屏公司); not one
        for a, b in bodies(text, words, firms=True):  # counted (D市八大供销公司), said to be many (W市出租车公司太多)
            if area_firm(text, a, b) and _COUNTED.search(_AREAS_LEAD.sub("", text[a:b])) is None \
                    and _MANY_AFTER.match(text, b) is None:
                named.setdefault(_AREAS_FRONT.sub("", text[a:b]), text[a:b])
    if not named:
        if (sub := subject_name(text, spans)) is not None:
            name = text[sub[0]:sub[1]]  # F市南湖区: an area after all
            if area and area[0].name.startswith(name):
                return area  # K市金洞|管理区: the zone the name begins
            return [PlaceRef(name=name, level=PlaceLevel.DISTRICT if name[-1] in "省市县区州" else PlaceLevel.OTHER)]
        return area
    found = [named[c] for c in sorted(list(named)[:_MAX_BODIES], key=lambda c: c in addressed)]
    if area and not any(n.startswith(area[0].name) or ((lead := _AREAS_LEAD.match(n)) is not None
                                                       and area[0].name in lead.group(0)) for n in found):
        return [PlaceRef(name=n, level=PlaceLevel.OTHER) for n in found] + area
    return [PlaceRef(name=n, level=PlaceLevel.OTHER) for n in found]


#: A masked area followed by its own area character (K11县|县社会福利中心, L10县|县内, E11县|县为什么): the masking kept
#: the county's own 县 before the letter's next word (县城, 县委, 县社会福利中心), and jieba joins the two into 县县.
_DOUBLED = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,2}([县市区州])(?=\1)")


def _spans(text: str, boundaries: Collection[int]) -> list[tuple[int, int]]:
    """Token spans from boundaries (:func:`nlp.mention_stems._tokens`), without its filter and its join of 街|道
    where the boundaries are :func:`_boundaries`' own (all inside the text, its end among them): the body readers
    read jieba's words as they are."""
    cuts = sorted(boundaries)
    if not cuts or cuts[0] < 0 or cuts[-1] != len(text):
        return _tokens(text, boundaries)
    if cuts[0] != 0:
        cuts.insert(0, 0)
    return list(pairwise(cuts))


def _split_doubled(text: str, boundaries: Collection[int]) -> Collection[int]:
    """The boundaries with a cut after each masked area whose character is written twice (K11县|县): the area ends
    there, whatever jieba made of 县县."""
    if (cuts := {m.end() for m in _DOUBLED.finditer(text)}) and not cuts <= set(boundaries):
        return set(boundaries) | cuts
    return boundaries


def _boundaries(text: str) -> set[int]:
    from nlp.segment import default_segmenter

    return default_segmenter().boundaries(text)


#: Rank of an unlisted unit in an address chain by its ending: town, then village or community, then group.
_UNIT_RANK = (("街道", 0), ("办事处", 0), ("镇", 0), ("乡", 0), ("居委会", 1), ("居委", 1), ("社区", 1), ("村", 1),
              ("组", 2))
#: Unlisted places that a town before them locates (暮云街道怡海星城, 安江镇丁字路117号): rank 3 (a market, which
#: a road before it locates too, rank 4: 莲花西路合力超市).
_LOCATED = frozenset([PlaceLevel.COMPOUND, PlaceLevel.ROAD])
#: Which rank may follow which in a chain: town → village or community → group; town → estate or road → market.
_NEXT_RANK = {0: (1, 3, 4), 1: (2, 4), 3: (4,)}
#: Works and firms an address chain may end in (谷洲镇黄金采石场, 株木水村世盛工贸公司).
_INSTITUTION_END = re.compile(r"(?:厂|场|矿|公司|集团|店|网吧|汽修|美发|物流|化工|业|建材)$")


def _unit_rank(m: Mention) -> int | None:
    """0 for a town (listed or not), 1 for an unlisted village or community, 2 for a group, 3 for an unlisted
    estate, road or market; None otherwise."""
    if _known_level(m) is PlaceLevel.TOWN:
        return 0
    if m.place is not None or m.parts:
        return None
    if m.level is PlaceLevel.MARKET or (m.level is PlaceLevel.LANDMARK and _INSTITUTION_END.search(m.raw)):
        return 4  # a market, shop, works or firm (谷洲镇黄金采石场, 株木水村世盛工贸公司)
    if m.level in _LOCATED:
        return 3
    if m.level not in (PlaceLevel.TOWN, PlaceLevel.COMMUNITY):
        return None
    return next((rank for end, rank in _UNIT_RANK if m.raw.endswith(end)), None)


def _chains(mentions: list[Mention]) -> dict[int, PlaceRef | None]:
    """Address chains of unlisted places written one after the other (马头桥镇光塘村七组, 谭家塅村凤形组,
    桐山街道杉木桥村, 梅溪桥社区王家冲组, 暮云街道怡海星城): the village, community, estate, road or market with the
    town before it and its group is one place, named as the resident wrote it, with the key of that place alone (a
    group is its village, as a phase is its estate). Index of that place → the chain's place; a group's index →
    None (no place of its own). The town stays a place of its own."""
    out: dict[int, PlaceRef | None] = {}
    i = 0
    while i < len(mentions):
        j, ranks = i, [_unit_rank(mentions[i])]
        while ranks[-1] is not None and j + 1 < len(mentions) and mentions[j + 1].start == mentions[j].end \
                and (rank := _unit_rank(mentions[j + 1])) in _NEXT_RANK.get(ranks[-1], ()):
            j += 1
            ranks.append(rank)
        heads = [k for k, r in zip(range(i, j + 1), ranks, strict=True) if r in (1, 3, 4)]
        if j > i and heads:  # the most specific place is the chain's (a road before a market stays a place)
            head = mentions[heads[-1]]
            level = head.level or PlaceLevel.COMMUNITY
            name = "".join(m.raw for m in mentions[i:j + 1])
            out[heads[-1]] = PlaceRef(name=name, level=level, key=place_key(head.raw, level))
            out.update({k: None for k, r in zip(range(i, j + 1), ranks, strict=True) if r == 2})
        i = j + 1
    return out


def _keyless_before_body(text: str, ref: PlaceRef, before_body: set[tuple[int, int]]) -> PlaceRef:
    """``ref`` without its alert key where it is an unlisted town the letter writes only right before one of its
    bodies (青石镇派出所: the body's key alone, as an address chain has its most specific place's); a town the
    letter also names on its own (…青石镇的治安也很差) keeps its key, and a gazetteer town keeps its id (the
    office's ``exclude_levels`` keeps a whole town from opening cases)."""
    if ref.id is not None or ref.key is None:
        return ref
    n, at = len(ref.name), [i for i in range(len(text)) if text.startswith(ref.name, i)]
    if not at or any((i, i + n) not in before_body for i in at):
        return ref
    return ref.model_copy(update={"key": None})


def _named_key(key: str) -> bool:
    """Whether an unlisted place's key still names one place: not an everyday word of jieba's dictionary once its
    area and community are cut (raw:供销社, raw:商业城, raw:居委会 would gather every county's)."""
    tag = pos_table().get(key.removeprefix("raw:"))
    return tag is None or tag.startswith(("ns", "nr", "nz", "nt"))


#: The endings of an official or a media account's name (宝山发布, 大场融媒, 杭州交警): an addressee, not a place.
_MEDIA = r"(?:发布|融媒体?|新闻|政务|微博|官微|在线|日报|晚报|电视台|广播|公安|城管|交警|网信|文明办?|头条)"
#: An account's handle: an official or a media account's @name (@宝山发布, @杭州西湖发布; a venue's own account,
#: like @上海迪士尼度假区, may name the place talked about), or a name in quotes after 网友 / 网名 / 昵称
#: (网友“祁连山下的小路”).
_HANDLE = re.compile(r"@[^\s@，,。：:！!？?、；;（）()【】\[\]“”\"]{0,16}" + _MEDIA
                     + r"(?=[\s@，,。：:！!？?、；;）)]|$)|"
                     r"(?<=网友|网名|昵称)[：:]?[“\"「『][^”\"」』\n]{1,20}[”\"」』]")


def without_handles(text: str) -> str:
    """``text`` with every account's handle (:data:`_HANDLE`) blanked by ideographic spaces, offsets kept."""
    return _HANDLE.sub(lambda m: "\u3000" * len(m.group(0)), text) if ("@" in text or "网" in text or "昵称" in text) \
        else text


#: Facilities named after the estate or village they serve (大华三村菜场, 联东村幼儿园, 祁连二村停车场).
_NAMED_AFTER_ESTATE = re.compile(r"菜市场|菜场|农贸市场|超市|幼儿园|小学|卫生站|卫生室|停车场|停车库|便利店|药店")
#: ... their level: a market's, else a landmark's.
_NAMED_AFTER_LEVEL = {"菜市场": PlaceLevel.MARKET, "菜场": PlaceLevel.MARKET, "农贸市场": PlaceLevel.MARKET,
                      "超市": PlaceLevel.MARKET}


def _known_level(m: Mention) -> PlaceLevel | None:
    place = m.place or (m.parts[0] if m.parts and m.level is None else None)
    return place.level if place else None


def _ref(place: Place) -> PlaceRef:
    return PlaceRef(id=place.id, name=place.name, level=place.level, grid=place.grid, department=place.department)


def _level_of(raw: str) -> PlaceLevel | None:
    if raw.endswith(("路口", "交叉口", "交汇处")):
        return PlaceLevel.CROSSING
    if re.search(r"\d+\s*(弄|号)", raw) or raw.endswith(("路", "街", "公路", "大道", "弄")):
        return PlaceLevel.ROAD
    if raw.endswith(("菜场", "菜市场", "农贸市场", "市场")):
        return PlaceLevel.MARKET
    if raw.endswith(("小区", "新村", "花园", "公寓", "家园", "苑", "华庭")):
        return PlaceLevel.COMPOUND
    if raw.endswith(RIVER_ENDS):
        return PlaceLevel.RIVER
    if raw.endswith(("村", "社区", "居委会", "村委会")) or re.search(r"村[\d一二三四五六七八九十]+组$", raw):
        return PlaceLevel.COMMUNITY  # as the suffix reader files villages and communities (沈家村, 沈家村三组)
    if raw.endswith(("镇", "乡", "街道")):
        return PlaceLevel.TOWN
    return PlaceLevel.LANDMARK
