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

import bisect
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable

from core.model import Place, PlaceLevel
from nlp.mention_cues import (
    AREA_OWN,
    INSTITUTION_KINDS,
    _admin_chain,
    _affiliated,
    _after_area,
    _bank_branches,
    _bracketed_firms,
    _branded,
    _chains_and_operators,
    _counted,
    _expressways,
    _listed_estates,
    _named_after_masked,
    _named_as,
    _named_by_context,
    _named_by_dwelling,
    _named_by_ending,
    _named_by_owners,
    _named_twice,
    _own_facilities,
    _there_is,
)
from nlp.mention_members import routes, with_members
from nlp.mention_stems import (
    CITY_PARTS,
    ESTATE_EDGE,
    FUNCTION_CHARS,
    NOT_ADMIN_AREAS,
    STATION_PLACE_ONE,
    SURNAMES,
    TOWN_SQUARES,
    WHICH_ONE,
    RawMention,
    _after_county,
    _common,
    _firm_name,
    _is_admin,
    _name_part,
    _non_overlapping,
    _phrase_tag,
    _plain_start,
    _school_name,
    _stem_start,
    _tokens,
    _trade_start,
    _trim_front,
    counted_before,
    dictionary_road_at,
    own_firm,
    rare_word,
    words_in,
)
from nlp.mention_stems import (
    dictionary_road as named_road_word,
)
from nlp.place_lexicon import (
    ADMIN_FACILITY,
    ADMIN_ONE,
    ADMIN_TOKEN,
    AFFILIATED,
    AFTER_PLACE,
    COMPANY,
    COUNTED,
    ESTATE_END,
    FIRM,
    GENERIC,
    GROUP,
    HAN,
    HIGHWAY,
    HIGHWAY_HINT,
    HIGHWAY_LETTER,
    JOINED_NAME,
    LANE,
    LEAD_ONE,
    LOCATIVE,
    LONGER_NAME_ENDS,
    NAME_WORDS,
    NOT_STATIONS,
    ORDINAL_NOT_AFTER,
    ORDINAL_SCHOOL,
    ORDINAL_VOCATIONAL,
    PARK_TRADES,
    PARKS,
    PHASE,
    RIVER_ENDS,
    ROAD_WORDS,
    SHOP_KIND_WORDS,
    STATION,
    STOP_WORDS,
    SUFFIX_RX,
    SUFFIXES,
    TOWN_ORDINAL_SCHOOL,
    TRADE_QUALIFIERS,
    TRADE_SUFFIXES,
    VERB_BEFORE,
    VERB_ONE,
    WEAK_TRADES,
)
from nlp.postags import pos_table

__all__ = ["RawMention", "find_mentions", "place_key", "town_body_key"]


