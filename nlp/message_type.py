"""Message type: complaint (投诉), request (求助), inquiry (咨询), suggestion (建议), praise (表扬) or other.

Independent of the topic: a message about unpaid wages is a complaint although its topic is ``other``.
``is_complaint`` is true for complaints and requests.

A linear char n-gram model (``nlp/models/message_type.npz``, :mod:`nlp.message_type_train`) reads the text:
its ``other`` class (everyday Weibo) against the five kinds of civic message, learnt from letters composed from
the project's own phrases, its topic seeds and reviews (never from the TipDM 网络问政 messages, which are
evaluation-only data). A few explicit cues then decide where the writer says what the message is
(我要投诉, 请问…, 建议…), and the complaint judge (:mod:`nlp.complaint`) keeps a short report of a local
problem (沪太路的路灯坏了) a complaint and a thanked fix praise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.model import MessageType
from nlp.textfeat import LinearTextModel, normalize

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "message_type.npz"
COMPLAINT_TYPES = frozenset({MessageType.COMPLAINT, MessageType.REQUEST})
#: Above this model probability of ``other`` (everyday talk) a post without complaint evidence is ``other``.
OTHER_MIN = 0.5
#: ... in a text longer than ``LONG``: the ``other`` class learnt short everyday posts (weibo2018, nearly all under
#: 200 characters), and a long letter full of words it never saw drifts towards it.
OTHER_MIN_LONG = 0.7
LONG = 200
#: Log-odds added to complaint and request when the civic kinds are ranked. The model learnt composed letters, in
#: which inquiries and proposals are as frequent as complaints; real letters to officials are mostly complaints and
#: requests. Chosen by ``python -m nlp.message_type_train --calibrate`` on the TipDM messages outside every blind
#: sample: the smallest value that flags at least ``nlp.message_type_train.FLAG_TARGET`` of them.
COMPLAINT_BIAS = 0.2
#: Above this, a problem topic alone (no cue, no problem pattern) does not make everyday talk a complaint.
EVERYDAY_SURE = 0.9
#: The model's praise needs this probability (and no problem cue), else the next kind wins.
PRAISE_MIN = 0.6
#: Sentiment above which a post with no problem in sight is no complaint.
POSITIVE = 0.6
#: ... in a short post (long letters to officials read formal and polite, whatever they say).
SHORT = 120
#: ... when the model leans towards everyday talk at least this much (formal letters read positive too).
LEANS_EVERYDAY = 0.25

#: The writer names the message: these win over the model.
SAYS_COMPLAINT = re.compile(r"(我|特此|现|特|实名|在此|向您|向你们)?(投诉|举报|曝光)(?!电话|热线|渠道|平台|方式|箱)")
SAYS_REQUEST = re.compile(r"求助|救救|求求|恳请.{0,12}(帮|解决|救)|请求.{0,10}(帮助|救助|解决)|帮帮")
SAYS_SUGGESTION = re.compile(r"^(关于)?.{0,20}(建议|倡议|呼吁)|我(想|要)?建议|提(个|一点|几点|点)?(建议|意见)")
SAYS_INQUIRY = re.compile(r"^.{0,30}(请问|咨询|想问|问一下|想了解|询问)|^(请问|咨询)")
PROBLEM = re.compile(
    r"没人管|无人管|不作为|拖欠|欠薪|扰民|污染|违规|违法|乱收费|克扣|坑|强制|强行|不合理|不公平|投诉|举报|严重|"
    r"太(脏|乱|吵|臭|差)|坏了|漏水|堵|隐患|受不了|无法|至今|多次|一直"
)


#: Official notices, campaign reports and civic tips (文明小贴士): not residents' complaints, unless the writer
#: speaks for themselves.
NOTICE = re.compile(
    r"小贴士|温馨提示|倡议书|文明提示|通知公告|[（(]?(记者|通讯员)|据悉|日前|"
    r"(开展|组织|启动|部署).{0,12}(整治|执法|行动|检查|巡查|宣传)|共(拆除|清理|查处|整治|取缔|劝离|处罚)|"
    r"^(近日|日前|今天|昨天|本周|上周).{0,20}(镇|街道|城管|居委|市场监管|执法)"
)
#: A message's subject line (its first line, when short) says what kind it is: 请问/咨询 asks, 请求/恳请/请…帮 asks
#: for help, 建议 proposes. A bare question mark does not make an inquiry: letters to officials put their grievances
#: as questions (…什么时候能解决？), and reading those as inquiries cut the complaints found in real letters from
#: 0.875 to 0.812 while agreement with the blind test half fell (0.813 → 0.806); rhetorical questions (为什么…,
#: 谁来管) stay with the model even with 请问.
TITLE_MAX = 60
TITLE_INQUIRY = re.compile(r"请问|咨询")
TITLE_RHETORIC = re.compile(r"为什么|为何不|为啥|凭什么|谁来|谁管|难道|还要|怎么能|何时才|到底")
TITLE_REQUEST = re.compile(r"^(请求|恳请|求助|请(您|你们|领导)?(帮|责令|协调|督促|救)|帮帮)")
TITLE_SUGGESTION = re.compile(r"^(关于.{0,20})?(建议|倡议)")
#: The writer speaking for themselves; a campaign slogan's 我 (垃圾分类从我做起, 我为人人) is nobody's own voice.
FIRST_PERSON = re.compile(r"从我(?!做起|开始)|(?<!从)我(?!为人人)|本人|咱|俺")
#: A reply that agrees with a thread (楼主说得对…, 顶, +1) echoes its complaint: counting it again would double the
#: thread, and it carries no topic of its own.
ECHO = re.compile(r"^(楼主|楼上|层主|顶|同意|支持|说得对|赞同|\+1|同感|同求|附议|回复|确实|是的|对的)")


#: A subject line naming a wrong done (拖欠, 违规 …) keeps the message a complaint whatever its form.
PROBLEM_TITLE = re.compile(r"投诉|举报|拖欠|欠薪|克扣|违规|违法|乱收费|强拆|诈骗|扰民|污染")


def subject_line(text: str) -> str:
    """The message's subject line: its first line when the text has more and it is short, else ""."""
    first, sep, rest = text.partition("\n")
    return first.strip() if sep and rest.strip() and len(first.strip()) <= TITLE_MAX else ""


