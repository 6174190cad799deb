"""Characters as residents type them: traditional characters, full-width letters and digits, spaces inside names,
and the homophones a pinyin input method puts in a name (大化三村 for 大华三村).

Two tables, packed in ``nlp/dicts/charmaps.json`` and built from OpenCC and pypinyin by ``python -m nlp.charmaps``
(both in the ``dev`` extra; the run time needs neither):

- ``t2s``: every traditional character that no simplified text uses (not in GB 2312: 華, 連, 亂; not 乾, 後, 於,
  which simplified text keeps in 乾溪, 皇后, 於姓) and its simplified form, one character each, from OpenCC's t2s,
  where that form is in the main CJK block the rules read as Han (嗰 stays: its form 𠮶 lies outside);
- ``pinyin``: the common toneless reading of every CJK character pypinyin knows (``hua`` for 华 and 化).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "dicts" / "charmaps.json"
_CJK = range(0x4E00, 0xA000)
#: Full-width digits and Latin letters (３号楼, ＫＴＶ): their half-width forms. Full-width punctuation (，！？) is how
#: Chinese is written, and the rules read it so: it stays.
_FULL_WIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
#: Spaces between a Han character and a numbered unit (祁连 三村, 大华 3村, 场中路 88弄): typed inside a name. Other
#: spaces between Han characters may end a clause (太脏了 祁连三村…) and stay.
_HAN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000\u00a0]+(?=[一二三四五六七八九十\d]+[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], dict[str, str]]:
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    t2s = {ord(k): v for k, v in data["t2s"].items()} | {k: chr(v) for k, v in _FULL_WIDTH.items()}
    return t2s, data["pinyin"]


def simplified(text: str) -> str:
    """``text`` as the models and place rules read it: traditional-only characters simplified, full-width letters and
    digits made half-width, a space before a numbered unit dropped (大華 三村 → 大华三村)."""
    return _HAN_SPACE.sub("", text.translate(_tables()[0]))


def reading(char: str) -> str | None:
    """The common toneless pinyin reading of one character (None for one pypinyin does not know)."""
    return _tables()[1].get(char)


def homophones(a: str, b: str) -> bool:
    """Whether two names of the same length differ in exactly one character read alike (大化三村 ~ 大华三村,
    祈连二村 ~ 祁连二村; not 大华二村 ~ 大华三村, 南塔公园 ~ 南大公园)."""
    if len(a) != len(b) or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and (r := reading(diff[0][0])) is not None and r == reading(diff[0][1])


def build(out: Path = TABLES) -> Path:
    """Write the tables from OpenCC (t2s) and pypinyin (``pip install -e '.[dev]'``)."""
    import unicodedata

    import opencc
    from pypinyin import Style, pinyin

    convert = opencc.OpenCC("t2s").convert
    t2s = {}
    for cp in _CJK:
        c = chr(cp)
        s = convert(c)
        if s != c and len(s) == 1 and 0x4E00 <= ord(s) < 0xA000:  # the rules read that block as Han (not 𠮶, 㑩)
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                t2s[c] = s  # only characters simplified text never uses
    readings_of = {}
    for cp in _CJK:
        c = chr(cp)
        got = pinyin(c, style=Style.NORMAL, errors="ignore")  # the common reading: rare ones make false homophones
        if got and got[0] and got[0][0]:  # (大 read tai, 塔 read da: 南塔公园 is no 南大公园)
            readings_of[c] = unicodedata.normalize("NFKD", got[0][0])
    out.write_text(json.dumps({"t2s": t2s, "pinyin": readings_of}, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(build())