def find_mentions(text: str, boundaries: Collection[int]) -> list[RawMention]:
    """Unlisted place mentions in ``text``; ``boundaries``: the token boundaries of its segmentation."""
    spans = _tokens(text, boundaries)
    starts = {s: i for i, (s, _) in enumerate(spans)}
    ends = {e for _, e in spans}
    end_at = {e: i for i, (_, e) in enumerate(spans)}  # the word ending at each word end
    token_at: dict[int, tuple[int, int]] = {}
    for i, (s, e) in enumerate(spans):
        for k in range(s, e):
            token_at[k] = (i, s)
    out: list[RawMention] = []
    for m in SUFFIX_RX.finditer(text):
        s, e = m.span()
        suffix = m.group(0)
        # the longest suffix ending on a token boundary (菜市场 over 市场); the suffix itself on boundaries
        road_word = text[s:e + 1] in ROAD_WORDS and s in starts
        if text[s - 2:s] in ("十字", "丁字"):
            continue  # 丁字路口 names no road
        if suffix == "桥" and text[s:e + 1] in _BRIDGE_WORDS and s in starts:
            if (b := _bridge_before(text, spans, starts[s])) is not None:
                out.append(RawMention(b, e, text[b:e], SUFFIXES[suffix], suffix))
            continue
        if road_word:
            # 幸福路上, 沪太路边: the road before a locative, if a name precedes it (not 只见路边, 混凝土路面)
            k = starts[s]
            prev = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
            tag = "nz" if prev in NAME_WORDS else (pos_table().get(prev) or _phrase_tag(prev))  # 严重污染|路面
            named_noun = tag == "n" and len(prev) == 2 and rare_word(prev) \
                and text[s:e + 1] in ("路上", "路口", "路边", "路旁") and prev not in ROAD_KINDS \
                and not prev.endswith(_NOT_ROAD_NAMES) and not _common(prev, by_pos=False) \
                and k > 1 and text[spans[k - 2][1] - 1] in "的在到从沿往经于"  # 城市中心的|广济|路上
            dictionary_road = (road_name_word(prev + "路") or named_road_word(prev)) \
                and text[spans[k - 1][0] - 1:spans[k - 1][0]] != "的"
            if (len(prev) > 1 and tag and not tag.startswith(("ns", "nz", "nr", "nt")) and not named_noun
                    and not dictionary_road) or (len(prev) > 1 and prev.endswith(("路", "街", "大道"))):
                continue  # 黄河路|路口: the road is named before its crossing word, 黄河路路 is none
                # (新时代的|长征|路上: a way, not a road)
        elif e not in ends and not (s in starts and len(suffix) > 1 and spans[starts[s]][1] - s < len(suffix)) \
                and not (s in starts and len(suffix) > 1 and text[e:spans[starts[s]][1]] in AFTER_PLACE) \
                and not (s in starts and suffix in ("镇", "乡") and text[e:spans[starts[s]][1]] in _TOWN_BODIES) \
                and not (suffix == "村" and s in starts and text[e:spans[starts[s]][1]] in ("农民", "居民")) \
                and not (suffix == "村" and s in starts and text[e:spans[starts[s]][1]] == "干部"
                         and _after_town(text, spans, starts[s])):
            continue  # 村民, 广场舞: the suffix is part of a longer word (but 小区|内 split as 小|区内, 小区业主 count)
        if s in starts:
            idx = starts[s]
        else:
            i, ts = token_at[s]
            word = text[ts:e]
            c = text[s - 1]
            if word in _OPENS_A_FIRM:
                continue  # 人民路|开店: opening a shop on the road, no shop's name
            pair, tag = pos_table().get(c + suffix), pos_table().get(word, "")
            numbered = tag.startswith("m") and c in "一二三四五六七八九十"  # 枫林一路
            after_admin = i > 0 and _is_admin(text[spans[i - 1][0]:spans[i - 1][1]])
            town = word == "市镇" and i > 0 and HAN.match(text[s - 2]) and text[spans[i - 1][0]:ts] not in STOP_WORDS
            prev_tok = text[spans[i - 1][0]:spans[i - 1][1]] if i > 0 else ""
            prev_tag = pos_table().get(prev_tok) or ("x" if len(prev_tok) < 2 or not HAN.match(prev_tok[0]) else "")
            before_tok = text[spans[i - 2][0]:spans[i - 2][1]] if i > 1 else ""
            if prev_tok in _ON_A_WAY and SUFFIXES[suffix] is PlaceLevel.ROAD and word[:2] in NAME_WORDS:
                continue  # 踏上|和平路, 迈向|复兴路: a way taken, no road (走上|中山路 is walked)
            named = (SUFFIXES[suffix] is PlaceLevel.MARKET and len(prev_tok) >= 1 and prev_tok.endswith(("路", "街"))
                     and (len(prev_tok) > 1 or (len(before_tok) > 1 and before_tok not in STOP_WORDS))) or \
                (word in NAMED_KINDS and (prev_tok in NAME_WORDS or prev_tag == "" or prev_tag.startswith(
                ("ns", "nr", "nz", "nt")) or (len(prev_tok) == 1 and _name_part(prev_tok) and len(before_tok) > 1
                                             and before_tok not in STOP_WORDS
                                             and (pos_table().get(before_tok) or "n").startswith("n"))
                                        or (word in NAMED_INSTITUTIONS and _single_run(prev_tok, before_tok))))
            # 兴隆|步行街, 皇帝|岭|森林公园, 易俗|河|车站: a place of that kind with a name of its own
            # a road jieba keeps as one word named by a name of its own (民生路, 莲花路, 宝山路: 生路, 花路, 山路 are
            # words) stays whatever its parts
            if not (named and word in NAMED_INSTITUTIONS) and not road_name_word(word) and (
                    (word in GENERIC and not after_admin and suffix not in FIRM and not named) or c in VERB_BEFORE
                    or (pair and not pair.startswith(("ns", "m")) and suffix not in FIRM and not town
                        and not RING_ROAD.fullmatch(word)  # 村民 is no village, 东环路 is a road (环路 a word)
                        and not (tag == "ns" and (SUFFIXES[suffix] is PlaceLevel.TOWN or (
                            SUFFIXES[suffix] is PlaceLevel.ROAD and _named_road(word[:-len(suffix)])))))
                    # 溪口镇 (口镇 a word), 中山路 and 朝阳路 (山路 and 阳路 words): a dictionary place name whose
                    # name is a name of its own (not 英雄末路, 修桥铺路, 黄土路, 三岔路, 上坡路: idioms, kinds of road)
                    or not (tag == "" or tag.startswith("n") or numbered)):
                continue
            if (tag == "n" and SUFFIXES[suffix] not in (PlaceLevel.ROAD, PlaceLevel.COMMUNITY, PlaceLevel.TOWN)
                    and not after_admin and not named and suffix not in FIRM
                    and word not in TOWN_SQUARES):
                continue  # a common noun ending in the suffix (便民药房, 森林公园, 马路市场; but 三禾|烧烤店, 人民广场)
            if (pos_table().get(text[ts:spans[i][1]]) or "").startswith(("r", "p", "c", "d", "u")) or WHICH_ONE.match(
                    word):
                continue  # 此前|该片|区: the suffix began inside a pronoun or function word; 整条路: which road
            idx = i  # a dictionary word ending in the suffix (人民路, 南村): its own characters are part of the name
            s = ts
        level = SUFFIXES[suffix]
        if suffix == "弄" and not text[m.start() - 1:m.start()].isdigit():
            continue  # a lane is numbered (沪太路88弄); 编造谎言弄人 is a verb
        if suffix in ("镇", "乡") and text[m.start() - 1:m.start()] in "乡城村集小古本全该各重家下老故异他县" and not (
                text[m.start() - 1:m.start()] == "家" and text[m.start() - 2:m.start() - 1] in SURNAMES
                and text[m.start() - 3:m.start() - 2] not in "老我你他她回在"):
            continue  # 老家镇上, 回家乡 (but 肖家镇, 王家乡: a surname's 家 names many towns)
        if suffix == "村" and text[e:e + 1] in ("民", "子", "庄", "落", "级", "干", "务", "医") and not (
                text[e:e + 2] in ("医改", "医保") and e in starts) and not (
                text[e:e + 2] == "干部" and s in starts and _after_town(text, spans, starts[s])):
            continue  # 村民, 村医 (but 长江村|医改 is the village's health reform)
        if suffix == "铺" and text[e:e + 1] in ("贴", "设", "装", "开", "满", "面", "位", "张", "垫"):
            continue  # 大理石铺贴, 铺设: the verb 铺
        stem_start = _stem_start(text, spans, idx, level, suffix)
        if level is PlaceLevel.TOWN and suffix in ("镇", "乡") and stem_start < s:
            stem_start = _town_front(text, spans, stem_start, s, s != m.start())
            if stem_start is None:
                continue
        if suffix in PARKS and stem_start < s and all(w in PARK_TRADES for w in words_in(text, spans, stem_start, s)) \
                and not (stem_start > 0 and _is_admin(text[spans[bisect.bisect_left(spans, (stem_start, -1)) - 1][0]:
                                                            stem_start])):
            continue  # 全县|农业开发区: the trade alone names no park (but A市|经济开发区 is the city's)
        if suffix == "学校" and not _school_name(text, spans, stem_start, s):
            continue  # 假期学校, 谢谢学校, 交资料时学校: a school needs a name of its own
        traded = None
        legal = bool(_LEGAL_FORM.search(suffix))  # 有限公司 …: trade words before it follow a name (宏远|化工|有限公司)
        if suffix in TRADED and stem_start == s and s == m.start():
            traded = stem_start = _trade_start(text, spans, idx, legal) or s  # 远达|新材料|稀土|厂: trades after a name
        if suffix in TRADE_SUFFIXES and ((e in starts and text[spans[starts[e]][1] - 1] in LONGER_NAME_ENDS
                                          and text[spans[starts[e]][0]:spans[starts[e]][1]] not in AFTER_PLACE)
                                         or JOINED_NAME.match(text, e)):
            continue  # 建筑|建材|管理站, 德邦|物流|公司, 中国物流与采购联合会: the trade word is inside a longer name
        if suffix in FIRM:  # a shop or works needs a name of its own (三禾烧烤店, not 夜宵烧烤店 or 这家店)
            last = text[spans[end_at[s]][0]:s] if s in end_at else ""
            # a legal form's name found before its trade words keeps its adjective (宏远): only function words go
            cut = _plain_start(text, spans, stem_start, s, last, lead_pos=not (legal and traded == stem_start)) \
                if stem_start < s else None
            if cut is None and suffix in TRADED and traded is None and s == m.start():
                traded = cut = _trade_start(text, spans, idx, legal)  # K市|达果|汽车贸易|有限公司
            first = text[cut:spans[starts[cut]][1]] if cut in starts else ""
            if cut is None or s - cut < 2 or (pos_table().get(first) or "").startswith("t"):
                continue  # 夜宵|烧烤店: a time word is no name
            if suffix in SHOP_KIND_WORDS and cut in starts and counted_before(text, spans, starts[cut]):
                continue  # 那个|英语|培训中心, 开了个|美甲|工作室: a kind of shop, no name
            if suffix in COMPANY and traded != cut and (s != m.start() or not _firm_name(text, spans, cut, s)):
                continue  # 出租车公司, 前期物业公司, 能纵容公司: a company needs a name of its own
            stem_start = cut
        name = text[stem_start:e]
        if suffix in TRADE_SUFFIXES and text[stem_start:s] in TRADE_QUALIFIERS:
            continue  # 冷链物流, 电竞网吧: a kind of trade, no firm
        if suffix in WEAK_TRADES and not own_firm(text, spans, stem_start, s, e):
            continue  # 中小学教育, 下半年教育, 高新科技: a kind of teaching or trade, no firm
        if (counted := COUNTED.match(name)) and (len(name) - counted.end() <= len(suffix) or _counted(
                name[:-len(suffix)]) or _counted(text[stem_start:s])):
            continue  # 两个小区, 三条街, 一千多个铺 (but 七里山社区, 五里牌镇 are names)
        opens = (stem_start == 0 or text[stem_start - 1] == "\n") and not _common(text[stem_start:s]) and not (
            pos_table().get(text[stem_start:s]) or "").startswith("j")  # a subject line opening with the market
        at = LOCATIVE.match(text, e) or opens or (stem_start > 0 and text[stem_start - 1] in "在到去从至往")
        if suffix in ("市场", "商城") and not at and not (s == m.start() and _school_name(text, spans, stem_start, s)):
            continue  # 建筑市场, 人才市场: a market names a place where something happens in or at it, or by a name
        in_word = s != m.start()  # the suffix ends a dictionary word (人民路): that word is part of the name
        if suffix in _AREA_MARKETS and stem_start > 0:
            # K县|农贸市场, 城关镇|菜市场, 丰收|路|农贸市场: the market of that county, town or road
            front = next((o.start for o in out if o.end == s and o.level is PlaceLevel.ROAD), None)
            if front is None and name == suffix:
                front = _market_area(text, spans, end_at, s)
            if front is not None:
                stem_start, name = front, text[front:e]
        if len(name) - len(suffix) < (1 if in_word else 2) or name == "市镇":
            continue
        if in_word and text[s] in "一二三四五六七八九十" and e - s == 2 and s - stem_start < 2:
            continue  # 枫林一路 is a road, 走一路 is not
        if (name in GENERIC or name in TOWN_SQUARES) and level is not PlaceLevel.ROAD and stem_start > 0:
            # 中心医院, 人民医院 name one place right after an administrative prefix: K9县中心医院, 宝山区中心医院
            k = end_at.get(stem_start)
            prev = text[spans[k][0]:stem_start] if k is not None else ""
            before = text[spans[k - 1][0]:spans[k - 1][1]] if k else ""
            if ADMIN_TOKEN.match(prev) and len(prev) > 1 and not prev.startswith(("我", "本", "该", "全")) \
                    and prev[0] not in LEAD_ONE and prev[0] not in VERB_ONE \
                    and prev[-2:] not in NOT_ADMIN_AREAS:  # not 桃矿|社区|中心卫生院
                stem_start = spans[k][0]  # 宝山区中心医院
            elif prev in "县市区州" and (re.fullmatch(r"[A-Z]\d*", before) or (len(before) >= 2 and pos_table().get(
                    before, "ns").startswith("ns"))):
                stem_start = spans[k - 1][0]  # K9县中心医院
            name = text[stem_start:e]
        if level is PlaceLevel.ROAD and (name[: -len(suffix)] in ROAD_KINDS or (
                (kinds := words_in(text, spans, stem_start, s)) and kinds[-1] in ROAD_KINDS
                and all(_common(w) for w in kinds))):
            continue  # 断头路, 机耕路, 上坡路, 泥巴|沙子|路: a kind of road, no road's name
        if stem_start in starts and stem_start < s and (pos_table().get(
                text[stem_start:spans[starts[stem_start]][1]]) or "").startswith("r"):
            continue  # 哪个|社区, 这个|小区: a pronoun names no place
        if name in GENERIC or (name[0] in LEAD_ONE and name[1:] in GENERIC) or (
                name[: -len(suffix)] in STOP_WORDS
                and not dictionary_road_at(text, spans, stem_start, m.start(), suffix)) \
                or name.endswith(("自然村", "行政村")) or _GRADE.sub("", name) in GENERIC:
            continue  # 5A|级|旅游度假区, 国家级旅游度假区, AAAA级旅游度假区: a grade is no name
        # lanes and numbers: 育才路3号, 沪太路88弄
        tail = LANE.match(text, e) if level is PlaceLevel.ROAD else None
        if tail and "弄" in tail.group(0):
            name, e = name + tail.group(0).split("号")[0].strip().replace(" ", ""), e + len(tail.group(0))
        out.append(RawMention(stem_start, e, name, PlaceLevel.OTHER if suffix in COMPANY else level, suffix))
    estates = {x.end for x in out if x.level is PlaceLevel.COMPOUND}
    for rx, level, kind in ((ESTATE_END, PlaceLevel.COMPOUND, "楼盘"),
                            (_STRONG_ESTATE_END, PlaceLevel.COMPOUND, "楼盘")):
        for m in rx.finditer(text):
            e = m.end()
            if e not in ends or (text.startswith("小区", e) and e + 2 in estates):
                continue  # 梅园|小区: the estate with its suffix is read already
            i = _span_over(spans, e)
            if i is None:
                continue
            whole = spans[i][0] == m.start()  # the ending is a word of its own (江山|一品): the stem precedes it
            start = _plain_start(text, spans, _stem_start(text, spans, i if whole else i + 1, level), e,
                                 text[spans[i][0]:e])
            if start is None or text[start:e].endswith("政府"):
                continue  # 县政府南面: 府 ends a government, not an estate
            name = text[start:e]
            if len(name) >= 3 and name not in GENERIC and not (whole and start == spans[i][0]):
                out.append(RawMention(start, e, name, level, kind))
    out.extend(_masked_inside(text, spans, starts, ends))
    out.extend(_named_by_context(text, spans, ends))
    out.extend(_named_by_dwelling(text, spans, ends))
    out.extend(_named_by_ending(text, spans, ends))
    out.extend(_named_twice(text, spans, ends))
    out.extend(_named_by_owners(text, spans, ends, starts))
    out.extend(_named_after_masked(text, spans, ends, [m.end for m in out if m.level is PlaceLevel.ROAD], starts))
    out.extend(_there_is(text, spans, ends, starts))
    out.extend(_named_as(text))
    out.extend(_listed_estates(text, spans, ends))
    out.extend(_branded(text))
    out.extend(_chains_and_operators(text, spans, starts, ends))
    out.extend(_bracketed_firms(text, spans))
    out.extend(_affiliated(text, spans, out))
    for m in ADMIN_FACILITY.finditer(text):
        pre, start = m.group(1), m.start()
        while not re.match(r"[A-Z]", pre) and len(pre) > 3 and (
                pre[0] in ADMIN_ONE or pre[0] in LEAD_ONE or start not in starts
                or (start + 1 in starts and _lead_char(pre[0]))):
            pre, start = pre[1:], start + 1  # 县白仓镇 → 白仓镇, 到永安镇 → 永安镇, 九疑|石潭镇, 位|泷泊镇
        if m.group(2) in TOWN_FACILITIES and pre[-1] not in "镇乡" and not (
                pre[-1] == "县" and m.group(2) in ("中学", "初级中学", "高级中学")):
            continue  # a town's 中学 (and a county's) is one school; A市小学 are all the city's primary schools
        if not re.match(r"[A-Z]", pre) and (set(pre[:-1]) & (LEAD_ONE | VERB_ONE) or pre[-2] in "乡镇城村"):
            continue  # 送往县人民医院, 到市中心医院: a verb and a bare 县 or 市, no name of a place
        if m.group(2).endswith("公司") and not re.match(r"[A-Z]", pre) and not (
                start in starts and (pos_table().get(pre[:-1]) or "").startswith("ns")):
            continue  # a county's utility by a county's name (宁乡县自来水公司), not 户按县自来水公司
        if re.match(r"[A-Z]", pre) or (pre[:-1] not in STOP_WORDS and not STOP_WORDS & {pre[:1], pre[:2]}
                                       and not set(pre) & set("有是在的了和处为全各本该")
                                       and not any(_lead_word(w) for w in words_in(text, spans, start, m.start(2)))):
            out.append(RawMention(start, m.end(), text[start:m.end()], PlaceLevel.LANDMARK, m.group(2)))
    for m in PHASE.finditer(text):
        i = _span_over(spans, m.start())
        if i is None or spans[i][1] != m.start():
            continue  # the phase must follow a whole word (东方美景|二期), not sit inside one
        raw = _stem_start(text, spans, i + 1, PlaceLevel.COMPOUND)
        # 长沙县|梅溪|二期3号楼, H4县|枫林|二期: a short name right after a county or city (listed, read by its
        # suffix or masked), before a block or owners; not a common word (H4县|人民|二期, 长沙县|故事|二期)
        short = m.start() - raw == 2 and _after_county(text, spans, raw) \
            and not set(text[raw:m.start()]) & _NOT_SHORT and _short_name(text[raw:m.start()]) \
            and re.match(r"(?:\d+|[A-Z])(?:栋|幢|号楼|单元)|业主|的业主", text[m.end():m.end() + 4]) is not None
        start = raw if short else _plain_start(text, spans, raw, m.start(), text[spans[i][0]:spans[i][1]])
        if start is None:
            continue
        stem = text[start:m.start()]
        if (len(stem) >= 3 or short) and stem not in GENERIC \
                and not stem.endswith(("项目", "工程", "一", "第", "线", "路")):  # H4县故事二期3号楼: a short name
            out.append(RawMention(start, m.end(), text[start:m.end()], PlaceLevel.COMPOUND, "期"))
    for m in (*ORDINAL_SCHOOL.finditer(text), *ORDINAL_VOCATIONAL.finditer(text)):
        if (a := _school_area(text, spans, starts, m.start(), m.start(1))) is not None:
            out.append(RawMention(a, m.end(), text[a:m.end()], PlaceLevel.LANDMARK, "中学"))
    out.extend(_bare_ordinal_schools(text, spans))
    out.extend(_sights(text, spans))
    for m in _METRO.finditer(text):
        g = m.group(1)
        if g not in GENERIC and g not in _NOT_STATION_NAMES and not set(g) & FUNCTION_CHARS \
                and g[0] not in "口站上下里内外边旁到坐乘去往" and (not _common(g) or _LANDMARK_STATION.search(g)) \
                and (m.group(0).startswith("地铁") or (m.start(1) in starts and m.end(1) in ends and (
                    len(words := words_in(text, spans, m.start(1), m.end(1))) == 1
                    or (len(words) == 2 and words[1] in STATION_PLACE_ONE)))):
            # 坐地铁到|终点站, 地铁|换乘站: no name; 会展中心站: a landmark's; after a line alone, one word or a
            # word and the bridge, bay or village it names (2号线|会展中心|站, 7号线|顾家|桥|站; not
            # 1号线|换乘|通道|站满了人)
            out.append(RawMention(m.start(), m.end(), m.group(0), PlaceLevel.LANDMARK, "站"))  # 地铁沙湾公园站
    out.extend(_waters(text, spans))
    out.extend(_family_villages(text, spans, starts, ends))
    for m in TOWN_ORDINAL_SCHOOL.finditer(text):
        if not set(m.group(1)[:2]) & set("的了在是和与我你他这那各每该全本") and not (
                pos_table().get(m.group(1)[:2]) or "").startswith(_NO_TOWN_POS):  # 今年|一中, 只有|一中
            out.append(RawMention(m.start(1), m.end(1), m.group(1), PlaceLevel.LANDMARK, "中学"))
    for m in STATION.finditer(text):
        g = m.group(1)
        if m.start(1) in starts and g not in STOP_WORDS and not g.endswith(NOT_STATIONS) and g[0] not in ADMIN_ONE \
                and not _common(g[-2:]) \
                and not set(g) & set("了不的是也都就还又没得"):  # 到了不得不站出来; 至今|电站: 今 begins no word
            out.append(RawMention(m.start(1), m.end(), m.group(1) + "站", PlaceLevel.LANDMARK, "站"))
    for m in GROUP.finditer(text):
        g = m.group(1)
        if g[:-1] not in STOP_WORDS and not g.startswith(("小", "工作", "专", "领导")):
            out.append(RawMention(m.start(1), m.end(1), g, PlaceLevel.COMMUNITY, "组"))
    trimmed = [t for t in (_trim_front(text, spans, m) for m in out)
               if t is not None and not _lone_word(text, spans, t)]
    chain = _admin_chain(text, spans)
    trimmed.extend(_highways(text))
    units = [(m.start, m.end) for m in (*chain, *trimmed) if m.level in (PlaceLevel.TOWN, PlaceLevel.COMMUNITY)
             and m.kind in _UNIT_KINDS]
    trimmed.extend(_after_area(text, spans, units, starts, end_at))
    trimmed.extend(_expressways(text, spans))
    trimmed.extend(_bank_branches(text, spans))
    trimmed.extend(_own_facilities(text, spans))
    trimmed.extend(routes(text, spans))
    roads = (_estate_corner(text, _whole_road(text, spans, m)) for m in _non_overlapping(trimmed, chain))
    found = [_with_branch(text, spans, ends, _with_group(text, spans, end_at, _with_campus(
        text, _with_section(text, ends, _with_house(text, m))))) for m in roads if not _bare_side(m)]
    return _one_firm_once(with_members(text, spans, found) if "是" in text else found)