#: Where a letter says what it asks: its subject line (or first sentence) and its closing sentences are copied
#: into two disjoint character planes, so that the model's n-grams there are features of their own
#: (请问 in the subject line is not 请问 in a story).
HEAD_PLANE = 0xF0000
TAIL_PLANE = 0x100000
HEAD_MAX = 60
TAIL_MAX = 80
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def _shift(text: str, plane: int) -> str:
    return "".join(chr(plane + ord(c)) if ord(c) < 0xFFFE else c for c in normalize(text))


def ask_parts(text: str) -> tuple[str, str]:
    """(head, tail): the subject line or else the first sentence, and the last two sentences of the body."""
    title = subject_line(text)
    body = text.partition("\n")[2] if title else text
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(body) if m.group(0).strip()]
    head = title or (sentences[0] if sentences else "")
    tail = "".join(sentences[-2:]) if len(sentences) > 1 or title else ""
    return head[:HEAD_MAX], tail[-TAIL_MAX:]


def frame(text: str) -> str:
    """The model's input: the text, then its head and tail in their own character planes."""
    head, tail = ask_parts(text)
    return f"{text} {_shift(head, HEAD_PLANE)} {_shift(tail, TAIL_PLANE)}"


def is_framed(model: LinearTextModel) -> bool:
    """Whether the model was trained on :func:`frame` input (its vocabulary has head or tail n-grams)."""
    return any(ord(g[0]) >= HEAD_PLANE for g in model.index)


@dataclass(frozen=True)
class TypeResult:
    """A message type and the model's probabilities behind it."""

    message_type: MessageType
    scores: dict[str, float]

    @property
    def is_complaint(self) -> bool:
        """Complaints and requests count as complaints."""
        return self.message_type in COMPLAINT_TYPES


