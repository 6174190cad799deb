"""The one table of Chinese labels for every enum: the console, notifications and reports all read it.

Keys are the enum values (``StrEnum`` members hash like their strings, so ``CASE_STATUS[CaseStatus.NEW]``
and ``CASE_STATUS["new"]`` are the same entry). A new enum value without a label fails the labels test.
"""

from __future__ import annotations

from enum import StrEnum

from core.model import (
    CaseStatus,
    MessageType,
    OutboxStatus,
    PlaceLevel,
    ReviewStatus,
    SentimentLabel,
    Severity,
    SourceHealth,
)

CASE_STATUS: dict[str, str] = {
    CaseStatus.NEW: "新发现", CaseStatus.ASSIGNED: "已分派", CaseStatus.IN_PROGRESS: "整改中",
    CaseStatus.RECTIFIED: "已整改", CaseStatus.VERIFIED: "已核查", CaseStatus.CLOSED: "已办结",
    CaseStatus.REOPENED: "已重开",
}
SEVERITY: dict[str, str] = {
    Severity.LOW: "轻微", Severity.NORMAL: "一般", Severity.HIGH: "较急", Severity.URGENT: "紧急",
}
REVIEW_STATUS: dict[str, str] = {
    ReviewStatus.PENDING: "待审核", ReviewStatus.CONFIRMED: "已确认", ReviewStatus.DISMISSED: "已排除",
    ReviewStatus.CORRECTED: "已更正",
}
SENTIMENT: dict[str, str] = {
    SentimentLabel.NEGATIVE: "负面", SentimentLabel.NEUTRAL: "中性", SentimentLabel.POSITIVE: "正面",
}
PLACE_LEVEL: dict[str, str] = {
    PlaceLevel.DISTRICT: "区", PlaceLevel.TOWN: "镇", PlaceLevel.COMMUNITY: "居委/村", PlaceLevel.COMPOUND: "小区",
    PlaceLevel.ROAD: "道路", PlaceLevel.CROSSING: "路口", PlaceLevel.RIVER: "河道", PlaceLevel.MARKET: "市场",
    PlaceLevel.LANDMARK: "地标", PlaceLevel.OTHER: "其他",
}
MESSAGE_TYPE: dict[str, str] = {
    MessageType.COMPLAINT: "投诉", MessageType.REQUEST: "求助", MessageType.INQUIRY: "咨询",
    MessageType.SUGGESTION: "建议", MessageType.PRAISE: "表扬", MessageType.OTHER: "其他",
}
OUTBOX_STATUS: dict[str, str] = {
    OutboxStatus.PENDING: "待推送", OutboxStatus.SENT: "已推送", OutboxStatus.DEAD: "推送失败",
}
SOURCE_HEALTH: dict[str, str] = {
    SourceHealth.OK: "正常", SourceHealth.BACKING_OFF: "退避中", SourceHealth.LOGIN_NEEDED: "需要登录",
    SourceHealth.BLOCKED: "被封禁", SourceHealth.FAILING: "出错", SourceHealth.UNKNOWN: "未知",
}

#: Case history actions (``CaseEvent.action``) and the outbox's event names.
CASE_EVENT: dict[str, str] = {
    "opened": "新案件", "flagged": "人工建案", "status": "状态变更", "evidence": "新增投诉", "note": "备注",
    "escalated": "超期督办", "supervised": "督办", "reopened": "案件重开", "delivered": "已推送",
    "daily_report": "每日问题汇总",
}
#: A source marked ``official: true`` (its posts are notices, not complaints).
OFFICIAL = "官方账号"
ROLE: dict[str, str] = {"reviewer": "文明办审核员", "department": "职能部门", "admin": "管理员"}
SOURCE_FAMILY: dict[str, str] = {
    "weibo": "微博", "wechat": "微信公众号", "portal": "社区通", "forum": "论坛", "board": "留言板",
}
#: The built-in topic kinds; a town's taxonomy may name more (its names win where it has them).
TOPIC_KINDS: dict[str, str] = {
    "sanitation": "市容环境", "shop_signs": "店招店牌", "illegal_construction": "违章搭建", "parking": "乱停车",
    "traffic": "交通文明", "food_hygiene": "食品卫生", "river": "河道污染", "greenery": "绿化",
    "noise": "噪声扰民", "facilities": "公共设施", "property": "物业管理", "other": "其他",
}

#: Each enum and its table (the labels test walks this).
ENUM_TABLES: dict[type[StrEnum], dict[str, str]] = {
    CaseStatus: CASE_STATUS, Severity: SEVERITY, ReviewStatus: REVIEW_STATUS, SentimentLabel: SENTIMENT,
    PlaceLevel: PLACE_LEVEL, MessageType: MESSAGE_TYPE, OutboxStatus: OUTBOX_STATUS, SourceHealth: SOURCE_HEALTH,
}


def label(value: object, table: dict[str, str]) -> str:
    """The Chinese label of ``value`` in ``table``, or the value itself when the table lacks it."""
    if value is None:
        return "—"
    key = getattr(value, "value", value)
    return table.get(key, str(key))


def code_of(value: str, table: dict) -> str | None:
    """The code for a code (any case) or a Chinese label of ``table`` (投诉 → complaint); None when neither."""
    v = value.strip()
    for code, name in table.items():
        code = getattr(code, "value", code)
        if v.lower() == code.lower() or v == name:
            return code
    return None
