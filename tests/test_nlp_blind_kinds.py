"""The blind samples' place kinds and the third sample's halves (no shared data needed)."""

from pathlib import Path

import pytest

from nlp.blind2 import (
    BLIND2,
    BLIND3,
    BLIND5,
    BLIND7,
    BLIND9,
    BLIND10,
    BLIND11,
    ISSUE_KINDS,
    _readable,
    half_of,
    place_kind,
)


@pytest.mark.parametrize(("name", "kind"), [
    ("大安路", "road"), ("枫林三路706号", "road"), ("梅溪桥社区", "community"), ("石岗村", "village"),
    ("甘溪镇", "town"), ("马王堆海鲜市场", "market"), ("五一广场", "square"), ("锦绣家园", "estate"),
    ("开成公馆", "estate"), ("D8县师古中学", "institution"), ("G7县一中", "institution"), ("岐山", "other"),
])
def test_place_kind_reads_the_suffix(name: str, kind: str) -> None:
    assert place_kind(name) == kind


def test_issue_kinds_leave_out_towns_and_institutions() -> None:
    assert {"road", "estate", "village", "community", "market", "square"} == ISSUE_KINDS


def test_the_third_sample_is_all_test_and_the_second_is_split() -> None:
    assert {half_of("teddy_dev", f"k{i}", BLIND3) for i in range(50)} == {"test"}
    assert {half_of("teddy_dev", f"k{i}", BLIND2) for i in range(50)} == {"dev", "test"}
    assert BLIND3.parent == Path(BLIND2).parent


def test_errors_are_listed_only_for_read_samples() -> None:
    assert {half_of("teddy_dev", f"k{i}", BLIND7) for i in range(50)} == {"test"}
    assert _readable("dev", BLIND2) and not _readable("test", BLIND2)
    assert _readable("test", BLIND5) and _readable("test", BLIND7)  # released by a later session: read since
    assert not _readable("test", BLIND9) and not _readable("all", BLIND9)  # the newest samples stay unread
    assert not _readable("test", BLIND10) and not _readable("all", BLIND10)
    assert not _readable("test", BLIND11) and not _readable("all", BLIND11)
