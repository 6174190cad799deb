"""Shared pieces for the benchmarks: synthetic posts, timing, machine description."""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from core import Metrics, PlaceRef, Post, SentimentLabel, Severity

PLACES = [("dachang-market", "大场菜场"), ("changzhong-rd", "场中路"), ("qilianshan-rd", "祁连山路"),
          ("huanzhen-n-rd", "环镇北路"), ("dahua-2-rd", "大华二路"), ("zoumatang", "走马塘"),
          ("dachang-park", "大场公园"), ("nanda-rd", "南大路")]
TOPICS = [("sanitation", "垃圾堆放没人清理", "臭味"), ("parking", "乱停车堵住消防通道", "车位"),
          ("shop_signs", "店招店牌松动有安全隐患", "风大"), ("noise", "夜里施工噪音扰民", "睡不着"),
          ("river", "河道漂浮垃圾有异味", "河长"), ("greenery", "绿化带被毁", "种菜"),
          ("property", "物业不作为楼道堆物", "消防"), ("traffic", "红绿灯坏了行人闯红灯", "早高峰")]
FILLER = ["希望有关部门尽快处理", "已经多次反映", "住在附近的居民都很无奈", "今天早上路过看到", "拍了照片",
          "周末带孩子出门", "天气不错", "大家怎么看", "请转给相关部门", "感谢网格员"]
SOURCES = ["weibo", "wechat:dachang", "portal:shequtong", "forum:baoshan", "board:12345"]


def synthetic_posts(n: int, seed: int = 42, start: datetime | None = None) -> Iterator[Post]:
    """``n`` deterministic ~60-character posts about the places and topics above, over ~60 days."""
    rnd = random.Random(seed)
    start = start or datetime(2026, 9, 1, tzinfo=UTC)
    for i in range(n):
        pid, pname = rnd.choice(PLACES)
        topic, problem, extra = rnd.choice(TOPICS)
        complaint = rnd.random() < 0.6
        text = (f"{pname}{problem}，{extra}，{rnd.choice(FILLER)}，{rnd.choice(FILLER)}。" if complaint
                else f"{pname}{rnd.choice(FILLER)}，{rnd.choice(FILLER)}，编号{i}。")
        yield Post.new(
            rnd.choice(SOURCES), f"b{seed}-{i}", text=text,
            published_at=start + timedelta(seconds=rnd.randint(0, 60 * 86400)),
            metrics=Metrics(likes=rnd.randint(0, 100)), topic=topic if complaint else None,
            is_complaint=complaint, sentiment=rnd.random(),
            sentiment_label=SentimentLabel.NEGATIVE if complaint else SentimentLabel.POSITIVE,
            places=[PlaceRef(id=pid, name=pname)], severity=Severity.NORMAL if complaint else None,
            cluster_id=f"c{i // 3}" if complaint else None,
        )


def real_texts(n: int) -> list[str]:
    """``n`` real Weibo posts (weibo2018, ~117 characters on average) read from the shared data at run time,
    repeated if needed; empty when the data set is not on this machine."""
    import csv

    from nlp.datasets import data_dir

    path = data_dir() / "sentiment" / "weibo2018_train.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        pool = [row["text"] for row in csv.DictReader(fh) if row.get("text")]
    return [pool[i % len(pool)] for i in range(n)]


def real_posts(n: int, seed: int = 7, start: datetime | None = None) -> Iterator[Post]:
    """Synthetic posts (as :func:`synthetic_posts`) carrying real Weibo texts instead of ~30-character ones."""
    texts = real_texts(n)
    for post, text in zip(synthetic_posts(n, seed=seed, start=start), texts, strict=False):
        yield post.model_copy(update={"text": text})


def with_tokens(posts: list[Post], segmenter=None) -> list[Post]:
    """The posts with the tokens the enricher would give them (precise mode, no HMM), as crawled posts arrive."""
    import re

    from nlp import default_segmenter

    seg = segmenter or default_segmenter()
    word = re.compile(r"[^\W_]")
    out = []
    for p in posts:
        text = f"{p.title}\n{p.text}" if p.title and p.title not in p.text else p.text
        out.append(p.model_copy(update={"tokens": [w for w, _, _ in seg.tokenize(text, hmm=False) if word.search(w)]}))
    return out


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    qs = statistics.quantiles([s * 1000 for s in samples], n=100, method="inclusive")
    return qs[49], qs[94]


def machine() -> str:
    """One line describing this machine."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({model}), "
            f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}")
