"""Topic and place names as people type them, and the `places`/`topics` commands."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from core import SHANGHAI, Post
from nlp.gazetteer import load_gazetteer
from nlp.resolve import UnknownName, resolve_place, resolve_topic
from nlp.taxonomy import load_taxonomy
from tests.test_cli_spine import one_line_error, run

GAZ = load_gazetteer()
TAX = load_taxonomy()


def test_topics_by_code_or_chinese_name() -> None:
    assert resolve_topic(TAX, "市容环境") == resolve_topic(TAX, "sanitation") == resolve_topic(TAX, " Sanitation ")
    with pytest.raises(UnknownName, match="did you mean 市容环境"):
        resolve_topic(TAX, "市容环")


def test_places_by_id_name_or_alias_with_what_lies_under_them() -> None:
    assert resolve_place(GAZ, "乾溪新村")[0] == resolve_place(GAZ, "乾溪")[0] == "dc-xq-qianxi"
    assert resolve_place(GAZ, "dc-xq-qianxi", descendants=False) == ["dc-xq-qianxi"]
    under_town = resolve_place(GAZ, "大场镇")
    assert under_town[0] == "dachang" and "dc-xq-qianxi" in under_town and "baoshan" not in under_town
    with pytest.raises(UnknownName, match="places list"):
        resolve_place(GAZ, "火星小区")


def test_search_takes_chinese_topic_and_place_names(tmp_path: Path) -> None:
    posts = [
        Post.new("weibo", "1", text="乾溪新村门口垃圾堆了三天没人管，臭气熏天",
                 published_at=datetime(2026, 11, 20, 8, tzinfo=SHANGHAI)),
        Post.new("weibo", "2", text="祁连二村门口垃圾堆了三天没人管",
                 published_at=datetime(2026, 11, 20, 9, tzinfo=SHANGHAI)),
    ]
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("\n".join(p.model_dump_json() for p in posts) + "\n", encoding="utf-8")
    env = {"YUQING_SQLITE_PATH": str(tmp_path / "y.db")}
    assert run("load", str(jsonl), env=env).returncode == 0
    by_name = run("search", "--topic", "市容环境", "--place", "乾溪新村", "--json", env=env)
    assert by_name.returncode == 0, by_name.stderr
    assert [json.loads(x)["id"] for x in by_name.stdout.splitlines()] == [posts[0].id]
    assert "unknown topic" in one_line_error(run("search", "--topic", "市容环", env=env))


def test_places_and_topics_list() -> None:
    places = run("places", "list", "--under", "乾溪新村")
    assert places.returncode == 0 and "dc-xq-qianxi" in places.stdout and "乾溪新村" in places.stdout
    topics = run("topics", "list")
    assert topics.returncode == 0 and "sanitation" in topics.stdout and "市容环境" in topics.stdout


def test_a_road_includes_the_listed_crossings_on_it_whichever_road_files_them() -> None:
    gaz = load_gazetteer()
    crossing = "dc-x-hutai-changzhong"  # 沪太路场中路路口, filed under 沪太路
    assert gaz.get(crossing).parent == "dc-rd-hutai"
    assert crossing in resolve_place(gaz, "场中路") and crossing in resolve_place(gaz, "沪太路")
    assert crossing not in resolve_place(gaz, "上大路") and "dc-x-hutai-shangda" in resolve_place(gaz, "上大路")
    assert resolve_place(gaz, "场中路", descendants=False) == ["dc-rd-changzhong"]
