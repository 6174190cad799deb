"""`yuqing search --type`: message type by code or Chinese label, in the JSON output too."""

from __future__ import annotations

import json
from pathlib import Path

from core import PlaceRef
from core.model import MessageType
from tests.storage_contract import make_post
from tests.test_cli_spine import one_line_error, run

ESTATE = PlaceRef(name="锦绣家园", key="raw:锦绣家园")
POSTS = [
    make_post(1, "锦绣家园门口垃圾堆了三天", is_complaint=True, message_type=MessageType.COMPLAINT, places=[ESTATE],
              topic="sanitation"),
    make_post(2, "请问锦绣家园垃圾几点清运", hours=1, message_type=MessageType.INQUIRY, places=[ESTATE]),
    make_post(3, "建议菜场门口多放垃圾桶", hours=2, message_type=MessageType.SUGGESTION),
]


def _loaded(tmp_path: Path) -> dict[str, str]:
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text("".join(p.model_dump_json() + "\n" for p in POSTS), encoding="utf-8")
    env = {"YUQING_SQLITE_PATH": str(tmp_path / "y.db")}
    assert run("load", "--no-enrich", str(jsonl), env=env).returncode == 0
    return env


def test_search_by_type_code_or_chinese_label(tmp_path: Path) -> None:
    env = _loaded(tmp_path)
    for value in ("投诉", "complaint", "Complaint"):
        proc = run("search", "垃圾", "--type", value, "--json", env=env)
        assert proc.returncode == 0, proc.stderr
        hits = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [(h["id"], h["message_type"]) for h in hits] == [(POSTS[0].id, "complaint")]
    both = run("search", "--type", "咨询", "--type", "suggestion", "--json", env=env)
    assert {json.loads(line)["id"] for line in both.stdout.splitlines()} == {POSTS[1].id, POSTS[2].id}
    text = run("search", "--type", "建议", env=env)
    assert "共 1 条" in text.stdout and "[建议]" in text.stdout
    listed = run("search", "--type", "投诉", env=env).stdout  # in Chinese: the topic's name, the places
    assert "市容环境" in listed and "点位：锦绣家园" in listed and "sanitation" not in listed


def test_unlisted_place_key_and_unknown_type(tmp_path: Path) -> None:
    env = _loaded(tmp_path)
    proc = run("search", "--place", "raw:锦绣家园", "--json", env=env)
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {h["id"] for h in hits} == {POSTS[0].id, POSTS[1].id}
    assert all(h["places"][0]["key"] == "raw:锦绣家园" for h in hits)
    for spelled in ("raw:锦绣家园小区", "raw: 锦绣家园 "):  # as a post spells it: keyed as the enricher keys it
        again = run("search", "--place", spelled, "--json", env=env)
        assert {json.loads(line)["id"] for line in again.stdout.splitlines()} == {POSTS[0].id, POSTS[1].id}
    by_name = one_line_error(run("search", "--place", "锦绣家园小区", env=env))  # a name the gazetteer lacks
    assert "unknown place '锦绣家园小区'" in by_name and "raw:锦绣家园" in by_name
    assert "has no name" in one_line_error(run("search", "--place", "raw:", env=env))
    bad = run("search", "--type", "抱怨", env=env)
    assert bad.returncode == 2 and "unknown message type '抱怨'" in bad.stderr and "Traceback" not in bad.stderr


def test_loading_without_enrichment_keys_unlisted_places(tmp_path: Path) -> None:
    """A post exported before places had keys is loaded with the key the enricher gives (one key, one place)."""
    old = make_post(4, "锦绣家园小区门口垃圾没人清", hours=3, is_complaint=True,
                    places=[PlaceRef(name="锦绣家园小区", level="compound")])
    jsonl = tmp_path / "old.jsonl"
    jsonl.write_text(old.model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    env = _loaded(tmp_path)
    assert run("load", "--no-enrich", str(jsonl), env=env).returncode == 0
    proc = run("search", "--place", "raw:锦绣家园", "--json", env=env)
    hits = {json.loads(line)["id"]: json.loads(line) for line in proc.stdout.splitlines()}
    assert set(hits) == {POSTS[0].id, POSTS[1].id, old.id}
    ref = hits[old.id]["places"][0]
    assert (ref["name"], ref["level"], ref["key"]) == ("锦绣家园小区", "compound", "raw:锦绣家园")


def test_loading_without_enrichment_keeps_written_keys_and_keys_only_as_the_enricher_would(tmp_path: Path) -> None:
    """``load --no-enrich`` is an import as-is: a key written as null stays null, even where today's enricher would
    key that name; a ref with no key field (``nlp enrich`` output leaves out a key that is none; exports from before
    keys) gets what the enricher makes of that name in its text: its key, no key (a body named by its area), or the
    gazetteer's place. It used to key every keyless ref by its name alone, so that a migration gave 昆明市教育局
    raw:教育局, one alert key for every city's education bureau."""
    body = PlaceRef(name="昆明市教育局", level="other")
    market = PlaceRef(name="翠湖菜场", level="market")
    listed = PlaceRef(name="大华新村", level="compound")
    bureau = "昆明市教育局不作为，孩子上学难，请领导管一管。"
    sewage = "翠湖菜场门口污水横流，臭气熏天。"
    exported = [make_post(5, bureau, hours=4, is_complaint=True, message_type=MessageType.COMPLAINT, places=[body]),
                make_post(6, sewage, hours=4, is_complaint=True, message_type=MessageType.COMPLAINT, places=[market])]
    unkeyed = [make_post(7, bureau, hours=5, is_complaint=True, message_type=MessageType.COMPLAINT, places=[body]),
               make_post(8, sewage, hours=6, is_complaint=True, places=[market]),
               make_post(9, "大华新村门口垃圾没人清，臭死了。", hours=7, is_complaint=True, places=[listed])]
    lines = [p.model_dump_json() for p in exported] + [p.model_dump_json(exclude_none=True) for p in unkeyed]
    assert all('"key":null' in x for x in lines[:2]) and not any('"key"' in x for x in lines[2:])
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = _loaded(tmp_path)
    assert run("load", "--no-enrich", str(jsonl), env=env).returncode == 0
    dump = run("export", "-", env=env)
    refs = {d["id"]: d["places"] for d in map(json.loads, dump.stdout.splitlines())}
    assert [r["key"] for r in refs[exported[0].id] + refs[exported[1].id]] == [None, None]  # as written
    assert [r["key"] for r in refs[unkeyed[0].id]] == [None]  # the enricher keys no body named by its area
    assert [r["key"] for r in refs[unkeyed[1].id]] == ["raw:翠湖菜市场"]  # as it keys 翠湖菜场, 翠湖农贸市场 …
    assert [(r["id"], r["key"]) for r in refs[unkeyed[2].id]] == [("dc-xq-dahua", None)]  # listed now
    assert [r["key"] for r in refs[POSTS[0].id]] == ["raw:锦绣家园"]  # a key written is kept
