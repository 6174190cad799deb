"""Estates, projects and firms named without a suffix word, found by the cues around them (after a city or
county, in quotes, before 业主, 项目, 的房子, 位于 …), for :func:`nlp.mentions.find_mentions`."""

from __future__ import annotations

from core.model import PlaceLevel
from nlp.mention_stems import RawMention, _common, _plain_start
from nlp.place_lexicon import (
    GENERIC,
    NAME_WORDS,
    NAMED_AFTER_ADMIN,
    NAMED_BEFORE_LOCATED,
    NAMED_BEFORE_PROBLEM,
    NAMED_IN_QUOTES,
    NOT_FIRM_END,
    NOT_NAME_POS,
    NOT_NAME_POS_ONE,
    STOP_WORDS,
    SUFFIXES,
    UNIT_ENDS,
    VERB_ONE,
)
from nlp.postags import pos_table


def _named_by_context(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates and projects named without a suffix word, where their context says so: right after a city,
    district or county or in quotes, and followed by 业主, 项目, 楼盘, 的房子, 25栋 … (G市蓝湖郡的房子)."""
    pos = pos_table()
    starts = {a for a, _ in spans}
    out = []
    for rx in (NAMED_AFTER_ADMIN, NAMED_IN_QUOTES, NAMED_BEFORE_PROBLEM, NAMED_BEFORE_LOCATED):
        for m in rx.finditer(text):
            s, e = m.span(1)
            name = m.group(1)
            if s not in starts or e not in ends:
                continue
            if rx is NAMED_IN_QUOTES and text.startswith(("项目", "工地"), m.end()):
                continue  # “绿水青山”项目: a quoted slogan names projects, not estates
            firm = rx in (NAMED_BEFORE_PROBLEM, NAMED_BEFORE_LOCATED)  # a firm's name may end in its trade (锦络|电子)
            last = next((text[a:b] for a, b in spans if b == e), "") if firm else ""
            lead = rx is NAMED_BEFORE_LOCATED  # not right after a prefix: 我们|学校位于 …
            cut = _plain_start(text, spans, s, e, last, lead_pos=lead)  # right after the prefix: 星河|小镇 is a name
            if cut is not None and cut != s:
                cut = _plain_start(text, spans, cut, e, last)  # K市在建|工程|教师园: not right after it any more
            if firm and cut is not None and (
                    e - cut == len(last) or _common(text[cut:e - len(last)])
                    or text[cut:e].endswith(tuple(NOT_FIRM_END))
                    or not (pos.get(last) or "n").startswith(("n", "vn"))
                    or any(text[a:b].endswith(UNIT_ENDS) for a, b in spans if cut <= a and b <= e)):
                continue  # the trade alone (K市电子|环评), a common word before it, an office or a phrase: no firm
            if cut is None or e - cut < 2:
                continue
            s, name = cut, text[cut:e]
            toks = [text[a:b] for a, b in spans if s <= a and b <= e]
            head = pos.get(toks[0], "") or ""
            if lead and len(toks[0]) == 1 and head.startswith(("v", "n")) and not head.startswith(("ns", "nr", "nz")):
                continue  # 氏|周蜡业, 岭|森林公园: the clause began inside a name
            tag = pos.get(name, "") or ""
            if (tag and not tag.startswith(("ns", "nr", "nz", "nt"))) or name in GENERIC \
                    or any(t in STOP_WORDS or t in SUFFIXES or t.endswith("办事处") for t in toks) \
                    or any(t in STOP_WORDS or t in VERB_ONE or (pos.get(t, "") or "").startswith(NOT_NAME_POS_ONE)
                           for t in toks if len(t) == 1) \
                    or any((pos.get(t, "") or "").startswith(NOT_NAME_POS) and t not in NAME_WORDS
                           for t in (toks[:-1] if firm else toks) if len(t) > 1):
                continue
            if firm:
                out.append(RawMention(s, e, name, PlaceLevel.LANDMARK, "单位"))
            else:
                out.append(RawMention(s, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out
