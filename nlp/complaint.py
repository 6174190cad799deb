"""Complaint and severity: is this post a complaint about a local problem, and how urgent is it?

A neutral-toned report of a problem is a complaint; praise of a rectified problem is not. Severity starts
from the topic's urgency class (urgent → high, routine/difficult → normal) and rises with danger cues
(安全隐患, 摔倒, 砸到 …) and, for difficult problems, with signs that it is chronic (多次, 几个月 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import Severity
from nlp.taxonomy import OTHER, Taxonomy

COMPLAINT_CUES = re.compile(
    r"反映|投诉|举报|曝光|求助|没人管|无人管|没人理|无人理|不作为|推诿|踢皮球|12345|市民热线|热线|随申办|"
    r"多次|反复|屡次|一直|好几次|好几天|几个月|半年|长期|至今|还是没|仍然|依旧|"
    r"希望.{0,12}(管|处理|解决|整治|整改|重视|清理|拆除)|请.{0,10}(处理|解决|整治|管管|清理|拆除|重视)|"
    r"能不能|有没有人|谁来管|什么时候|怎么回事|管管|严重|影响|扰民|受不了|太(脏|乱|吵|臭|差)|"
    r"坏了|不亮|堵(住|死|了)|脏乱差|隐患"
)
#: A sentiment score below this is a clearly negative tone: with a place, a complaint even without a cue.
CLEARLY_NEGATIVE = 0.3
#: Praise of a fixed problem, or the statement that it was fixed.
PRAISE_CUES = re.compile(
    r"已整改|整改到位|整改完成|已经(修好|清理|拆除|解决|处理)|(修好|清理干净|拆除|解决|处理好)了|焕然一新|点个?赞|"
    r"变(美|干净|整洁)了|越来越(好|美|干净)|干净整洁|效率(真|很)?高|好评|终于(修好|清理|解决|拆除|整治)|"
    r"(?<!不)给力|舒服多了|大变样|效果(很好|明显|不错|显著)|效率可以|换(了|上)新的"
)
#: Thanks praise a fix only in a post without complaint cues: a closing 谢谢 of a request is politeness.
THANKS = re.compile(r"感谢|谢谢")
#: The problem is back or still open (又, 还是, 没过几天; 围挡还不拆, 至今没人修; not 还没多收钱 in praise).
RECURRENCE = re.compile(r"又|再次|还是|仍然|依旧|没过几天|(还|仍|依然|至今)(不|没有?|未)(人)?"
                        r"(拆|修|处理|管|解决|清|整改|整治|来|到位|落实|恢复|动工|回复|答复|退|还|发|赔)")
DANGER_CUES = re.compile(
    r"安全隐患|隐患|摔倒|摔伤|绊倒|砸到|砸伤|砸中|受伤|流血|触电|漏电|起火|着火|火灾|坍塌|倒塌|掉下来|掉落|脱落|"
    r"随时(会|可能)|危险|险些|差点|中毒|食物中毒|溺水|孩子|小孩|老人|学生|救护车"
)
CHRONIC_CUES = re.compile(r"多次|反复|屡次|一直|好几次|几个月|半年|一年|长期|至今|老大难")
_UP = [Severity.LOW, Severity.NORMAL, Severity.HIGH, Severity.URGENT]


@dataclass(frozen=True)
class ComplaintResult:
    """Complaint decision with its severity and the cues seen."""

    is_complaint: bool
    severity: Severity
    cues: tuple[str, ...]
    praise: bool = False  # praise of a fixed problem (or thanks without complaint cues)


def judge(text: str, topic: str, sentiment: float, taxonomy: Taxonomy, pattern_hit: bool = False,
          has_place: bool = False) -> ComplaintResult:
    """Decide complaint and severity from the text, its topic, its sentiment (0..1), whether a problem
    pattern of the topic matched and whether the post names a place."""
    found = list(COMPLAINT_CUES.finditer(text))
    cues = tuple(m.group(0) for m in found)
    last_cue = max((m.start() for m in found), default=-1)
    praised = [m.start() for m in PRAISE_CUES.finditer(text)]
    # praise of a fixed problem: the post ends on it (no complaint cue after the praise) and the problem is not back
    praise = not RECURRENCE.search(text) and (
        (bool(praised) and praised[-1] > last_cue) or (not found and THANKS.search(text) is not None))
    problem = topic != OTHER
    if praise:
        return ComplaintResult(False, Severity.LOW, cues, praise=True)
    elif problem:
        is_complaint = bool(cues) or pattern_hit or sentiment < 0.6
    else:
        is_complaint = (bool(cues) and sentiment < 0.5) or (has_place and sentiment < CLEARLY_NEGATIVE)
    if not is_complaint:
        return ComplaintResult(False, Severity.LOW, cues)
    urgency = taxonomy.get(topic).urgency if topic in taxonomy else "routine"
    level = 2 if urgency == "urgent" else 1
    danger = DANGER_CUES.search(text) is not None
    if danger:
        level += 1
    if urgency == "difficult" and CHRONIC_CUES.search(text):
        level += 1
    if not problem:
        level = min(level, 1)
    return ComplaintResult(True, _UP[min(level, 3)], cues)
