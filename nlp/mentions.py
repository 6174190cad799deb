"""Place mentions beyond the gazetteer: roads, lanes, estates, villages, towns, communities, markets, squares,
schools, hospitals, shops and stations named in free text.

A mention is a *stem* (the proper name) followed by a *suffix* of a known kind (路, 小区, 村, 菜市场 …). Both
must sit on word boundaries of the jieba segmentation (村民, 出路, 广场舞 and 家乡 are words, so their 村, 路,
广场 and 乡 are no suffixes). The stem is read leftwards word by word and stops at punctuation, function words,
administrative prefixes (A3区, 宝山区, 镇 …) and words that are not names by their part of speech (verbs,
adverbs, pronouns …; a verb is allowed right before 路/街 when nothing else precedes it: 建设路, 解放路). A
stem in the list of generic qualifiers (公立医院, 该小区, 居民小区, 您反映小区) makes no mention. Each mention
has a normalised :func:`place_key`, so that spellings of one place (锦绣家园 / 锦绣家园小区, 杨坪村村委会 /
杨坪村) give one alert key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from core.model import PlaceLevel

# suffix → level; longest first when matched
_SUFFIXES: dict[str, PlaceLevel] = {}
for _level, _words in (
    (PlaceLevel.ROAD, "路 街 大道 大街 公路 巷 弄 胡同"),
    (PlaceLevel.COMPOUND, "小区 新村 花园 公寓 家园 苑 华庭 山庄 家属区 家属院 宿舍区 安置区 公租房 廉租房"),
    (PlaceLevel.COMMUNITY, "村 社区 居委会 居委 村委会 街道 镇 乡 铺"),
    (PlaceLevel.MARKET, "市场 菜场 菜市场 农贸市场 集贸市场 商场 超市 商城 批发市场"),
    (PlaceLevel.LANDMARK, "广场 公园 景区 小学 中学 大学 学院 幼儿园 医院 卫生院 诊所 酒店 宾馆 饭店 药房 药店 "
                          "旅行社 照相馆 照像馆 火车站 汽车站 客运站 地铁站 高铁站 公交站 码头 大桥 桥 高中"),
):
    for _w in _words.split():
        _SUFFIXES[_w] = _level


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


_BY_LEN = sorted(_SUFFIXES, key=len, reverse=True)
_SUFFIX_RX = re.compile("|".join(map(re.escape, _BY_LEN)))
#: Estate names without a suffix word are recognised by what follows them (嘉悦城业主, 汇金城二期, 凯旋城16栋).
_ESTATE_END = re.compile(
    r"(?:城|园|府|湾|庭|居|公馆|国际|名邸)"
    r"(?=(?:\d+|[一二三四五六七八九十]+)(?:期|栋|幢|号楼|单元)|业主|楼盘|小区|项目|住户|工地)"
)
#: Ordinal schools after a place prefix: K8县一中, 宝山区二中.
_ORDINAL_SCHOOL = re.compile(
    r"(?:[A-Z]\d*|[\u4e00-\u9fff]{2,4})(?:市|县|区|镇)([一二三四五六七八九十]{1,2}中)(?![心国央间午文医药级等专学])"
)
#: Villages' groups (组) only right after a village: 王木村王木组, 滨湖村胡家组.
_GROUP = re.compile(r"村[，,、\s]?([\u4e00-\u9fff]{1,3}组|[一二三四五六七八九十\d]{1,3}组)")
#: A bare 站 names a station only after 从/到/在/至 (从大丰站出发).
_STATION = re.compile(r"(?<=[从到在至往经])([\u4e00-\u9fff]{2,4}?)站(?![长点务台])")
_LOCATIVE = re.compile(r"内|里|门口|旁|附近|入口|出口|边|对面|转弯|周边|西侧|东侧|南侧|北侧|[东南西北]门|一带")
_ROAD_WORDS = frozenset(["路上", "路边", "路旁", "路段", "路面", "路口", "街上", "街边", "街头", "街道上"])
_NOT_STATIONS = ("加油", "治超", "防疫", "车", "网", "基", "服务")
_LANE = re.compile(r"\s*\d+\s*(?:弄|号)(?:\s*\d+\s*(?:号|支弄))?")
_COUNTED = re.compile(r"^[\d一二两三四五六七八九十几百千数]+[步里米条段公个座所家]")
_HAN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_ADMIN_TOKEN = re.compile(r"^(?:[A-Z]\d*|[\u4e00-\u9fff]*(?:省|市|区|县|州))$")
_ADMIN_ONE = set("省市区县镇乡村")
#: Words that end a stem on its left (function words, locatives, discourse words, generic qualifiers).
_STOP_WORDS = _words("""
在 到 去 从 于 和 与 跟 的 了 是 个 我 你 他 她 它 们 这 那 就 都 也 还 又 被 把 让
给 对 向 往 说 要 有 住 及 或 等 为 因 由 至 经 过 将 以 并 而 且 但 如 若 则 即 乃
之 其 此 该 本 各 某 每 全 整 所 一 个 条 座 所 栋 号 处 片 带 位于 位置 地处 附近 周边
旁边 对面 隔壁 门口 楼下 后面 前面 里面 外面 一带 地区 区域 一些 那些 这些 一个 这个 那个 我们
你们 他们 咱们 本人 大家 居民 业主 住户 市民 村民 群众 百姓 老百姓 家长 学生 孩子 小孩 老人
比如 比方 例如 包括 以及 还有 就是 也是 或者 而且 但是 可是 因为 所以 如果 虽然 通过 关于 对于
根据 按照 公立 私立 民办 公办 示范 重点 普通 正规 大型 小型 周围 城区 农村 城市 城镇 乡镇 乡村
当地 本地 外地 全市 全县 全区 全省 全国 各地 各级 各类 这所 那所 一所 一家 这家 那家 所在 所有
其他 其它 最近 硬化 入户 历史文化 县城 市区 校区 今天 昨天 晚上 早上 每天 一条 两条 这条 那条
其中 某些 部分 大部分 一部分 多个 几个 两个 许多 很多 不少 新建 在建 已建 原来 原先 以前 现在
目前 今年 去年 明年 住宅 商品房 安置 保障性 老旧 老 新 大 小 高档 附属 所属 相关 有关 政府
部门 单位 公司 企业 学校 医院 小区 市场 街道 社区 居委会 村委会 反映 投诉 举报 您 请 请问 咨询
希望 要求 建议 恳请 强烈 严重 影响 成立 维护 征求 开发 建设 加强 整顿 解决 确保 留言 变成 成为
当时 上午 下午 中午 凌晨 夜里 夜间 平时 近日 近年 以后 之前 之后 同时 刚才 最后 当天 每年 每月
期间 北起 南至 东起 西至 示范性 区内 市内 县内 镇内 境内 省级 市级 县级 今晚 今早 明天 后天
昨晚 距离 伴随
""")
#: Parts of speech that end a stem (words of two characters or more).
_NOT_NAME_POS = ("v", "d", "p", "c", "u", "r", "q", "y", "e", "o", "a", "m", "l")
_VERB_BEFORE = "进去到回出入下上谋走"
_VERB_ONE = frozenset("上下进去到来回住买找叫称在是有让读念办开现走吐看猜祝跑坐骑拿送接离距")
_NOT_NAME_POS_ONE = ("p", "c", "u", "r", "d", "y", "e", "o")  # single characters
#: Words that belong to names although their part of speech says otherwise (星城实验小学, 第一中学).
_NAME_WORDS = _words("""
实验 第一 第二 第三 第四 第五 第六 第七 第八 第九 第十 外国语 师范 附属 育才 育英 希望 和平
幸福 团结 胜利 解放 建设 光明 红旗 复兴 振兴 繁荣 新华 人民 民主 文化 阳光 春天 明珠
""")
#: Suffixes that are also common nouns (建筑市场, 合格学校, 生态公园): the word before them must not be a common noun
#: unless an administrative prefix comes right before (F5县北门市场, K9县中心医院).
_STRICT = _words("""
高中
市场 商城 商场 学校 大学 学院 公园 景区 医院 广场 中学 小学 幼儿园 超市 码头 大桥 诊所 药房
药店 公寓
""")
#: Whole names that are common nouns, not places.
_GENERIC = _words("""
小区 新村 花园 公寓 家园 街道 社区 居委 市场 菜场 菜市场 农贸市场 广场 公园 小学 中学 大学 学院
学校 幼儿园 医院 卫生院 诊所 马路 道路 公路 大路 小路 大道 大街 小街 街 路 巷 村 镇 乡 超市
商场 酒店 宾馆 饭店 药房 药店 码头 大桥 水泥路 柏油路 高速公路 人民医院 中心医院 中医院 妇幼保健院
卫生室 小卖部 集镇 城乡 家乡 下乡 老乡 农村 乡村 村庄 新农村 美丽乡村 特色小镇 小城镇 快速路 名村
古村 人民广场 文化广场 人民公园 体育场 高速路 国道 省道 县道 乡道 村道 人行道 盲道 车道 步行街
商业街 老街 夜市 菜市 早市 集市 居民小区 住宅小区 商品房小区 安置小区 老旧小区 职工宿舍 家属区
家属院 宿舍区 安置区 公租房 廉租房 民办学校 公办学校 天桥 长路 公交站 车站
""")
_ROADISH = frozenset({PlaceLevel.ROAD})
MAX_STEM = 8


@dataclass(frozen=True)
class RawMention:
    """An unlisted place named in text."""

    start: int
    end: int
    name: str
    level: PlaceLevel
    kind: str  # the suffix word (小区, 村, 医院 …)


POS_FILE = Path(__file__).resolve().parent / "dicts" / "postags.npz"


class _PosTable:
    """jieba's part-of-speech tags of its dictionary words, packed: sorted 64-bit word hashes and a tag index
    (3 MB instead of the 54 MB of ``jieba.posseg``'s dict). Built by :func:`build_pos_table`."""

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.keys = data["keys"]
        self.tags = data["tags"]
        self.names = [str(x) for x in data["names"]]

    @staticmethod
    def key(word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")

    def get(self, word: str, default: str | None = None) -> str | None:
        k = np.uint64(self.key(word))
        i = int(np.searchsorted(self.keys, k))
        if i < len(self.keys) and self.keys[i] == k:
            return self.names[self.tags[i]]
        return default


def build_pos_table(path: Path = POS_FILE) -> Path:
    """Pack jieba's tag table into ``path`` (run when jieba's dictionary changes)."""
    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    names = sorted(set(table.values()))
    index = {n: i for i, n in enumerate(names)}
    pairs = sorted((_PosTable.key(w), index[t]) for w, t in table.items() if len(w) <= 6)
    keys = np.array([k for k, _ in pairs], dtype=np.uint64)
    tags = np.array([t for _, t in pairs], dtype=np.uint8)
    np.savez_compressed(path, keys=keys, tags=tags, names=np.array(names))
    return path


@lru_cache(maxsize=1)
def _pos() -> _PosTable:
    return _PosTable(POS_FILE)


def _is_admin(tok: str) -> bool:
    return bool(_ADMIN_TOKEN.match(tok)) or (len(tok) == 1 and tok in _ADMIN_ONE)


def _tokens(text: str, boundaries: Collection[int]) -> list[tuple[int, int]]:
    """Token spans from sorted boundaries."""
    cuts = sorted({0, len(text), *(b for b in boundaries if 0 <= b <= len(text))})
    return list(pairwise(cuts))


def _stem_start(text: str, spans: list[tuple[int, int]], idx: int, level: PlaceLevel, suffix: str = "") -> int:
    """Where the name before token ``idx`` starts (== its end when there is no name)."""
    pos = _pos()
    end = spans[idx][0] if idx < len(spans) else len(text)
    start = end
    j = idx - 1
    while j >= 0:
        s, e = spans[j]
        tok = text[s:e]
        if not all(_HAN.match(c) for c in tok) or end - s > MAX_STEM:
            break
        if tok in _STOP_WORDS or _ADMIN_TOKEN.match(tok) or (len(tok) == 1 and tok in _ADMIN_ONE):
            break
        tag = pos.get(tok, "")
        if tok in _NAME_WORDS:
            tag = "nz"
        bad = (tag.startswith(_NOT_NAME_POS) if len(tok) > 1 else
               tag.startswith(_NOT_NAME_POS_ONE) or tok in _VERB_ONE)
        if tok[0].isdigit() or (len(tok) == 1 and tok in "年月日号"):
            break
        if tok in _SUFFIXES and start == end and _SUFFIXES[tok] is level and level is not PlaceLevel.COMMUNITY:
            start = s  # 家园小区, 花园小区: one estate
            j -= 1
            continue
        if tok in ("路", "街", "大道") and level is not PlaceLevel.ROAD and start == end:
            start = s  # 幸福路菜场, 育才路小学: named after the road
            j -= 1
            continue
        if tok in _SUFFIXES or (len(tok) > 1 and tok[-1] in "区村镇乡"):
            break  # another place ends here
        if bad and j > 0 and _is_admin(text[spans[j - 1][0]:spans[j - 1][1]]) and start == end:
            start = s  # right after an administrative prefix anything names the place (J市三元酒店)
            break
        if bad and not tag.startswith(("ns", "nr", "nz")):
            # a verb or adjective right before 路/街 names the road (建设路, 解放路, 幸福路) when nothing precedes it
            before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
            first = start == end
            edge = (not before or not _HAN.match(before[-1]) or before in _STOP_WORDS or _ADMIN_TOKEN.match(before)
                    or (len(before) == 1 and before in _ADMIN_ONE))
            if not (first and edge and suffix in ("路", "街") and tag.startswith(("v", "a"))):
                break
            start = s
            break
        if start == end and suffix in _STRICT and len(tok) > 1 and tag.startswith(("n", "vn", "an", "b", "i")) \
                and not tag.startswith(("ns", "nr", "nz", "nt")):
            before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
            if not (_ADMIN_TOKEN.match(before) or (len(before) == 1 and before in _ADMIN_ONE)):
                return end
        start = s
        j -= 1
    return start


def find_mentions(text: str, boundaries: Collection[int]) -> list[RawMention]:
    """Unlisted place mentions in ``text``; ``boundaries``: the token boundaries of its segmentation."""
    spans = _tokens(text, boundaries)
    starts = {s: i for i, (s, _) in enumerate(spans)}
    ends = {e for _, e in spans}
    token_at: dict[int, tuple[int, int]] = {}
    for i, (s, e) in enumerate(spans):
        for k in range(s, e):
            token_at[k] = (i, s)
    out: list[RawMention] = []
    for m in _SUFFIX_RX.finditer(text):
        s, e = m.span()
        suffix = m.group(0)
        # the longest suffix ending on a token boundary (菜市场 over 市场); the suffix itself on boundaries
        road_word = text[s:e + 1] in _ROAD_WORDS and s in starts
        if road_word:
            # 幸福路上, 沪太路边: the road before a locative, if a name precedes it (not 只见路边, 混凝土路面)
            k = starts[s]
            prev = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
            tag = "nz" if prev in _NAME_WORDS else _pos().get(prev, "")
            if len(prev) > 1 and tag and not tag.startswith(("ns", "nz", "nr", "nt")):
                continue
        elif e not in ends and not (s in starts and len(suffix) > 1 and spans[starts[s]][1] - s < len(suffix)):
            continue  # 村民, 广场舞: the suffix is part of a longer word (but 小区 split as 小|区内 counts)
        if s in starts:
            idx = starts[s]
        else:
            i, ts = token_at[s]
            word = text[ts:e]
            c = text[s - 1]
            pair, tag = _pos().get(c + suffix), _pos().get(word, "")
            numbered = tag.startswith("m") and c in "一二三四五六七八九十"  # 枫林一路
            after_admin = i > 0 and _is_admin(text[spans[i - 1][0]:spans[i - 1][1]])
            if ((word in _GENERIC and not after_admin) or c in _VERB_BEFORE
                    or (pair and not pair.startswith(("ns", "m")))
                    or not (tag == "" or tag.startswith("n") or numbered)):
                continue
            if tag == "n" and _SUFFIXES[suffix] not in (PlaceLevel.ROAD, PlaceLevel.COMMUNITY) and not after_admin:
                continue  # a common noun ending in the suffix (便民药房, 森林公园, 马路市场)
            idx = i  # a dictionary word ending in the suffix (人民路, 南村): its own characters are part of the name
            s = ts
        level = _SUFFIXES[suffix]
        if suffix in ("镇", "乡") and text[m.start() - 1:m.start()] in "乡城村集小古本全该各重家下老故异他县":
            continue
        if suffix == "村" and text[e:e + 1] in ("民", "子", "庄", "落", "级", "干", "务"):
            continue
        stem_start = _stem_start(text, spans, idx, level, suffix)
        name = text[stem_start:e]
        if _COUNTED.match(name):
            continue
        at = _LOCATIVE.match(text, e) or text[stem_start - 1:stem_start] in "在到去从至往"
        if suffix in ("市场", "商城") and not at:
            continue  # 建筑市场, 人才市场: a market names a place only where something happens in or at it
        in_word = s != m.start()  # the suffix ends a dictionary word (人民路): that word is part of the name
        if len(name) - len(suffix) < (1 if in_word else 2):
            continue
        if in_word and text[s] in "一二三四五六七八九十" and e - s == 2 and s - stem_start < 2:
            continue  # 枫林一路 is a road, 走一路 is not
        if name in _GENERIC and level is not PlaceLevel.ROAD and stem_start > 0:
            # 中心医院, 人民医院 name one place right after an administrative prefix: K9县中心医院, 宝山区中心医院
            k = next((i for i, (a, b) in enumerate(spans) if b == stem_start), None)
            prev = text[spans[k][0]:stem_start] if k is not None else ""
            before = text[spans[k - 1][0]:spans[k - 1][1]] if k else ""
            if _ADMIN_TOKEN.match(prev) and len(prev) > 1 and not prev.startswith(("我", "本", "该", "全")):
                stem_start = spans[k][0]  # 宝山区中心医院
            elif prev in _ADMIN_ONE and (re.fullmatch(r"[A-Z]\d*", before) or (len(before) >= 2 and _pos().get(
                    before, "ns").startswith("ns"))):
                stem_start = spans[k - 1][0]  # K9县中心医院
            name = text[stem_start:e]
        if name in _GENERIC or name[: -len(suffix)] in _STOP_WORDS:
            continue
        # lanes and numbers: 育才路3号, 沪太路88弄
        tail = _LANE.match(text, e) if level is PlaceLevel.ROAD else None
        if tail and "弄" in tail.group(0):
            name, e = name + tail.group(0).split("号")[0].strip().replace(" ", ""), e + len(tail.group(0))
        out.append(RawMention(stem_start, e, name, level, suffix))
    for rx, level, kind in ((_ESTATE_END, PlaceLevel.COMPOUND, "楼盘"),):
        for m in rx.finditer(text):
            e = m.end()
            if e not in ends:
                continue
            i = next((k for k, (a, b) in enumerate(spans) if a < e <= b), None)
            if i is None:
                continue
            start = _stem_start(text, spans, i + 1, level)
            name = text[start:e]
            if len(name) >= 3 and name not in _GENERIC:
                out.append(RawMention(start, e, name, level, kind))
    for m in _ORDINAL_SCHOOL.finditer(text):
        s = m.start()
        pre = text[s:m.start(1)]
        name = pre + m.group(1) if re.match(r"[A-Z]", pre) or len(pre) <= 4 else m.group(1)
        out.append(RawMention(m.end() - len(name), m.end(), name, PlaceLevel.LANDMARK, "中学"))
    for m in _STATION.finditer(text):
        if m.group(1) not in _STOP_WORDS and not m.group(1).endswith(_NOT_STATIONS):
            out.append(RawMention(m.start(1), m.end(), m.group(1) + "站", PlaceLevel.LANDMARK, "站"))
    for m in _GROUP.finditer(text):
        g = m.group(1)
        if g[:-1] not in _STOP_WORDS and not g.startswith(("小", "工作", "专", "领导")):
            out.append(RawMention(m.start(1), m.end(1), g, PlaceLevel.COMMUNITY, "组"))
    return _non_overlapping(out)


def _non_overlapping(found: list[RawMention]) -> list[RawMention]:
    keep: list[RawMention] = []
    for m in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        if all(m.end <= k.start or m.start >= k.end for k in keep):
            keep.append(m)
    return sorted(keep, key=lambda x: x.start)


_STRIP_TAIL = re.compile(r"(?:小区|居委会|居委|村委会|社区居委会|\d+号|\d+栋)$")


def place_key(name: str, level: PlaceLevel | None = None) -> str:
    """The alert key of an unlisted place: one key for the spellings of one place.

    Full-width characters and spaces are folded, masked or real administrative prefixes (A3区, 上海市宝山区)
    dropped, and generic tails cut (锦绣家园小区 → 锦绣家园, 杨坪村村委会 → 杨坪村, 乾溪居委会 → 乾溪).
    """
    n = unicodedata.normalize("NFKC", name)
    n = re.sub(r"\s+", "", n)
    n = re.sub(r"^(?:[A-Z]\d*(?:省|市|区|县))+", "", n)
    n = re.sub(r"^[\u4e00-\u9fff]{2,3}(?:省|市)(?=[\u4e00-\u9fff]{3})", "", n)
    n = re.sub(r"^[\u4e00-\u9fff]{2,3}区(?=[\u4e00-\u9fff]{3})", "", n)
    while True:
        cut = _STRIP_TAIL.sub("", n)
        if cut == n or len(cut) < 2:
            break
        n = cut
    if n.endswith("村村"):
        n = n[:-1]
    return f"raw:{n}"
