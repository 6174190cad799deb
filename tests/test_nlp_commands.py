"""`yuqing nlp enrich|evaluate|corrections` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from core import Post, Review, ReviewStatus, SentimentLabel

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yuqing", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def test_enrich_jsonl_passes_fields_through_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "沪太路与场中路路口乱停车，消防通道都堵死了", "extra": 1}, ensure_ascii=False),
        "not json",
        json.dumps({"no_text": True}),
        json.dumps({"text": "今天天气真好"}, ensure_ascii=False),
        '{"text": "没写完的字符串',
    ]
    r = run(["nlp", "enrich"], "\n".join(lines) + "\n")
    assert r.returncode == 1
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 2
    first = out[0]
    assert first["id"] == "a" and first["extra"] == 1
    for key in ("tokens", "keywords", "topic", "topic_scores", "sentiment", "sentiment_label", "is_complaint",
                "severity", "places", "simhash"):
        assert key in first, key
    assert first["topic"] == "parking" and first["is_complaint"] is True
    assert first["places"][0] == {"id": "dc-x-hutai-changzhong", "name": "沪太路场中路路口", "level": "crossing",
                                  "grid": "DC-02", "department": "大场镇城管中队"}
    assert out[1]["topic"] == "other" and out[1]["is_complaint"] is False
    assert "第 2 行" in r.stderr and "第 3 行" in r.stderr and "Traceback" not in r.stderr
    unterminated = next(x for x in r.stderr.splitlines() if "第 5 行" in x)  # not the line's own newline
    assert "Unterminated string" in unterminated and "control character" not in unterminated


def test_enrich_reads_a_title_with_the_text_as_load_does() -> None:
    """A row's ``title`` is analysed with its text (as ``yuqing load`` analyses a post's); a title that is not a
    string is a bad line, reported in one line."""
    rows = [{"id": "t", "title": "大华新村垃圾问题", "text": "门口的垃圾三天没人清了，臭死了"},
            {"id": "n", "title": 7, "text": "门口的垃圾三天没人清了"}]
    r = run(["nlp", "enrich"], "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows))
    assert r.returncode == 1 and "第 2 行" in r.stderr and "title" in r.stderr and "Traceback" not in r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in out] == ["t"] and out[0]["title"] == "大华新村垃圾问题"
    assert [p.get("id") for p in out[0]["places"]] == ["dc-xq-dahua"]


def test_enrich_clean_input_exits_zero() -> None:
    r = run(["nlp", "enrich"], json.dumps({"text": "半夜施工吵得睡不着"}, ensure_ascii=False) + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["topic"] == "noise"


def test_evaluate_samples_json() -> None:
    r = run(["nlp", "evaluate", "--no-sentiment", "--json"])
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["sample_dev"]["n"] >= 100 and rep["sample_test"]["n"] >= 40
    assert 0 < rep["sample_test"]["places"]["precision"] <= 1
    assert set(rep["sample_dev"]["topics"]) >= {"sanitation", "other"}


def test_evaluate_announces_each_set_it_scores() -> None:
    """Scoring every held-out set takes minutes with the encoder: each set is announced on stderr as it starts."""
    from nlp.datasets import data_dir

    if not (data_dir() / "sentiment").is_dir():
        import pytest

        pytest.skip("shared data not on this machine")
    r = run(["nlp", "evaluate", "--no-topics", "--limit", "30", "--json"])
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert [row["set"] for row in rep["sentiment"]["default"]][-2:] == ["incidents_written", "incidents_written2"]
    for scorer in ("default", "fast"):
        for name in ("weibo2018", "incidents_written"):
            assert f"评测 {scorer}：{name}（30 条）" in r.stderr


def test_train_rejects_unknown_set() -> None:
    r = run(["nlp", "train", "--sets", "nope", "--out-dir", "/nonexistent"])
    assert r.returncode != 0 and "未知数据集" in r.stderr and "Traceback" not in r.stderr


def test_train_refuses_evaluation_only_sets() -> None:
    for cmd in ("train", "train-encoder"):
        r = run(["nlp", cmd, "--sets", "weibo2018,smp2020", "--out-dir", "/nonexistent"])
        assert r.returncode != 0 and "smp2020" in r.stderr and "只用于评测" in r.stderr
        assert "Traceback" not in r.stderr


def test_corrections_export_from_store(tmp_path: Path) -> None:
    from storage.sqlite import SQLiteStore

    db = tmp_path / "y.db"
    store = SQLiteStore(db)
    store.init()
    p = Post.new("weibo", "1", text="沪太路的路灯坏了", published_at=datetime(2026, 11, 1, tzinfo=UTC), topic="other")
    q = Post.new("weibo", "2", text="没人看过", published_at=datetime(2026, 11, 1, tzinfo=UTC))
    store.upsert_posts([p, q])
    store.review_post(p.id, Review(status=ReviewStatus.CORRECTED, reviewer="r", topic="facilities",
                                   sentiment_label=SentimentLabel.NEGATIVE, is_complaint=True))
    store.close()
    cfg = tmp_path / "yuqing.yaml"
    cfg.write_text(f"storage: {{backend: sqlite, sqlite: {{path: {db}}}}}\n", encoding="utf-8")
    r = run(["-c", str(cfg), "nlp", "corrections"])
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows == [{"id": p.id, "text": "沪太路的路灯坏了", "topic": "facilities", "sentiment_label": "negative",
                     "is_complaint": True, "place_ids": []}]


def test_train_topics_with_corrections(tmp_path: Path) -> None:
    corrections = tmp_path / "c.jsonl"
    rows = [{"text": "小区门口的快递柜天天坏", "topic": "property"}, {"text": "不认识的话题", "topic": "nope"}]
    corrections.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = run(["nlp", "train", "--no-sentiment", "--corrections", str(corrections), "--out-dir", str(tmp_path / "m")])
    assert r.returncode == 0, r.stderr
    assert "更正样本 2 条" in r.stdout
    from nlp.textfeat import LinearTextModel

    model = LinearTextModel.load(tmp_path / "m" / "topics.npz")
    assert "property" in model.classes and "nope" not in model.classes
    assert not (tmp_path / "m" / "sentiment.npz").exists()


def test_enrich_reads_every_good_line_around_bytes_that_are_not_utf8() -> None:
    """A file saved with a byte-order mark, a line with bytes that are not UTF-8, half a surrogate pair escaped in
    JSON, a text that is no string: each bad line is one reason with its number, and every other line is enriched."""
    rows = [json.dumps({"id": "bom", "text": "春晖花园电梯坏了没人修"}, ensure_ascii=False).encode(),
            '{"id": "bytes", "text": "春晖花园'.encode() + b"\xff" + '电梯坏了"}'.encode(),
            b'{"id": "half", "text": "\\ud83d \xe7\x94\xb5\xe6\xa2\xaf\xe5\x9d\x8f\xe4\xba\x86"}',
            b'{"id": "null", "text": null}',
            json.dumps({"id": "last", "text": "半夜施工吵得睡不着"}, ensure_ascii=False).encode()]
    r = subprocess.run([sys.executable, "-m", "yuqing", "nlp", "enrich"], capture_output=True, cwd=ROOT, timeout=120,
                       input=b"\xef\xbb\xbf" + b"\n".join(rows) + b"\n", check=False)
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err
    out = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x["id"] for x in out] == ["bom", "half", "last"]
    assert [p.get("key") for p in out[0]["places"]] == ["raw:春晖花园"]
    assert out[1]["text"] == "\ufffd 电梯坏了" and out[2]["topic"] == "noise"
    lines = err.splitlines()
    assert any("第 2 行" in x and "UTF-8" in x and "第 38 字节" in x for x in lines), err
    assert any("第 4 行" in x and "text 不是字符串（null）" in x for x in lines), err
    assert not any("第 1 行" in x or "第 3 行" in x or "第 5 行" in x for x in lines), err