#: Verb-object words that end in a shop's or works' kind (开店, 开厂, 进厂 …; jieba tags several nouns): an act, no
#: place of that kind.
_OPENS_A_FIRM = frozenset(["开店", "开厂", "建厂", "办厂", "开馆", "闭馆", "进厂", "出厂", "回厂", "关店", "进店",
                           "到店"])


#: Verbs before a road jieba keeps as one word, named by a name word, that make it a way taken, not a road
#: (踏上和平路, 迈向复兴路); 走上, 走向 and 走出 are as often walked (出了小区走上和平路就是菜市场).
_ON_A_WAY = frozenset(["踏上", "迈上", "迈向", "走好"])


#: A bridge word jieba joins to the locative after it (南门|桥下, 解放|桥下, 老街|桥头): the bridge is named before it.
_BRIDGE_WORDS = frozenset(["桥下", "桥边", "桥底", "桥头", "桥洞", "桥旁", "桥上"])


def _bridge_before(text: str, spans: list[tuple[int, int]], k: int) -> int | None:
    """Where the name of a bridge before the bridge-and-locative word ``k`` starts (南门|桥下: a place name; 解放|桥下:
    a verb opening a clause that jieba's dictionary knows as a road's name, 解放路 nz), or None (只见|桥下,
    打扫|桥下)."""
    if k == 0:
        return None
    ps, pe = spans[k - 1]
    prev = text[ps:pe]
    if len(prev) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in prev) or prev in STOP_WORDS or _is_admin(prev):
        return None
    tag = "nz" if prev in NAME_WORDS else (pos_table().get(prev) or "")
    if tag.startswith(("ns", "nz", "nr", "nt")) or (not tag and _named_road(prev)):
        return ps
    before = text[spans[k - 2][0]:spans[k - 2][1]] if k > 1 else ""
    edge = not before or not HAN.match(before[-1]) or before in ("在", "到", "从", "往", "去", "沿", "经过")
    return ps if tag in ("v", "vn") and edge and named_road_word(prev) else None  # not 只见|桥下, 打扫|桥下


#: Endings of an estate's name that no road is named by before its corner (锦绣华庭|路口, 金色家园|路口).
_CORNER_ESTATE = re.compile(r"[\u4e00-\u9fff]{2,}(?:小区|华庭|家园|新村|公寓|花园|雅苑|华苑)$")


def _estate_corner(text: str, m: RawMention) -> RawMention:
    """A road read as an estate's name and 路 before 口 (锦绣华庭路口, 东方花园路口): the corner of the estate, so the
    estate (its key joins the estate's other posts), not a road nobody named."""
    if m.level is not PlaceLevel.ROAD or m.kind != "路" or text[m.end:m.end + 1] != "口" \
            or not _CORNER_ESTATE.fullmatch(estate := m.name[:-1]):
        return m
    return RawMention(m.start, m.end - 1, estate, PlaceLevel.COMPOUND, estate[-2:])


#: A mask inside an estate's name: the data set masked a 县, 市 or 区 the name held (逸臣G7县小区, 南浦M9县城小区),
#: the estate word right after it.
_MASK_IN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,2}(?:县城|[市县区])(小区|花园|家园|新村|公寓)")


def _masked_inside(text: str, spans: list[tuple[int, int]], starts: dict[int, int],
                   ends: Collection[int]) -> list[RawMention]:
    """Estates whose name the masking cut with an area (逸臣G7县小区, 南浦M9县城小区): a name of two characters or
    more (a place's name or characters jieba does not know, opened by a preposition of place) right before the mask,
    the estate word right after it; the mask alone before an estate word is the area's (G7县小区 names none)."""
    out = []
    for m in _MASK_IN_NAME.finditer(text) if re.search(r"[A-Z]", text) else ():
        a, e = m.start(), m.end()
        if a not in starts or e not in ends or a == 0:
            continue
        stem = _stem_start(text, spans, starts[a], PlaceLevel.COMPOUND, m.group(1))
        name = text[stem:a]
        if len(name) < 2 or not all(HAN.match(c) for c in name) or set(name) & FUNCTION_CHARS:
            continue
        out.append(RawMention(stem, e, text[stem:e], PlaceLevel.COMPOUND, m.group(1)))
    return out


def _one_firm_once(found: list[RawMention]) -> list[RawMention]:
    """``found`` without a firm named by its trade (天成实业, 湖天教育, 耶思教育) where the same text names it by a
    longer form that holds its own name (天成实业集团有限公司, 湖天中学, 新耶思教育培训学校): one place, one
    mention."""
    out = []
    for m in found:
        traded = m.kind in TRADE_SUFFIXES and m.name.endswith(m.kind)
        own = _AREAS_FRONT.sub("", m.name)[:-len(m.kind)] if traded else ""
        trade = own + m.kind
        if len(own) >= 2 and any(o.name != m.name and o.kind not in TRADE_SUFFIXES and (
                trade in o.name or (m.kind == "教育" and own in o.name and o.kind in SCHOOL_KINDS)) for o in found):
            continue  # (but 艺流美发 and 艺流七店, 氏周蜡业 and 氏周蜡烛厂: a branch or another works)
        out.append(m)
    return out


