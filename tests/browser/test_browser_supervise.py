"""督办 in a real headless Chromium (Debian's chromium, as in tests/browser): the office urges a case in
progress from its page at a phone viewport; the history shows it and the department's page has no 督办 form."""

from __future__ import annotations

from core import CaseStatus
from storage import PostQuery
from tests.browser.test_browser_cases import log_out
from tests.browser.test_browser_console import log_in
from tests.web_support import DEPARTMENT


def test_office_supervises_from_the_case_page_on_a_phone(browser, console) -> None:
    base, app = console
    con = app.state.console
    post = next(p for p in con.store.iter_posts(PostQuery(limit=50, highlight=False))
                if p.is_complaint and p.effective_place_ids)
    case = con.cases.flag([post.id], "office", place_id="dc-rd-changzhong", topic="sanitation")
    assert case.department == DEPARTMENT  # the 城管 user "cg" works on it
    con.cases.transition(case.id, CaseStatus.ASSIGNED, "office", "reviewer")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, base, "office")
        page.goto(f"{base}/cases/{case.id}")
        form = page.locator("form.supervise-form")
        assert form.is_visible() and "督办意见" in form.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # fits the phone's width
        form.locator('textarea[name="note"]').fill("居民反映强烈，请今日内处理并反馈")
        with page.expect_navigation():
            form.locator("button.to-supervise").click()
        history = page.locator(".history li").first.inner_text()
        assert "督办" in history and "居民反映强烈，请今日内处理并反馈" in history and "office" in history
        stored = con.store.get_case(case.id)
        assert stored.history[-1].action == "supervised" and stored.status is CaseStatus.ASSIGNED
        log_out(page)
        log_in(page, base, "cg")
        page.goto(f"{base}/cases/{case.id}")
        assert "居民反映强烈" in page.locator(".history").inner_text()
        assert page.locator("form.supervise-form").count() == 0
    finally:
        context.close()
