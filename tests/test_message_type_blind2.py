"""The second blind sample: ids and labels only, fixed halves, and figures computed from an enricher's output."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nlp.blind2 import BLIND2, LABEL_FIELDS, evaluate_rows, half_of


def test_the_corpus_holds_ids_and_labels_only() -> None:
    rows = [json.loads(x) for x in BLIND2.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) == 500
    assert all(set(r) == {"set", "key", *LABEL_FIELDS} for r in rows)
    halves = Counter((r["set"], half_of(r["set"], r["key"])) for r in rows)
    assert all(90 <= n <= 160 for n in halves.values()) and len(halves) == 4


def test_halves_are_fixed_by_the_key() -> None:
    assert half_of("teddy_dev", "abc") == half_of("teddy_dev", "abc")
    assert {half_of("weibo2018", str(i)) for i in range(50)} == {"dev", "test"}


class FakeEnricher:
    def __init__(self, fields: list[dict]) -> None:
        self.fields = fields

    def analyze(self, texts: list[str]) -> list[dict]:
        assert len(texts) == len(self.fields)
        return self.fields


def test_figures_from_an_enrichers_output() -> None:
    rows = [
        {"text": "a", "message_type": "complaint", "topic": "sanitation", "places": ["锦绣家园"],
         "main_place": "锦绣家园"},
        {"text": "b", "message_type": "inquiry", "topic": "other", "places": [], "main_place": None},
    ]
    fields = [
        {"message_type": "complaint", "is_complaint": True, "topic": "sanitation",
         "places": [{"name": "锦绣家园小区"}, {"name": "走投无路"}]},
        {"message_type": "complaint", "is_complaint": True, "topic": "property", "places": []},
    ]
    r = evaluate_rows(FakeEnricher(fields), rows, errors=True)
    assert r["message_type_accuracy"] == 0.5 and r["is_complaint_agreement"] == 0.5
    assert r["topic_accuracy"] == 0.5 and r["topic_precision"] == 0.5 and r["topic_given_wrongly"] == {"property": 1}
    assert r["main_place_found"] == 1.0 and r["places_returned_not_labelled"] == 1
    assert r["unlabelled_places"] == ["走投无路"]


@pytest.mark.skipif(not (Path(__file__).resolve().parents[1] / "nlp" / "corpus" / "blind2.jsonl").is_file(),
                    reason="no corpus")
def test_import_keys_tipdm_rows_by_their_text(tmp_path: Path) -> None:
    from nlp.blind import message_key
    from nlp.blind2 import import_labels
    from nlp.datasets import data_dir

    if not (data_dir() / "complaints").is_dir():
        pytest.skip("shared data not on this machine")
    from nlp.blind import dev_rows

    row = dev_rows()[5]
    src = tmp_path / "labels.jsonl"
    src.write_text(json.dumps({"set": "teddy_dev", "id": row["留言编号"], "row": 5, "message_type": "complaint",
                               "topic": "other", "places": [], "main_place": None, "is_complaint": True,
                               "confident": True}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert import_labels(src, out) == 1
    [lab] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lab["key"] == message_key(row["留言主题"], row["留言详情"]) and "text" not in lab
    bad = tmp_path / "bad.jsonl"
    bad.write_text(src.read_text(encoding="utf-8").replace(f'"id": "{row["留言编号"]}"', '"id": "nope"'),
                   encoding="utf-8")
    with pytest.raises(ValueError):
        import_labels(bad, out)