_AREAS_FRONT = re.compile(r"^(?:[A-Z]\d*(?:省|市|区|县|州))+")
#: Schools by whose name a teaching firm of that name is the school (湖天中学 and 湖天教育).
SCHOOL_KINDS = frozenset(["学校", "小学", "中学", "高中", "大学", "学院", "幼儿园"])




#: Towns, villages and communities after which a works or firm is named (谷洲镇|黄金采石场, 株木水村|世盛工贸公司).
_UNIT_KINDS = frozenset(["镇", "乡", "街道", "办事处", "村", "社区"])


def _bare_side(m: RawMention) -> bool:
    """A side of a road without its name (学校|南路口, 沿着|北路): no place, and as a key it would join unrelated
    letters (every 南路 of a town)."""
    return m.level is PlaceLevel.ROAD and len(m.name) == 2 and m.name[0] in "东南西北中" and m.name[1] == "路"


def _named_road(stem: str) -> bool:
    """The word before 路 in a road jieba tags as a place (中山|路, 朝阳|路) is a name of its own, not a kind of road
    (上坡路, 盘山路, 黄土路, 三岔路) or part of an idiom (英雄末路, 修桥铺路); a distinguishing word (远大|路) and two
    characters jieba does not know (南新|路, 京顺|路) name it too."""
    tag = pos_table().get(stem) or ""
    return stem not in ROAD_KINDS and (tag.startswith(("ns", "nr", "nz", "b")) or (not tag and len(stem) == 2))


def road_name_word(word: str) -> bool:
    """A road jieba's dictionary lists as one word (民生路, 莲花路, 宝山路, 吉林路): three characters, a noun seen
    rarely (a road's name, not 下坡路, 回头路, 走弯路 or 外电路, which it sees often), named by a noun or a name that
    is no kind of road (水泥路, 石头路) or of place (公园路口 is the park's corner) and not a word for a line, trick or
    pattern (新线路, 老套路, 花纹路). A name word before 路 names a road however often jieba saw it and whatever its
    part of speech (和平路, 文化路, 建设路). Not 跃进路 or 光复路, which jieba tags as set phrases: they are as often
    a way of life (走好光复路)."""
    from nlp.segment import default_segmenter  # jieba's frequencies, loaded with the segmenter

    table = pos_table()
    return (len(word) == 3 and word.endswith("路") and word[:2] not in ROAD_KINDS and word[1:] not in _NO_ROAD_PAIRS
            and word[:2] not in SUFFIXES and word[:2] not in GENERIC  # 公园路口, 公园路上: the park's, no road
            and (table.get(word) or "").startswith("n") and (word[:2] in NAME_WORDS or (
                (table.get(word[:2]) or "").startswith("n") and default_segmenter().word_freq(word) <= ROAD_WORD_FREQ)))


#: The most times jieba's dictionary saw a road's own word (民生路 2, 宝山路 3; 人生路 7, 下坡路 17, 水泥路 9).
ROAD_WORD_FREQ = 3
_NO_ROAD_PAIRS = frozenset(["线路", "套路", "纹路", "电路", "思路", "门路", "销路", "通路"])
#: Kinds of road, some jieba tags as places (上坡路, 盘山路) or reads as a verb's road (断头路), and a metaphor's road
#: (爱情路): no road's name.
ROAD_KINDS = frozenset(["上坡", "下坡", "山坡", "盘山", "环山", "爬坡", "陡坡", "断头", "机耕", "水泥", "柏油", "石子",
                        "砂石", "沙石", "泥巴", "泥土", "黄土", "沙土", "土石", "乡间", "田间", "林间", "单行", "双行",
                        "三岔", "三叉", "丁字", "步行", "火车", "沥青", "沥清", "碎石", "石板", "沙子", "泥沙", "石头",
                        "砾石", "煤渣", "渣油", "斜坡", "主干", "次干", "人行", "小马", "爱情"])
#: Institutions that name no road before a bare side (学校|南路口, 医院|北路段: the crossing or stretch by them);
#: stations, squares, parks and estates do (车站北路, 广场东路, 花园北路 are roads named after them).
_NOT_ROAD_NAMES = ("学校", "医院", "公司", "商场", "政府", "小学", "中学", "大学", "学院", "幼儿园", "单位", "工厂",
                   "厂", "超市", "银行", "市场", "饭店", "酒店", "宾馆", "卫生院", "诊所", "社区", "小区", "机关",
                   "法院")


def _whole_road(text: str, spans: list[tuple[int, int]], m: RawMention) -> RawMention:
    """A road read as a bare side (北路, 西路) whose name is the word before it (建设|北路, 解放|西路: a word the stem
    reader stopped at), if that word is a noun, a verbal noun or unknown: the whole road."""
    if not _bare_side(m) or m.start == 0:
        return m
    k = bisect.bisect_left(spans, (m.start, -1)) - 1
    if k < 0 or spans[k][1] != m.start:
        return m
    prev = text[spans[k][0]:spans[k][1]]
    tag = pos_table().get(prev) or ""
    if len(prev) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in prev) \
            or _is_admin(prev) or prev[-1] in "镇乡村区县市" or tag not in ("", "n", "vn", "nz", "ns", "nr") \
            or (prev.endswith(_NOT_ROAD_NAMES) and not tag.startswith(("ns", "nr", "nz"))):
        return m  # 作为|南路, 在|北路: no name; 学校|南路口, 医院|北路段: a road by a place, not named after it
    return RawMention(spans[k][0], m.end, prev + m.name, m.level, m.kind)


#: A firm's branch after the firm's name: the areas it serves and a name of its own, then a branch word
#: (命生人寿保险公司G市分公司, 中国移动B市分公司, 中国移动营业厅); 公司 alone only right after areas (…电网F5县公司).
_BRANCH = re.compile(r"((?:[A-Z]\d*(?:省|市|县|区|州))+|[\u4e00-\u9fff]{2,3}?(?:省|市|县|区))?([\u4e00-\u9fff]{0,4}?)"
                     r"(分公司|支公司|营业厅|营业部|营业所|门诊部|分店|项目部|经营部|办事处|供电所|分院|公司)")
_FIRM_ENDS = ("公司", "集团", "电网", "移动", "联通", "电信", "铁通")
#: Words that open no branch's own name (下属分公司, 旗下门店, 各地分公司, 该营业厅).
_NOT_BRANCH_NAME = ("下属", "旗下", "所属", "各", "其", "该", "本", "子", "总")
_NOT_BRANCH_POS = ("v", "d", "p", "c", "r", "u", "m", "q", "t", "f")


def _with_branch(text: str, spans: list[tuple[int, int]], ends: Collection[int], m: RawMention) -> RawMention:
    """A firm found before its branch (中国移动B市分公司, 中国联通A市分公司, 命生人寿保险公司G市分公司): the branch is
    the place, where residents are served and complain. The branch's own name holds no function word and
    no word of two characters or more that is a verb, adverb, pronoun, count, time or locative (公司|下属|分公司,
    公司|在|B市的|分公司 are no branch); the branch word ends a word."""
    if not (m.name.endswith(_FIRM_ENDS) or m.kind == "品牌") or (b := _BRANCH.match(text, m.end)) is None \
            or b.end() not in ends:
        return m
    area, own, kind = b.group(1) or "", b.group(2), b.group(3)
    if (kind == "公司" and (own or not area)) or own.startswith(_NOT_BRANCH_NAME) or set(own) & FUNCTION_CHARS \
            or own in STOP_WORDS or any((pos_table().get(w) or "").startswith(_NOT_BRANCH_POS)
                                        for w in words_in(text, spans, b.start(2), b.end(2)) if len(w) > 1):
        return m
    return RawMention(m.start, b.end(), text[m.start:b.end()], m.level, kind)


#: A school's campus or branch after its name (藕塘小学夷江校区, 理工大学云塘校区, 永安学校巴江分校).
_CAMPUS = re.compile(r"([\u4e00-\u9fff]{1,4}?)(?:校区|分校)")
_SCHOOL_ENDS = ("小学", "中学", "学校", "学院", "大学", "完小")


def _with_campus(text: str, m: RawMention) -> RawMention:
    """A school with its campus or branch written after it (藕塘小学|夷江校区): the campus is the place; not a
    side or a function word (学校|这个校区, 学校|新校区 keeps 新: a campus's own name), nor a phrase: no word of two
    characters or more inside it is a verb, adverb, preposition or conjunction (大学|准备办|分校, 中学|搬迁|校区)."""
    if not m.name.endswith(_SCHOOL_ENDS) or (c := _CAMPUS.match(text, m.end)) is None \
            or set(c.group(1)) & FUNCTION_CHARS or c.group(1) in STOP_WORDS \
            or any((pos_table().get(c.group(1)[i:j]) or "").startswith(("v", "d", "p", "c"))
                   for i in range(len(c.group(1))) for j in range(i + 1, len(c.group(1)) + 1) if j - i > 1):
        return m
    return RawMention(m.start, c.end(), m.name + c.group(0), m.level, m.kind)


def _with_house(text: str, m: RawMention) -> RawMention:
    """A road with the house number written after it (枫林三路706号): the address as written; its key is the road."""
    if m.level is not PlaceLevel.ROAD or not m.name.endswith(("路", "街", "道", "巷")) \
            or (house := _HOUSE.match(text, m.end)) is None:
        return m
    return RawMention(m.start, house.end(), m.name + house.group(1), m.level, m.kind)


def _with_group(text: str, spans: list[tuple[int, int]], end_at: dict[int, int], m: RawMention) -> RawMention:
    """A school of an area with the name of the school group that runs it written before the area
    (长郡A5区外国语学校, 雅礼K3县实验中学): the group's name is part of the school's. The name is two characters
    jieba does not join (长|郡; not a surname's 李|明) or a word tagged as a firm's or other name, and nothing but
    punctuation, a line's start or a preposition of place is before it."""
    if not m.kind.endswith(("学校", "中学", "小学", "学院", "大学", "幼儿园")) or not _MASKED_FRONT.match(m.name) \
            or (k := end_at.get(m.start)) is None or not re.search(r"[A-Z]", text[m.start:m.start + 1]):
        return m
    first = text[spans[k][0]:spans[k][1]]
    if len(first) == 2:
        start, tag = spans[k][0], pos_table().get(first) or ""
        if not tag.startswith(("nz", "nt")) or first in STOP_WORDS:
            return m
    elif len(first) == 1 and k > 0 and (spans[k - 1][1] - spans[k - 1][0] == 1 or (
            text[spans[k - 1][0]:spans[k - 1][1]] in ("市长", "县长", "区长") and k > 1
            and _MASKED_FRONT.fullmatch(text[spans[k - 2][0]:spans[k - 1][0] + 1]))):
        start = spans[k][0] - 1  # A|市长|郡: jieba joined the city's 市 and the group's first character
        pair = text[start:spans[k][1]]
        if set(pair) & (FUNCTION_CHARS | VERB_ONE | LEAD_ONE) or pair[0] in SURNAMES or any(
                (pos_table().get(c) or "").startswith(_NOT_GROUP_POS) for c in pair):
            return m
    else:
        return m
    before = text[start - 1:start]
    if start > 0 and HAN.match(before) and before not in _RUN_BEFORE and not _AREA_BEFORE.search(text, 0, start):
        return m  # (A市长郡A5区外国语学校: the city before the group is the group's home)
    return RawMention(start, m.end, text[start:m.end], m.level, m.kind)


