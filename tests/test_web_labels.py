"""One vocabulary: every enum value has exactly one Chinese label, and console, notifications and reports use it."""

from __future__ import annotations

import enum

import core.model
from core import labels


def test_every_enum_of_the_model_has_a_table():
    enums = {obj for obj in vars(core.model).values()
             if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == "core.model"}
    assert enums == set(labels.ENUM_TABLES), "an enum of core.model without a label table in core.labels"


def test_every_value_has_exactly_one_label_and_labels_do_not_repeat():
    for kind, table in labels.ENUM_TABLES.items():
        values = {m.value for m in kind}
        assert set(table) == values, f"{kind.__name__}: labels for {sorted(set(table) ^ values)}"
        names = list(table.values())
        assert all(n.strip() for n in names) and len(set(names)) == len(names), f"{kind.__name__}: {names}"


def test_console_notifications_and_reports_read_the_same_table():
    from alerts import lifecycle, report
    from alerts.channels import render
    from web import present

    assert render.STATUS_ZH is labels.CASE_STATUS is present.CASE_STATUS_NAMES is lifecycle.STATUS_ZH
    assert render.SEVERITY_ZH is labels.SEVERITY is present.SEVERITY_NAMES
    assert render.EVENT_ZH is labels.CASE_EVENT is present.EVENT_NAMES
    assert report.SOURCE_ZH is labels.SOURCE_FAMILY is present.SOURCE_FAMILY_NAMES


def test_a_notification_and_the_console_say_the_same_words(tmp_path):
    from alerts.channels.render import render
    from tests.web_support import login, make_client

    message = render({"event": "status", "case": {"id": "c1", "title": "场中路垃圾", "status": "new",
                                                  "severity": "normal", "evidence": []}, "detail": {}})
    assert f"紧急程度：{labels.SEVERITY['normal']}" in message.text
    assert f"状态：{labels.CASE_STATUS['new']}" in message.text
    client = make_client(tmp_path)
    con = client.app.state.console
    from tests.web_support import sample_posts

    case = con.cases.flag([sample_posts()[0].id], "office")
    login(client, "office")
    page = client.get(f"/cases/{case.id}").text
    assert labels.CASE_STATUS["new"] in page and labels.SEVERITY[case.severity] in page
