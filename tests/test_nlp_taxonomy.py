"""The topic taxonomy loader and the bundled 创全 topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import ConfigError
from nlp.taxonomy import load_taxonomy

SHARED_CODES = ["sanitation", "shop_signs", "illegal_construction", "parking", "traffic", "food_hygiene",
                "river", "greenery", "noise", "facilities", "property", "other"]


def test_bundled_taxonomy_has_the_shared_codes() -> None:
    tax = load_taxonomy()
    assert tax.codes == SHARED_CODES
    assert tax.get("food_hygiene").urgency == "urgent"
    assert tax.get("shop_signs").urgency == "urgent"
    assert tax.get("illegal_construction").urgency == "difficult"
    assert tax.get("parking").urgency == "difficult"
    assert tax.get("sanitation").urgency == "routine"
    for t in tax:
        assert t.name and t.department, t.code
    assert "sanitation" in tax and "nope" not in tax
    with pytest.raises(KeyError):
        tax.get("nope")


def test_patterns_compile_and_match() -> None:
    tax = load_taxonomy()
    assert any(r.search("小区门口垃圾堆了三天没人清理") for r in tax.get("sanitation").regexes)
    assert any(r.search("店招松动随时会掉下来") for r in tax.get("shop_signs").regexes)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("topics:\n  - {code: a, name: A, urgency: soon}\n", "topics[0] (a): urgency"),
        ("topics:\n  - {code: a, name: A, patterns: ['(']}\n", "bad pattern"),
        ("topics:\n  - {code: a, name: A}\n  - {code: a, name: B}\n", "duplicate topic code"),
        ("nothing: 1\n", "needs a 'topics' list"),
    ],
)
def test_bad_taxonomy_is_one_line_error(tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "t.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_taxonomy(f)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_the_works_pollution_pattern_needs_a_works_not_a_market_or_square() -> None:
    import re

    [works] = [p for p in load_taxonomy().get("sanitation").patterns if p.startswith("(厂|")]
    assert re.search(works, "村旁的养殖场臭味熏天") and re.search(works, "化工厂每天排放废气")
    assert not any(re.search(works, t) for t in ("菜市场卖的鱼有异味", "广场上有臭味", "商场里气味难闻", "现场粉尘"))