_NOT_GROUP_POS = ("v", "p", "c", "d", "r", "m", "q", "u", "f", "t")
_AREA_BEFORE = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,2}[市县区]$")
_MASKED_FRONT = re.compile(r"[A-Z]\d{0,2}[市县区]")
_RUN_BEFORE = frozenset("在读到去上念进考是")


def _with_section(text: str, ends: Collection[int], m: RawMention) -> RawMention:
    """A road with the stretch of it in a place written after it (天易大道易俗河段, 灰虞公路潭市段, 蒙华铁路A9市段):
    the stretch as written; its key is the road. The place is a masked area or a word jieba tags as a place, or two
    or three characters ending in a place's character (易俗河, 潭市); not 这段, 北段, 施工段, 路段."""
    if m.level is not PlaceLevel.ROAD or (sec := _SECTION.match(text, m.end)) is None or sec.end() not in ends:
        return m
    place = sec.group(1)
    if not place[0].isascii() and (set(place) & FUNCTION_CHARS or not (
            (pos_table().get(place) or "").startswith("ns") or (
                place[-1] in _SECTION_PLACE_ENDS and not (pos_table().get(place[:-1]) or "").startswith(
                    ("v", "d", "p", "c", "r", "m", "q", "t", "f"))))):
        return m
    return RawMention(m.start, sec.end(), text[m.start:sec.end()], m.level, m.kind)


_SECTION = re.compile(r"([A-Z]\d{0,2}[市县区]|[\u4e00-\u9fff]{2,3})段(?!时间|日子)")
_SECTION_PLACE_ENDS = frozenset("河市县区镇乡村桥湖江山岭冲坪湾")


#: A house number after a road (幸福路12号), not a line, a building, an exit, a date or a time (3号线, 8号楼, 3号口,
#: 12号晚上, 5号开始, 12号那天).
_HOUSE = re.compile(r"\s*(\d{1,5}号)(?!线|车|楼|口|公交|晚|早|上午|下午|中午|凌晨|起|开始|前|后|左右|当天|"
                    r"当日|那天|这天|之前|以后|[\d至到-])")
#: Characters that open no short estate name after a county (H4县|的|二期, 长沙县|第|二期).
_NOT_SHORT = frozenset("的了在是和与及或我你他她这那们就也还又被把让给对向往说要有很最已将该此其每各某个不没第")


def _short_name(stem: str) -> bool:
    """Two characters that may name an estate on their own: a proper name or a word jieba does not know (梅溪,
    中山), not a common word (人民, 故事, 发展)."""
    tag = pos_table().get(stem) or ""
    return not tag or tag.startswith(("ns", "nr", "nz", "nt"))


#: A grade before a kind of place (国家级, 省级, 5A级, 国家AAAA级): it names no place of its own.
_GRADE = re.compile(r"^(?:国家|省|市|县)?(?:[1-5]A|A{1,5})?级")
#: Parts of speech of the two characters before an ordinal school that name no town (今年, 只有, 还有, 包括, 目前).
_NO_TOWN_POS = ("t", "c", "v", "r", "d", "p", "m", "b")
def _school_area(text: str, spans: list[tuple[int, int]], starts: dict[int, int], s: int, a: int) -> int | None:
    """Where the area that names a numbered school begins (K5县|三小, 宝山区|二中, 住在|宝山区|二中 → 宝山区): a
    masked area, or the longest name of two characters or more before 县 / 市 / 区 / 镇 that starts a word and
    holds no function word, pronoun or verb (我是|县|三小, 考上|县一中: a bare 县 names no school); else None."""
    if re.match(r"[A-Z]", text[s:a]):
        return s
    for c in range(s, a - 2):
        if c not in starts or set(text[c:a - 1]) & _NOT_SHORT:
            continue
        first = text[c:min(spans[starts[c]][1], a - 1)]
        if not (pos_table().get(first) or pos_table().get(text[c:spans[starts[c]][1]]) or "").startswith(
                _NO_TOWN_POS):
            return c
    return None


#: An ordinal school by its number alone, as residents of a county write it (一中已开始补课, 县二中偏偏不怕,
#: 六中顶风而行): a word of its own (jieba's 一中, 县一中), not a grade (初一|中学生, 高二|中途), a plenum (六中全会)
#: nor a court (二中院), nor the One China of politics (一中原则, 一中各表; 一中原址 is the school).
_BARE_ORDINAL = re.compile(r"[县市镇]?[一二三四五六七八九十]{1,2}中")
_NOT_AFTER_ORDINAL = re.compile(r"[全院队途旬期部段" + ORDINAL_NOT_AFTER + r"]|原则|各表|框架|政策")  # 一中各表
_NOT_BEFORE_ORDINAL = frozenset("第届初高年级其之唯统万这那每某哪一二三四五六七八九十")


