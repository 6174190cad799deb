"""How the Elasticsearch detection read cuts its window: whole buckets per slice, the window covered once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from storage.docs import bucket_start
from storage.elastic.complaints import _MAX_SLICES, _slices


@pytest.mark.parametrize(("since", "until", "bucket"), [
    (datetime(2026, 9, 1, 3, 17, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), timedelta(hours=1)),
    (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 1, 5, tzinfo=UTC), timedelta(hours=1)),
    (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC), timedelta(days=1)),
    (datetime(2026, 11, 30, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC), timedelta(hours=7)),
    (datetime(2026, 11, 30, 16, 30, tzinfo=UTC), datetime(2026, 12, 2, 16, tzinfo=UTC), timedelta(minutes=30)),
])
def test_slices_cover_the_window_once_and_never_split_a_bucket(since: datetime, until: datetime,
                                                               bucket: timedelta) -> None:
    slices = _slices(since, until, bucket)
    assert slices[0][0] == since and slices[-1][1] == until and len(slices) <= _MAX_SLICES
    assert all(a < b for a, b in slices) and all(x[1] == y[0] for x, y in pairwise(slices))
    for _, edge in slices[:-1]:
        assert bucket_start(edge, bucket) == edge, "an inner edge is a bucket boundary (Asia/Shanghai-aligned)"


def test_an_empty_window_is_one_empty_slice() -> None:
    t = datetime(2026, 12, 1, tzinfo=UTC)
    assert _slices(t, t, timedelta(hours=1)) == [(t, t)]