class MessageTypeClassifier:
    """The message-type model plus the writer's own cues."""

    def __init__(self, model: LinearTextModel | None, complaint_bias: float = COMPLAINT_BIAS) -> None:
        self.model = model
        self.framed = model is not None and is_framed(model)
        self.boost = math.exp(complaint_bias)

    @classmethod
    def load(cls, path: Path | None = None) -> MessageTypeClassifier:
        """The shipped model (cues only when the file is missing)."""
        p = path or DEFAULT_MODEL
        return cls(LinearTextModel.load(p) if p.is_file() else None)

    def classify(self, texts: Sequence[str], judged: Sequence[int] | None = None,
                 praised: Sequence[bool] | None = None, sentiments: Sequence[float] | None = None) -> list[TypeResult]:
        """Types for ``texts``. ``judged``: the complaint judge's verdicts (0 none, 1 a problem topic alone, 2 a
        problem topic with a complaint cue or problem pattern); ``praised``: its praise verdicts; ``sentiments``:
        0..1 scores (a positive post without any problem is no complaint)."""
        probs = None
        if self.model is not None and texts:
            probs = self.model.scores([frame(t) for t in texts] if self.framed else texts)
        out = []
        for i, text in enumerate(texts):
            scores = ({c: round(float(p), 4) for c, p in zip(self.model.classes, probs[i], strict=True)}
                      if probs is not None else {})
            kind = self._decide(text, scores, judged[i] if judged else 0, praised[i] if praised else False,
                                self.boost, sentiments[i] if sentiments else 0.5)
            out.append(TypeResult(kind, scores))
        return out

    @staticmethod
    def _decide(text: str, scores: dict[str, float], judged: int, praised: bool, boost: float,
                sentiment: float) -> MessageType:
        head = text[:80]
        civic = {c: p for c, p in scores.items() if c != "other"}
        p_other = scores.get("other", 0.0 if scores else 1.0)
        other_min = OTHER_MIN_LONG if len(text) > LONG else OTHER_MIN
        # the judge's praise (a thanked fix) holds unless the model reads a message to officials about something else
        if praised and (p_other >= other_min or len(text) <= 80 or max(civic, key=civic.__getitem__) == "praise"):
            return MessageType.PRAISE
        if SAYS_COMPLAINT.search(head):
            return MessageType.COMPLAINT
        if NOTICE.search(head) and not FIRST_PERSON.search(text):
            return MessageType.OTHER
        if ECHO.match(text) and not judged and len(text) <= SHORT:
            return MessageType.OTHER
        if SAYS_REQUEST.search(head):
            return MessageType.REQUEST
        title = subject_line(text)
        if title and not PROBLEM_TITLE.search(title):
            if TITLE_REQUEST.search(title):
                return MessageType.REQUEST
            if TITLE_SUGGESTION.search(title):
                return MessageType.SUGGESTION
            if TITLE_INQUIRY.search(title) and not TITLE_RHETORIC.search(title):
                return MessageType.INQUIRY
        if p_other >= other_min:
            # everyday talk: a complaint only on the judge's word, and a firm word where the model is sure
            firm = judged >= 2 or (judged == 1 and p_other < EVERYDAY_SURE)
            return MessageType.COMPLAINT if firm else MessageType.OTHER
        if SAYS_INQUIRY.search(head) and not PROBLEM.search(text[:200]):
            return MessageType.INQUIRY
        if SAYS_SUGGESTION.search(head):
            return MessageType.SUGGESTION
        ranked = {c: p * boost if c in COMPLAINT_TYPES else p for c, p in civic.items()}
        best = max(ranked, key=ranked.__getitem__) if ranked else MessageType.COMPLAINT
        if best == MessageType.PRAISE and (judged or civic[best] < PRAISE_MIN or PROBLEM.search(text)):
            # thanks and politeness close many complaints: praise needs a sure model and no problem in sight
            rest = {c: p for c, p in ranked.items() if c != MessageType.PRAISE}
            best = max(rest, key=rest.__getitem__) if rest else MessageType.COMPLAINT
        if best in (MessageType.INQUIRY, MessageType.SUGGESTION) and judged:
            return MessageType.COMPLAINT  # the judge saw a local problem and the writer did not ask or propose
        if (best == MessageType.COMPLAINT and not judged and sentiment > POSITIVE and len(text) <= SHORT
                and p_other >= LEANS_EVERYDAY and not PROBLEM.search(text)):
            return MessageType.OTHER  # a pleasant post about the neighbourhood (周末带孩子去公园放风筝)
        return MessageType(best)