def _bare_ordinal_schools(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Ordinal schools named by their number alone (一中, 六中, 四|完小), after a bare 县 / 市 / 镇 (县|二中,
    镇|三中), or after the name of their town or city (城关|一中, 洪|桥|一中, 卲|东|五|完小)."""
    out = []
    if not _ORDINAL_HINT.search(text):
        return out
    for i, (s, e) in enumerate(spans):
        k = i
        if text[s:e] == "完小" and i > 0 and e - spans[i - 1][0] == 3 and text[spans[i - 1][0]] in _ORDINALS:
            s, k = spans[i - 1][0], i - 1  # 五|完小
        elif not _BARE_ORDINAL.fullmatch(text[s:e]) or _NOT_AFTER_ORDINAL.match(text, e):
            continue
        prev = text[spans[k - 1][0]:s] if k > 0 else ""
        if prev in ("县", "市", "镇") and e - s <= 3 and text[s] not in "县市镇":
            s, k = spans[k - 1][0], k - 1
            prev = text[spans[k - 1][0]:s] if k > 0 else ""
        if prev and (prev[-1] in _NOT_BEFORE_ORDINAL or prev[-1].isdigit()
                     or (pos_table().get(prev) or "").startswith(("m", "q"))
                     or (len(prev) == 1 and (pos_table().get(prev) or "").startswith("nr")
                         and not _single_run(prev, text[spans[k - 2][0]:spans[k - 2][1]] if k > 1 else ""))):
            continue  # 第|一中, 十八届|六中全会, 初|一中: a count or a grade; 副县长肖|六中: a person
        if text[s] not in "县市镇" and k > 0:
            if len(prev) >= 2 and (pos_table().get(prev) or "").startswith(("ns", "nz")) and prev not in STOP_WORDS \
                    and not _is_admin(prev) and prev[-1] not in "省市县区":
                s = spans[k - 1][0]  # 城关|一中, 长沙|一中: the town or city names its school
            elif k > 1 and _single_run(prev, before := text[spans[k - 2][0]:spans[k - 2][1]]) and not (
                    k > 2 and _single_run(before, text[spans[k - 3][0]:spans[k - 3][1]])):
                s = spans[k - 2][0]  # 洪|桥|一中, 卲|东|五|完小: a name jieba cut into characters
        out.append(RawMention(s, e, text[s:e], PlaceLevel.LANDMARK, "中学"))
    return out


_ORDINALS = frozenset("一二三四五六七八九十")
_ORDINAL_HINT = re.compile(r"[一二三四五六七八九十]中|完小")


#: Facilities that one town has one of (石潭镇中学, 黄龙镇幼儿园), not a city or county.
TOWN_FACILITIES = frozenset(["中学", "小学", "幼儿园", "完小", "中心完小", "初级中学", "高级中学"])


def _lead_word(w: str) -> bool:
    """A word of two characters or more that is no part of a town's or city's name (支持, 关于, 我们)."""
    return len(w) > 1 and w not in NAME_WORDS and (pos_table().get(w) or "").startswith(("v", "d", "p", "c", "r", "u"))


def _lead_char(c: str) -> bool:
    """A single character that begins no place name before a town (位, 道, 占: measure words, verbs; numerals do:
    九疑山乡)."""
    return c in VERB_ONE or c in STOP_WORDS or (pos_table().get(c) or "").startswith(("q", "v", "p", "d", "r", "c"))


def _town_front(text: str, spans: list[tuple[int, int]], start: int, s: int, in_word: bool = False) -> int | None:
    """Where a town's name begins: a common word that jieba tags a noun before a proper name is no part of it
    (责令|安江镇, 死因|安江|镇政府, 责令|安平镇 with jieba's 安平镇); None where the name is one common word after an
    adverb or pronoun (一直|电话|乡政府: the verb 电话, no town)."""
    toks = words_in(text, spans, start, s)
    while len(toks) >= 2 and len(toks[0]) > 1 and _common(toks[0]) and len(toks[1]) > 1 \
            and (pos_table().get(toks[1]) or "ns").startswith(("ns", "nz", "nr")):
        start += len(toks.pop(0))
    if in_word and len(toks) == 1 and len(toks[0]) > 1 and _common(toks[0]) and start + len(toks[0]) == s:
        k = bisect.bisect_left(spans, (s, -1))
        if k < len(spans) and spans[k][1] - spans[k][0] >= 3 \
                and (pos_table().get(text[spans[k][0]:spans[k][1]]) or "").startswith("ns"):  # not 大平|圩镇
            return s  # 责令|安平镇: the dictionary's town alone
    if len(toks) == 1 and _common(toks[0]) and start > 0:
        k = bisect.bisect_left(spans, (start, -1))
        prev = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
        if (pos_table().get(prev) or "").startswith(("d", "r")):
            return None
    return start


#: Endings that name estates wherever they stand (雄森豪庭不应该…, 在圣力华苑, 江南华府): two characters no common
#: word ends in, unlike 城, 园 or 中心 (ESTATE_END needs owners, a block or a side after those).
_STRONG_ESTATE_END = re.compile(r"(?:豪庭|华府|名邸|公馆|首府|府邸|御府|帝景|御景|名都|雅苑|华苑|佳苑|名苑|尚品)"
                                r"(?![\u4e00-\u9fff]{0,1}(?:小区|花园|路|街|酒店|宾馆|公司|集团|物业))")
#: A metro station by its name (地铁沙湾公园站, 地铁2号线橘子洲站): the whole span, so a park or square in the
#: station's name is not read alone.
_LINE = r"[一二三四五六七八九十\d]+号线"
_METRO_FRONT = rf"(?:地铁(?:{_LINE})?|{_LINE})"  # 地铁, 地铁4号线, 4号线: what says a station is the metro's
_STAND = "着了满到起住稳岗票在立成队好"  # 站 as "stand": 一路站到底, 站满了人, 站岗 (not 站出口)
_METRO = re.compile(rf"{_METRO_FRONT}([\u4e00-\u9fff]{{2,6}}?)站(?![长点务台{_STAND}])")
#: A crossing of two roads as written (长江路与复兴路交叉口, 复兴路长江路口).
_TWO_ROADS = re.compile(r"(.+?(?:路|街|大道))(?:与|和|跟|/|、|交)?(.+?(?:路|街|大道))"
                        r"(?:交叉口|交汇处|十字路口|丁字路口|路口|口)")
#: The metro's words before a station's name, which its key leaves out (地铁4号线会展中心站 → 会展中心站).
_METRO_KEY_FRONT = re.compile(rf"{_METRO_FRONT}(?=[\u4e00-\u9fff]{{2}})")
#: A station named after a landmark (会展中心站, 人民医院站): a common word with a landmark's ending.
_LANDMARK_STATION = re.compile(r"(?:中心|广场|公园|医院|大学|学院|中学|小学|体育馆|博物馆|图书馆|火车站|机场)$")
#: Kinds of station, not a station's name (地铁换乘站, 地铁始发站); common words (终点, 施工) are out by their tag.
_NOT_STATION_NAMES = frozenset(["换乘", "始发", "中转", "起点", "终点", "首末", "临时"])
#: Temples, pagodas and former residences: a sight by a name of its own (杨公庙, 回龙塔, 唐智生故居; not 金字塔 or
#: 铁塔, common words in GENERIC; 峰 ends too many given names: 陈晓峰).
_SIGHTS = frozenset(["庙", "寺", "殿", "塔", "故居", "祠堂"])
#: What continues a sight's name into a longer place's (太子庙|镇, 白塔|路, 寺前|村 are read by their own suffix).
_AFTER_SIGHT = re.compile(r"[镇乡村组路街巷桥站]|小学|中学|社区|居委|公园|景区|风景区|广场|市场|大道")


def _named_kinds(text: str, spans: list[tuple[int, int]], kinds: Collection[str], after: re.Pattern[str],
                 lone_start: Callable[[str, list[tuple[int, int]], int, str], int | None],
                 dictionary_name: Callable[[str], bool], *, not_names: Collection[str] = frozenset(),
                 runs_on: bool = False) -> list[RawMention]:
    """Landmarks by a name of their own before a kind word (sights, rivers and hills): a token ending in one of
    ``kinds`` that no longer place's suffix follows (``after``: 白塔|路, 东湖|小区) and that is no common word
    (GENERIC, ``not_names``), either the kind alone after its name (``lone_start`` finds where the name starts, or
    None) or a dictionary word of three characters (``dictionary_name`` says whether it names one place); with
    ``runs_on``, not where the kind runs on into another name (中国|湖|山|诗书画院: a noun of one character follows)."""
    if not any(k in text for k in kinds):
        return []
    out = []
    for i, (a, b) in enumerate(spans):
        tok = text[a:b]
        kind = next((k for k in kinds if tok.endswith(k)), None)
        if kind is None or after.match(text, b) or tok in GENERIC or tok in not_names:
            continue
        if runs_on and i + 1 < len(spans) and spans[i + 1][1] - spans[i + 1][0] == 1 and (
                pos_table().get(text[b:b + 1]) or "").startswith(("n", "ng")):
            continue  # 中国|湖|山|诗书画院, 云集|河|蓬: the kind runs on into another name
        if tok == kind:
            start = lone_start(text, spans, i, kind)
            if start is None:
                continue
        elif len(tok) == 3 and dictionary_name(tok):
            start = a  # 东岳庙, 捞刀河: jieba's dictionary names the place
        else:
            continue
        name = text[start:b]
        if name in GENERIC or set(name) & FUNCTION_CHARS or not all("\u4e00" <= c <= "\u9fff" for c in name):
            continue
        out.append(RawMention(start, b, name, _RIVER_KINDS.get(kind, PlaceLevel.LANDMARK), kind))
    return out


def _sight_start(text: str, spans: list[tuple[int, int]], i: int, kind: str) -> int | None:
    """Where the name of a sight whose kind is a word of its own starts: its stem, without the common words before
    it (陪|同学|参观|王守仁故居); None where no name of its own is left (信号|塔, 这座|庙)."""
    a = spans[i][0]
    start = _stem_start(text, spans, i, PlaceLevel.LANDMARK, kind)
    toks = words_in(text, spans, start, a)
    while len(toks) > 1 and a - start - len(toks[0]) >= 2 and (
            (len(toks[0]) > 1 and _common(toks[0])) or (len(toks[0]) == 1 and (
            pos_table().get(toks[0]) or "").startswith(("v", "p", "d", "c", "r", "u")))):
        start += len(toks.pop(0))  # 陪|同学|参观|王守仁故居: verbs and common words before the name
    if start >= a or (len(toks) == 1 and (len(toks[0]) < 2 or _common(toks[0]))):
        return None  # 信号|塔, 这座|庙: no name of its own
    return start


def _sights(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Temples, pagodas, halls and former residences by a name of their own (杨|公|庙, 回龙|塔, 东岳庙, 唐智生故居):
    the kind word is a word of its own or ends a dictionary word of three characters or more, not a common word
    (金字塔, 铁塔, 宫殿), and no longer place's suffix follows it; common words before the name are no part of it
    (同学|参观|唐智生故居)."""
    return _named_kinds(text, spans, _SIGHTS, _AFTER_SIGHT, _sight_start, lambda tok: not _common(tok))


#: Rivers, lakes and hills by a name of their own (楚江河, 云兴湖, 莲花山, 捞刀河): what residents say is polluted,
#: dug or built on.
_WATERS = ("河", "江", "湖", "山", "浜", "港", "塘", "泾")  # 浜, 港, 塘, 泾: the waters of the lower Yangtze
#: ... named only by the kind alone after a name (云龙|港, 孙家|浜): jieba's words of three characters ending in them
#: are ports, cities and sayings (避风港, 深水港, 防城港, 洋泾浜)
_LONE_WATERS = ("浜", "港", "塘", "泾")
_PORT_KINDS = frozenset(["内河", "深水", "枢纽", "集装箱", "货运", "客运", "出海", "沿海", "海运", "渔业"])
#: Common words of that shape (sayings jieba tags as places, 信口开河, 三座大山, have four characters: out by length).
_NOT_WATERS = frozenset(["走江湖", "老江湖", "护城河", "排水河", "人工湖",
                         "排洪河"])
#: What continues a river's or hill's name into a longer place's (岳麓山|路, 湘江|大道, 东湖|小区, 浏阳河|大桥).
_AFTER_WATER = re.compile(r"[镇乡村组路街巷桥站庄寺庙区县市]|小学|中学|社区|居委|公园|景区|广场|市场|大道|大桥|小区"
                          r"|花园|新村|水库|湿地|国家|风光带|沿岸|大堤|堤|电站|医院|宾馆|酒店|宿舍|公司|集团|厂")


def _market_area(text: str, spans: list[tuple[int, int]], end_at: dict[int, int], at: int) -> int | None:
    """Where the county, city, district or town written right before a market at ``at`` starts (K|县|农贸市场,
    宝山区|菜市场, 城关镇|菜市场), or None: no area of its own (我区, 郊区, 城区, 新区, 各县区, 小镇, 各乡镇)."""
    k = end_at.get(at)
    if k is None:
        return None
    prev = text[spans[k][0]:at]
    if prev[-2:] in NOT_ADMIN_AREAS or prev[-2:] in CITY_PARTS:
        return None
    if _after_county(text, spans, at):
        return spans[k - 1][0] if prev in ("市", "县", "区") else spans[k][0]
    if len(prev) >= 3 and prev.endswith(("镇", "乡", "街道")) and prev not in GENERIC and prev not in STOP_WORDS \
            and prev[0] not in "各每这那本该全我":
        return spans[k][0]
    return None


#: Markets that are common nouns alone and one place after their county, town or road (K县农贸市场, 城关镇菜市场,
#: 丰收路农贸市场); not 市场, 超市 or 商场, which are as often the trade (城关镇的超市).
_AREA_MARKETS = frozenset(["菜场", "菜市场", "农贸市场", "集贸市场", "批发市场"])
#: Villages named by a family: a surname, 家 and a settlement word (王家屯, 孙家庄, 周家湾, 何家嘴); 塘 is a water's
#: (:func:`_waters`), 楼, 店 and 门 are no settlement's (老李家楼下).
_FAMILY_VILLAGE = re.compile(f"[{''.join(sorted(SURNAMES))}]家[屯庄湾寨营嘴洼沟坪冲垅岭坝集岗坡峪洲畈垸堡铺圩]")


#: What follows a verb, not a village (张家冲出来, 李家屯了粮食, 刘家屯着煤, 马家嘴上说得好听).
_COMPLEMENTS = frozenset("了着过出上下起进回掉住到来去得")
#: Cities of that shape.
_FAMILY_CITIES = frozenset(["石家庄"])


def _family_villages(text: str, spans: list[tuple[int, int]], starts: dict[int, int],
                     ends: Collection[int]) -> list[RawMention]:
    """Villages named by a family (王家屯, 孙家庄, 马家湾自然村) on word bounds (not 王家|集资, 陈家|桥头), not a family
    called by its elder (老王家湾), not a verb (张家冲出来) and not a name that goes on into a longer place (李家坪|村:
    the village reader names it). Filed as villages (kind 村), as the gazetteer files 沈家村."""
    out = []
    for m in _FAMILY_VILLAGE.finditer(text):
        s, e = m.span()
        if s not in starts or e not in ends or text[s - 1:s] in ("老", "小") or text[e:e + 1] in _COMPLEMENTS or (
                e in starts and text[e:spans[starts[e]][1]] in SUFFIXES) or m.group(0) in _FAMILY_CITIES:
            continue  # 张家冲|出来, 李家屯|了, 马家嘴|上: a family's doings; 石家庄 is a city
        out.append(RawMention(s, e, m.group(0), PlaceLevel.COMMUNITY, "村"))
    return out


def _water_start(text: str, spans: list[tuple[int, int]], i: int, kind: str) -> int | None:
    """Where the name of a river, lake or hill whose kind is a word of its own starts: the word before it, a name
    of two characters or more that is no common word, verb, person or count (大|山, 高|山, 这座|山, 张三|山: None)."""
    if i == 0:
        return None
    pa, pb = spans[i - 1]
    prev = text[pa:pb]
    if kind == "港" and prev in _PORT_KINDS:
        return None  # 内河|港, 深水|港: a kind of port
    if len(prev) == 2 and prev[1] == "家" and prev[0] in SURNAMES and kind != "山":
        return pa  # 孙家|浜, 周家|浜, 杨家|河: a family's water (jieba reads 孙家 as a person, 周家 as a noun)
    if len(prev) < 2 or _common(prev) or not all("\u4e00" <= c <= "\u9fff" for c in prev) \
            or (pos_table().get(prev) or "").startswith(("nr", "t", "m", "f", "s")) or prev in STOP_WORDS:
        return None
    return pa


#: The waters of :func:`_waters` that are rivers, as the suffix reader and the gazetteer call them (杨家浜, 捞刀河).
_RIVER_KINDS = dict.fromkeys(RIVER_ENDS, PlaceLevel.RIVER)


def _waters(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Rivers, lakes and hills by a name of their own (排入楚江河, 云兴湖, 莲花山): a dictionary name of three
    characters or more ending in 河 / 江 / 湖 / 山 (jieba's 捞刀河, 浏阳河), or the kind as a word of its own after a
    name of two characters (莲花|山, 云兴|湖) that is no common word, verb or person; not before a longer place's
    suffix (岳麓山路, 东湖小区)."""
    return _named_kinds(text, spans, _WATERS, _AFTER_WATER, _water_start, lambda tok: (
        pos_table().get(tok) or "").startswith(("ns", "nz")) and not _common(tok, by_pos=False)
        and not tok.endswith(_LONE_WATERS),  # 避风港, 深水港, 洋泾浜: words of a port or a saying
        not_names=_NOT_WATERS, runs_on=True)


def _after_town(text: str, spans: list[tuple[int, int]], k: int) -> bool:
    """Whether the word before token ``k`` is a name right after a town or county (平溪乡|大木|村干部): then 村 ends
    that village's name even where jieba joined it to 干部 (the village's cadres)."""
    if k < 2:
        return False
    prev, before = text[spans[k - 1][0]:spans[k - 1][1]], text[spans[k - 2][0]:spans[k - 2][1]]
    return len(prev) >= 2 and rare_word(prev) and prev not in STOP_WORDS and not (
        pos_table().get(prev) or "").startswith(("r", "v", "d", "m", "t", "f")) and (
        before.endswith(("乡", "镇", "街道")) or _is_admin(before))


#: Words jieba joins onto a town's 镇 / 乡 (白田|镇政府, 王家|乡政府, 白田|镇党委): the town still ends there.
_TOWN_BODIES = frozenset(["政府", "人民政府", "党委", "党委政府"])
#: Ring roads (东环路, 二环路): 环路 is a common word, but with its side or number before it a road's name.
RING_ROAD = re.compile(r"[东南西北内外中一二三四五]环路")
#: Kinds of street, park and shop that are common words alone and places with a name before them (兴隆步行街,
#: 皇帝岭森林公园, 沙坪大药房).
_NAMED_PLACE_KINDS = frozenset(["步行街", "商业街", "美食街", "小吃街", "酒吧街", "老街", "森林公园", "湿地公园",
                                "生态公园", "体育公园", "文化公园", "主题公园", "国家森林公园", "大药房", "加油站",
                                "车站"])
#: Institutions and works whose kind is one dictionary word (东阳|中心小学, 柏|家|坪|中心医院, 天|旺|屠宰场): a
#: place with a name of its own before it, a proper name or a run of single characters jieba could not join.
NAMED_INSTITUTIONS = frozenset(["中心医院", "中心小学", "中心学校", "实验学校", "实验小学", "实验中学", "屠宰场",
                                "采石场", "养猪场", "养殖场", "搅拌站", "高新区", "经开区"])
#: Both: a kind that needs a name of its own before it.
NAMED_KINDS = _NAMED_PLACE_KINDS | NAMED_INSTITUTIONS


def _single_run(prev: str, before: str) -> bool:
    """Two single characters before a kind word that are no function word, verb or count (柏|家|坪, 天|旺): a
    name jieba could not join."""
    return all(len(c) == 1 and "\u4e00" <= c <= "\u9fff" and c not in FUNCTION_CHARS and _name_part(c, in_run=True)
               for c in (prev, before))


#: Works and companies whose name may hold trade words before the suffix (远达新材料稀土厂).
TRADED = frozenset(["厂", "公司", "有限公司", "集团", "集团有限公司", "股份有限公司", "有限责任公司", "集团公司"])
#: Kinds whose word also ends common phrases (物业小区, 绿色家园, 关心社区, 顶楼花园).
_WORDY_KINDS = frozenset(["小区", "社区", "居委会", "家园", "花园", "新村", "家属区", "公寓", "廉租房", "公租房"])
#: Words after which a one-word stem still names the place (和|竹园新村, 我们|机床厂家属区).
_LONE_EDGE = frozenset(["和", "与", "及", "跟", "我们", "我", "我家", "咱们", "请问"])


def _lone_word(text: str, spans: list[tuple[int, int]], m: RawMention) -> bool:
    """An estate or community whose stem is one common dictionary word (产生|小区, 物业|小区, 绿色|家园, 关心|社区) in
    the middle of a clause: a word of the sentence, not a name. Such a stem names a place only at a clause's start,
    after a district or after 住在 / 位于 (，电信小区, K2区|邮电|小区, 住在|机床|小区)."""
    if m.kind not in _WORDY_KINDS:
        return False
    toks = words_in(text, spans, m.start, m.end - len(m.kind))
    if len(toks) != 1 or len(toks[0]) < 2 or toks[0] in NAME_WORDS:
        return False
    tag = pos_table().get(toks[0]) or ""
    if not tag or tag.startswith(("ns", "nr", "nz", "nt")):
        return False
    k = bisect.bisect_left(spans, (m.start, -1))
    prev = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
    return bool(prev) and HAN.match(prev[-1]) is not None and not prev[-1].isdigit() and not (
        _is_admin(prev) or prev in ESTATE_EDGE or prev in _LONE_EDGE or prev.endswith((*SUFFIXES, "号", "弄"))
        or (pos_table().get(prev) or "").startswith(("ns", "f")))


def _highways(text: str) -> list[RawMention]:
    """Numbered highways and rural roads (207国道, 国道207线, G207, 省道S212, X041县道)."""
    out: list[RawMention] = []
    if HIGHWAY_HINT.search(text) is None:
        return out
    for m in HIGHWAY.finditer(text):
        name = re.sub(r"\s+", "", m.group(0))
        kind = next((k for k in HIGHWAY_LETTER if k in name), "公路")
        out.append(RawMention(m.start(), m.end(), name, PlaceLevel.ROAD, kind))
    return out


def _highway_key(name: str) -> str | None:
    """G207 for every spelling of one numbered road (207国道, 国道207线, G207公路); None for other names."""
    m = _HIGHWAY_NAME.fullmatch(name)
    if m is None:
        return None
    letter = (m.group(2) or "").upper() or HIGHWAY_LETTER.get(m.group(1) or m.group(4) or "")
    return f"{letter}{m.group(3)}" if letter else None


_HIGHWAY_NAME = re.compile(r"(国道|省道|县道|乡道)?([GSXYgsxy])?(\d{1,4})(国道|省道|县道|乡道|高速公路|高速|公路)?线?")
_STRIP_TAIL = re.compile(r"(?:小区|\d+号|第?(?:\d{1,2}|[一二三四五六七八九十]{1,2})期"
                         r"|第?(?:\d+|[A-Z]|[一二三四五六七八九十]{1,3})(?:栋|幢|号楼|单元|座|区))$")
#: A firm's legal form (有限公司, 股份有限公司, 有限责任公司, 集团有限公司, 集团公司): one firm with or without it.
_LEGAL_FORM = re.compile(r"(?:集团(?:有限)?公司|(?:股份)?有限(?:责任)?公司)$")
_LEGAL_INSIDE = re.compile(r"(?:股份)?有限(?:责任)?公司(?=.)")
#: A firm's trade and its legal form (天润实业控股公司, 天成实业集团) or a school's (耶思教育培训学校): the firm's
#: short trade form (天润实业, 耶思教育) is the same place.
_TRADE_FORM = re.compile("^([\u4e00-\u9fff]{2,}?(?:" + "|".join(TRADE_SUFFIXES)
                         + "))(?:(?:控股)?(?:集团|公司)|控股|(?<=教育)培训(?:学校|中心|机构))$")
#: 人民 in a court's or procuratorate's name (K1区人民法院 = K1区法院; 中级人民法院 = 中级法院 stays another court).
_PEOPLES = re.compile(r"人民(法院|检察院)$")
#: A bank's full and short names (中国人民银行 = 人行, 中国建设银行 = 建设银行 = 建行): one key for one branch.
_BANK_SHORT = {"人民银行": "人行", "工商银行": "工行", "农业银行": "农行", "建设银行": "建行", "银行": "中行",
               "交通银行": "交行", "邮政储蓄银行": "邮储银行", "人行": "人行", "工行": "工行", "农行": "农行",
               "建行": "建行", "中行": "中行", "交行": "交行", "邮储银行": "邮储银行"}
_BANK_NAME = re.compile("中国(?:人民|工商|农业|建设|邮政储蓄)?银行|" + "|".join(
    sorted((k for k in _BANK_SHORT if k != "银行"), key=len, reverse=True)))
#: A bank's branch with an area and a name of its own (工行K市城北支行): the name, as after the area (工行城北支行).
_BANK_OWN = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:[A-Z]\d*(?:省|市|区|县|州))+"
                       r"(?=[\u4e00-\u9fff]{2,6}(?:分行|支行|营业部|分理处|储蓄所|营业所|网点)$)")
#: A park's long and short names (高新技术开发区 = 高新区, 经济技术开发区 = 经济开发区 = 经开区, 工业园区 = 工业园).
_PARK_SHORT = {"高新技术产业开发区": "高新区", "高新技术开发区": "高新区", "经济技术开发区": "经开区",
               "经济开发区": "经开区", "工业园区": "工业园"}
_PARK_FOLD = re.compile("(?:" + "|".join(sorted(_PARK_SHORT, key=len, reverse=True)) + ")$")
_MAX_TAILS = 8  # tails cut at most (锦绣家园小区2期5栋 has three)
_COMMITTEE = re.compile(r"(?:社区居委会|居委会|居委)$")
#: A village's committee is its village (红星村委会, 红星村委 → 红星村; 杨坪村村委会 → 杨坪村村 → 杨坪村).
_VILLAGE_COMMITTEE = re.compile(r"村委会?$")
#: The words for a wet market are one kind (翠湖菜场 = 翠湖菜市场 = 翠湖农贸市场); 市场 alone stays (建材市场).
_WET_MARKET = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:菜场|菜市场?|农贸市场|农副产品市场)$")
#: 马路 after a road's name of its own is the road (桃源马路 = 桃源路; not 大马路, 二马路).
_HORSE_ROAD = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![一二三四五六七八九十大小新老字])马路$")


def _span_over(spans: list[tuple[int, int]], x: int) -> int | None:
    """Index of the word (sorted ``spans``) with ``a < x <= b``, found by bisection; None if none."""
    k = bisect.bisect_left(spans, (x, -1)) - 1
    return k if k >= 0 and spans[k][0] < x <= spans[k][1] else None


def _cut_tails(n: str) -> str:
    """``n`` without the tails that name the same place (小区, phases, blocks, buildings; a village's 委会 or 委)."""
    for _ in range(_MAX_TAILS):  # a name of thousands of 小区 is cut a few times, not thousands
        cut = _STRIP_TAIL.sub("", _VILLAGE_COMMITTEE.sub("村", n))
        if cut == n or len(cut) < 2:
            return n
        n = cut
    return n


#: Kinds of institution whose name, when it holds only trade words, is named by its area (临沂市特殊教育学校,
#: 宁波市科技信息研究院, C市阀门厂): the area stays in the key.
_TRADE_KINDS = re.compile("(?:" + "|".join(INSTITUTION_KINDS) + ")$")


def _trade_only(n: str) -> bool:
    """``n`` is an institution whose name before its kind word is dictionary words of two characters or more and
    no proper name (科技信息|研究院, 阀门|厂, 第三|建筑|公司; not 锐达机电|公司, 康原肾病|专科医院)."""
    m = _TRADE_KINDS.search(n)
    if m is None or m.start() == 0 or not n[:m.start()].lstrip("老旧原"):
        return False
    stem, pos, i = n[:m.start()].lstrip("老旧原"), pos_table(), 0  # 老|橡胶|厂: an age word is no name
    if len(stem) == 1:
        return True  # 西地省|工|学院: one character names no institution of its own
    while i < len(stem):
        j = next((j for j in range(min(len(stem), i + 4), i + 1, -1) if pos.get(stem[i:j])), None)
        if j is None or (pos.get(stem[i:j]) or "").startswith(("ns", "nr", "nz", "nt")):
            return False
        i = j
    return True


_SECTION_TAIL = re.compile(r"(.+?(?:路|大道|街|公路|铁路|高速|国道|省道|线))"
                           r"(?:[A-Z]\d{0,2}[市县区]|[\u4e00-\u9fff]{2,3})段")


#: The mask inside an estate's name (逸臣|G7县|小区, 南浦|M9县城|小区: _MASK_IN_NAME), a name's character before it.
_MASK_INSIDE_KEY = re.compile(r"(?<=[\u4e00-\u9fff])(?<![省市区县州镇乡])[A-Z]\d{0,2}(?:县城|[市县区])"
                              r"(?=(?:小区|花园|家园|新村|公寓)$)")


def place_key(name: str, level: PlaceLevel | None = None) -> str:
    """The alert key of an unlisted place: one key for the spellings of one place, never one for two places.

    Full-width characters and spaces are folded, masked or real administrative prefixes (A3区, 上海市宝山区)
    dropped, and only tails that name the same place are cut or folded: 小区 (锦绣家园小区 → 锦绣家园; 锦绣花园 stays
    another estate), a village's committee is its village (杨坪村村委会, 杨坪村委会, 杨坪村委 → 杨坪村), a residents'
    committee is its community (乾溪居委会, 乾溪社区居委会 → 乾溪社区), a wet market's words are one (翠湖菜场,
    翠湖农贸市场 → 翠湖菜市场), 马路 after a road's own name is 路 (桃源马路 → 桃源路), and an estate's phase, block
    or building is its estate (碧桂园二期, 锦绣家园2期5栋, 锦江小区B区 → 碧桂园, 锦绣家园, 锦江: one estate, one
    developer and property company, one alert key). Numbered roads take their
    code (207国道, 国道207线, G207 → G207). The kind words that tell places apart stay: 阳光镇, 阳光街道, 阳光社区 and
    阳光花园 are four keys.
    """
    n = unicodedata.normalize("NFKC", name)
    n = re.sub(r"[\s·•]+", "", n)  # 碧桂园·豪园 and 碧桂园豪园 are one estate
    if n.endswith("站") and (line := _METRO_KEY_FRONT.match(n)):
        n = n[line.end():]  # 地铁4号线会展中心站, 4号线会展中心站 and 地铁会展中心站 are one station
    if n.endswith("地铁站") and len(n) > 4 and not n[:-3].endswith("站"):
        n = n[:-3] + "站"  # 人民广场地铁站 is 人民广场站 (火车站地铁站 stays)
    if level is PlaceLevel.ROAD and (sec := _SECTION_TAIL.fullmatch(n)) is not None:
        n = sec.group(1)  # 天易大道易俗河段 is 天易大道, S212线清溪段 is S212
    if level is PlaceLevel.COMPOUND:
        n = _MASK_INSIDE_KEY.sub("", n)  # 逸臣G7县小区 is 逸臣小区: the masking cut the estate's name
    n = _LEGAL_FORM.sub(lambda m: "集团" if m.group(0).startswith("集团") else "公司", n)  # 某某有限公司 = 某某公司
    n = _LEGAL_INSIDE.sub("公司", n)  # 某某有限公司L1区门诊部 = 某某公司L1区门诊部: a branch's firm
    n = _TRADE_FORM.sub(r"\1", n)  # 天成实业集团 = 天润实业控股公司 = 天成实业, 耶思教育培训学校 = 耶思教育
    n = _PEOPLES.sub(r"\1", n)  # K1区人民法院 = K1区法院
    n = whole = _PARK_FOLD.sub(lambda m: _PARK_SHORT[m.group(0)], n)  # C市高新技术开发区 = C市高新区
    if (bank := _BANK_NAME.match(n)) is not None and n.endswith(("行", "部", "处", "所", "点")):
        n = whole = _BANK_SHORT[bank.group(0).removeprefix("中国")] + n[bank.end():]  # 中国人民银行H3县支行 = 人行…
        n = whole = _BANK_OWN.sub(r"\1", n)  # 工商银行K市城北支行 = K市工商银行城北支行: a name of its own
    if (code := _highway_key(n) or _highway_key(re.sub(r"^(?:[A-Z]\d*(?:市|区|县|州))+", "", n))) is not None:
        return f"raw:{code}"  # before the prefixes: S212省道 is no masked province
    n = masked = re.sub(r"^(?:[A-Z]\d*(?:省|市|区|县|州))+", "", n)
    # 城市 and 都市 after a brand open an estate's name (万科城市花园), they are no city (成都市, 盐城市 are); nor is a
    # 市 after a town's 镇/乡 (大场镇|市场监管所) or one opening 市场/市政/市容/市民/市监 (农贸|市场管理处)
    n = re.sub(r"^(?:[\u4e00-\u9fff]{2}(?:省|市(?![场政容民监]))"
               r"|[\u4e00-\u9fff]{3}(?:省|(?<![城都镇乡])市(?![场政容民监])))(?=[\u4e00-\u9fff]{3})", "", n)
    n = re.sub(r"^[\u4e00-\u9fff]{2,3}区(?=[\u4e00-\u9fff]{3})", "", n)
    if level is PlaceLevel.CROSSING and (two := _TWO_ROADS.fullmatch(n)) is not None:
        return f"raw:{'与'.join(sorted(two.group(1, 2)))}路口"  # 长江路和复兴路路口, 复兴路长江路口: one crossing
    if n in GENERIC or n in AREA_OWN or (n != whole and _trade_only(n)) \
            or any(rx.fullmatch("某某县" + n) for rx in (ADMIN_FACILITY, ORDINAL_SCHOOL, ORDINAL_VOCATIONAL)) \
            or AFFILIATED.fullmatch(n):
        # Q3县中心小学 and R县中心小学, K市一中 and B市一中 are two schools: the prefix is their name (the last one:
        # C市M9县中学 and M9县中学 are one school)
        n = re.sub(r"^(?:[A-Z]\d*(?:省|市|区|县|州))+(?=[A-Z]\d*(?:省|市|区|县|州))", "", whole)
    stripped = n != masked and n != whole
    n = _cut_tails(n)
    if stripped and (n in GENERIC or len(n) < 3 or _STRIP_TAIL.fullmatch(n)):
        n = _cut_tails(masked)  # 某某花园二期 with its prefix read as a city left 花园: the prefix is the name
    if n.endswith("高速公路") and len(n) > 4:
        n = n[:-2]  # 岳临高速公路 and 岳临高速 are one expressway
    if n.endswith("村村"):
        n = n[:-1]
    n = _WET_MARKET.sub("菜市场", _HORSE_ROAD.sub("路", n))
    if _COMMITTEE.search(n) and len(folded := _COMMITTEE.sub("社区", n)) > 2:
        n = folded
    return f"raw:{n}"


#: Levels of a body or institution named after its town (大场卫生院, 大场镇派出所, 大场菜场); an estate or road named
#: after a town (大场花园, 大场路) is a place of its own, not the town's.
_TOWN_BODY_LEVELS = frozenset([PlaceLevel.LANDMARK, PlaceLevel.MARKET, PlaceLevel.OTHER])


def town_body_key(name: str, level: PlaceLevel | None, towns: Iterable[Place | None] = ()) -> str:
    """The alert key of a body named after a listed town (大场派出所, 大场镇派出所, 大场乡派出所): the town as the
    gazetteer names it, then the body's words (raw:大场镇派出所 for all three), so that a town written by an alias or
    without its 镇 / 乡 / 街道 gives its body one key. ``towns``: the gazetteer places the name holds (the first town
    whose name or alias opens ``name`` is the body's town); other names and levels are keyed by :func:`place_key`."""
    if level in _TOWN_BODY_LEVELS:
        for town in towns:
            if town is None or town.level is not PlaceLevel.TOWN:
                continue
            if name.startswith(town.name):
                break  # written as the gazetteer writes it (大场镇派出所, 大场镇 itself)
            written = max((n for n in town.aliases if name.startswith(n) and len(n) < len(name)
                           and not n.endswith(_ROAD_ENDS)), key=len, default="")  # 友谊路 names a road too
            rest = _TOWN_UNIT.sub("", name[len(written):])
            if written and rest and not rest.startswith(_PLACE_STARTS):  # 大场路菜场: a market on 大场路
                name = town.name + rest
                break
    return place_key(name, level)


_ROAD_ENDS = ("路", "街", "道", "巷", "弄")
#: What a road's or estate's name goes on with after a town's name (大场路, 大场花园): not the town's body.
_PLACE_STARTS = ("路", "街", "大道", "巷", "弄", "公路", "花园", "新村", "苑", "小区", "家园", "公寓")
_TOWN_UNIT = re.compile(r"^(?:镇|乡|街道)")
