"""Cases in a real headless Chromium: the office opens and assigns, the department rectifies with a photo."""

from __future__ import annotations

import pytest

from core import CaseStatus
from storage import PostQuery
from tests.browser.test_browser_console import log_in
from tests.web_support import tiny_png

pytest.importorskip("alerts.cases")


def log_out(page) -> None:
    page.click(".who button")
    page.wait_for_url("**/login")


def test_open_assign_and_rectify_with_a_photo(page, console, tmp_path):
    base, app = console
    store = app.state.console.store
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # the office opens a case from a queue card, then assigns it
    log_in(page, base, "office")
    card = page.locator(".queue article.post").nth(1)
    card.locator("details.more summary").click()
    card.locator('button[value="open_case"]').click()  # the queue stays; the toast links to the case
    with page.expect_navigation():
        page.locator("#toast a").click()
    assert "/cases/" in page.url
    case_id = page.url.rsplit("/", 1)[1]
    assert store.get_case(case_id).status is CaseStatus.NEW
    with page.expect_navigation():
        page.click('button[value="assigned"]')
    case = store.get_case(case_id)
    assert case.status is CaseStatus.ASSIGNED
    assert "已分派" in page.locator(".taskbox").inner_text()
    log_out(page)

    # the department sees it on its board, starts work, and reports it rectified with a photo
    log_in(page, base, "cg")
    page.click(f'a[data-case="{case_id}"]')
    page.wait_for_url(f"**/cases/{case_id}")
    assert page.locator('button[value="verified"]').count() == 0
    with page.expect_navigation():
        page.click('button[value="in_progress"]')
    photo = tmp_path / "整改后.png"
    photo.write_bytes(tiny_png(40, 30))
    form = page.locator("form.transition")
    form.locator('textarea[name="note"]').fill("垃圾已清运，已安排每日巡查")
    form.locator('input[type="file"]').set_input_files(str(photo))
    with page.expect_navigation():
        form.locator('button[value="rectified"]').click()
    case = store.get_case(case_id)
    assert case.status is CaseStatus.RECTIFIED
    img = page.locator(".history .photos img").first
    img.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", img.element_handle()) == 40
    assert "垃圾已清运" in page.locator(".history").inner_text()
    countdown = page.locator(".countdown").inner_text()  # the clock stopped when it was rectified
    assert countdown.startswith("已整改")
    assert dialogs == []


def test_other_department_is_refused(page, console):
    base, app = console
    store = app.state.console.store
    from alerts.cases import CaseService

    svc = CaseService(store, app.state.console.config)
    post = store.search(PostQuery(limit=1)).hits[0].post
    case = svc.flag([post.id], "office")
    log_in(page, base, "sc")
    assert page.locator(f'a[data-case="{case.id}"]').count() == 0
    page.goto(f"{base}/cases/{case.id}")
    assert "不属于您的部门" in page.locator(".error").inner_text()
