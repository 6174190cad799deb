"""The simulated world: every post of every family over the scenario's span, generated once from the seed.

Posts become visible when scenario time passes their ``at``; pages are rendered from this list by the
family modules. The same scenario always gives the same posts, ids and texts.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from core import Place
from simulator import texts
from simulator.places import complaint_places, load_places
from simulator.scenario import FAMILIES, Scenario

TOPICS = tuple(texts.COMPLAINTS)
LONG_SUPPLEMENT = (
    "补充说明一下具体情况：这个问题不是第一次出现了，上个月就有邻居反映过，当时说会处理，结果过了两个星期又恢复原样。"
    "早上七八点和晚上下班时间最严重，老人和小孩经过都要绕着走。希望相关部门能建立长效机制，不要只是检查前突击整治，"
    "检查一过又回到老样子。我们居民也愿意配合，比如轮流值班监督，但需要有人牵头。"
)


@dataclass(frozen=True)
class SimPost:
    """One generated post, reply, article, message or portal item."""

    seq: int
    family: str
    channel: str
    at: datetime
    kind: str  # complaint | praise | chatter | reply | repost
    topic: str | None
    place: Place | None
    title: str
    text: str
    author_id: str
    author_name: str
    native: str = ""  # the platform id (mid, tid, article mid, portal id), set after sorting
    idx: int = 1  # WeChat position in a push
    parent: int | None = None  # forum reply → thread seq; weibo repost → original seq
    dup_of: int | None = None  # near-duplicate of another post (cross-posting)
    status: str = "ok"  # WeChat: ok | deleted | violation | privacy | closed; weibo original: ok | deleted
    reposts: int = 0
    comments: int = 0
    likes: int = 0
    reads: int = 0
    long: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def _count(rng: random.Random, viral: bool) -> int:
    if viral:
        return rng.choice([12_345, 25_000, 1_234_567, 3_000_000])
    return int(rng.expovariate(1 / 12))


class World:
    """All posts of a scenario, per family, sorted by time, with lookups by native id."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.places = load_places(scenario.gazetteer)
        self.targets = complaint_places(self.places) or self.places
        self.by_id = {p.id: p for p in self.places}
        self._seq = 0
        raw: list[SimPost] = []
        for fam in FAMILIES:
            raw.extend(self._background(fam))
        raw.extend(self._events())
        raw.extend(self._derived(raw))
        self.posts: dict[str, list[SimPost]] = {}
        self.by_native: dict[tuple[str, str], SimPost] = {}
        self.by_seq: dict[int, SimPost] = {}
        for fam in FAMILIES:
            items = sorted((p for p in raw if p.family == fam), key=lambda p: (p.at, p.seq))
            items = self._assign_ids(fam, items)
            self.posts[fam] = items
            for p in items:
                self.by_native[(fam, p.native)] = p
                self.by_seq[p.seq] = p
        self._times = {fam: [p.at for p in items] for fam, items in self.posts.items()}

    # ---- generation ------------------------------------------------------
    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _channel(self, fam: str, rng: random.Random) -> str:
        sc = self.scenario
        if fam == "weibo":
            return str(5_600_000_000 + rng.randrange(sc.weibo_users) * 7919)
        if fam == "wechat":
            return rng.choice(sc.wechat_accounts)
        if fam == "forum":
            return str(rng.choice(sc.forum_fids + sc.forum_private_fids if rng.random() < 0.1 else sc.forum_fids))
        if fam == "board":
            return str(sc.board_fid)
        return f"居委{rng.randrange(sc.communities) + 1:02d}"

    def _author(self, rng: random.Random) -> tuple[str, str]:
        uid = str(rng.randrange(10_000, 99_999_999))
        name = rng.choice(texts.NICKS) + str(rng.randrange(10, 999))
        return uid, name

    def _make(self, rng: random.Random, fam: str, at: datetime, kind: str, topic: str | None,
              place: Place, channel: str | None = None) -> SimPost:
        if kind == "complaint":
            body = rng.choice(texts.COMPLAINTS[topic or "sanitation"]).format(place=place.name)
            body += rng.choice(texts.TAILS)
        elif kind == "praise":
            body = rng.choice(texts.PRAISE).format(place=place.name)
        else:
            body = rng.choice(texts.CHATTER).format(place=place.name)
        long = fam in ("weibo", "wechat") and rng.random() < 0.12
        if long:
            body += LONG_SUPPLEMENT
        if fam == "wechat":
            title = rng.choice(texts.WECHAT_TITLES).format(place=place.name)
        else:
            title = texts.TITLES[kind].format(place=place.name)
        uid, name = self._author(rng)
        viral = rng.random() < 0.04
        return SimPost(
            seq=self._next(), family=fam, channel=channel or self._channel(fam, rng), at=at, kind=kind,
            topic=topic if kind == "complaint" else None, place=place, title=title, text=body,
            author_id=uid, author_name=name, reposts=_count(rng, viral), comments=min(_count(rng, False), 30),
            likes=_count(rng, viral), reads=rng.randrange(100, 20_000), long=long,
        )

    def _background(self, fam: str) -> list[SimPost]:
        sc = self.scenario
        rng = random.Random(f"{sc.seed}:{fam}")
        rate = sc.rates.get(fam, 0.0)
        kinds, weights = zip(*sc.mix.items(), strict=True)
        out: list[SimPost] = []
        hour = sc.start
        while hour < sc.end and rate > 0:
            n = sum(1 for _ in range(int(rate * 4)) if rng.random() < 0.25) + (rng.random() < rate * 4 % 1 * 0.25)
            for _ in range(n):
                at = hour + timedelta(seconds=rng.randrange(3600))
                kind = rng.choices(kinds, weights)[0]
                out.append(self._make(rng, fam, at, kind, rng.choice(TOPICS), rng.choice(self.targets)))
            hour += timedelta(hours=1)
        return out

    def _events(self) -> list[SimPost]:
        out: list[SimPost] = []
        for i, ev in enumerate(self.scenario.events):
            rng = random.Random(f"{self.scenario.seed}:event:{i}")
            place = self.by_id.get(ev.place) or Place(id=ev.place, name=ev.place)
            total = max(1, round(ev.rate * ev.hours))
            for k in range(total):
                at = ev.start + timedelta(seconds=rng.uniform(0, ev.hours * 3600))
                fam = ev.families[k % len(ev.families)]
                out.append(self._make(rng, fam, at, "complaint", ev.topic, place))
        return out

    def _derived(self, raw: list[SimPost]) -> list[SimPost]:
        """Reposts (some of deleted originals), forum replies and cross-posted near-duplicates."""
        rng = random.Random(f"{self.scenario.seed}:derived")
        out: list[SimPost] = []
        for p in raw:
            if p.family == "forum":
                for floor in range(rng.choice([0, 0, 1, 2, 3, 5])):
                    at = p.at + timedelta(minutes=rng.randrange(5, 600) * (floor + 1))
                    uid, name = self._author(rng)
                    quote = floor > 0 and rng.random() < 0.4
                    text = rng.choice(["顶一下", "同感，{p}确实是这样", "楼主说得对，{p}早该管管了", "已转发给居委"])
                    out.append(SimPost(
                        seq=self._next(), family="forum", channel=p.channel, at=at, kind="reply", topic=None,
                        place=p.place, title="", text=text.format(p=p.place.name if p.place else ""),
                        author_id=uid, author_name=name, parent=p.seq, extra={"quote": quote},
                    ))
            if p.kind != "complaint":
                continue
            if p.family == "weibo" and rng.random() < 0.15:
                uid, name = self._author(rng)
                out.append(SimPost(
                    seq=self._next(), family="weibo", channel=self._channel("weibo", rng),
                    at=p.at + timedelta(minutes=rng.randrange(3, 300)), kind="repost", topic=None, place=p.place,
                    title="", text=rng.choice(["转发微博", "同样的问题！", "//希望尽快解决"]),
                    author_id=uid, author_name=name, parent=p.seq,
                ))
            if rng.random() < 0.12:
                fam = rng.choice([f for f in ("weibo", "forum", "portal", "board") if f != p.family])
                copy = replace(
                    p, seq=self._next(), family=fam, channel=self._channel(fam, rng), dup_of=p.seq,
                    at=p.at + timedelta(minutes=rng.randrange(10, 180)), long=False,
                    text=rng.choice(["转：", "", "【转自网友】"]) + p.text.replace(LONG_SUPPLEMENT, ""),
                )
                out.append(copy)
        return out

    def _assign_ids(self, fam: str, items: list[SimPost]) -> list[SimPost]:
        rng = random.Random(f"{self.scenario.seed}:ids:{fam}")
        out: list[SimPost] = []
        for i, p in enumerate(items):
            if fam == "weibo":
                native = str(4_980_000_000_000_000 + i * 104_729 + rng.randrange(1000))
                status = "deleted" if p.kind == "complaint" and rng.random() < 0.03 else "ok"
                out.append(replace(p, native=native, status=status))
            elif fam == "wechat":
                r = rng.random()
                status = ("deleted" if r < 0.04 else "violation" if r < 0.06 else "privacy" if r < 0.07 else "ok")
                out.append(replace(p, native=str(2_247_480_000 + i * 3), status=status))
                if rng.random() < 0.25:  # a secondary article in the same push
                    second = replace(p, seq=self._next(), native=str(2_247_480_000 + i * 3), idx=2,
                                     title="文明小贴士", text="垃圾分类小知识：湿垃圾要破袋投放。", kind="chatter",
                                     topic=None, status="ok")
                    out.append(second)
            elif fam == "forum":
                out.append(replace(p, native=str(300_000 + i * 7)))
            elif fam == "board":
                out.append(replace(p, native=str(18_500_000 + i * 13)))
            else:
                out.append(replace(p, native=f"SQT{20_000 + i}"))
        return out

    # ---- queries ---------------------------------------------------------
    def visible(self, family: str, now: datetime) -> list[SimPost]:
        """The family's posts published by ``now``, oldest first."""
        items = self.posts.get(family, [])
        return items[: bisect.bisect_right(self._times[family], now)]

    def get(self, family: str, native: str) -> SimPost | None:
        """A post by its native id (the first one, for WeChat pushes)."""
        return self.by_native.get((family, native))

    def wechat_article(self, mid: str, idx: int) -> SimPost | None:
        """The WeChat article at position ``idx`` of push ``mid``."""
        for p in self.posts["wechat"]:
            if p.native == mid and p.idx == idx:
                return p
        return None

    def threads(self, fid: str, now: datetime) -> list[tuple[SimPost, list[SimPost]]]:
        """A forum's visible threads with their visible replies, most recent activity first."""
        visible = self.visible("forum", now)
        threads = [p for p in visible if p.parent is None and p.channel == fid]
        replies: dict[int, list[SimPost]] = {}
        for p in visible:
            if p.parent is not None:
                replies.setdefault(p.parent, []).append(p)
        rows = [(t, replies.get(t.seq, [])) for t in threads]
        return sorted(rows, key=lambda r: max([r[0].at] + [x.at for x in r[1]]), reverse=True)
