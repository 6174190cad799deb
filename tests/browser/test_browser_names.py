"""In Chromium: an admin reveals one poster's full name (audited); a reviewer has no such button."""

from __future__ import annotations

from core import post_id
from tests.browser.test_browser_console import log_in

POST = post_id("weibo", "s0")


def test_admin_reveals_a_poster_name(page, console):
    base, app = console
    full = app.state.console.store.get_post(POST).author.name
    log_in(page, base, "admin")
    page.goto(f"{base}/posts/{POST}")
    shown = page.locator(".poster .poster-name")
    assert shown.inner_text() == full[0] + "**" and full not in page.content()
    with page.expect_navigation():
        page.locator("form.reveal button").click()
    assert shown.inner_text() == full and "已记入审计" in page.locator(".poster").inner_text()
    entry = app.state.console.audit.tail()[0]
    assert (entry["actor"], entry["action"], entry["target"]) == ("admin", "reveal_name", f"post:{POST}")
    page.goto(f"{base}/posts/{POST}")  # the next view is masked again
    assert shown.inner_text() != full


def test_reviewer_has_no_reveal_button(page, console):
    base, _ = console
    log_in(page, base, "office")
    page.goto(f"{base}/posts/{POST}")
    assert page.locator(".poster .poster-name").inner_text().endswith("*")
    assert page.locator("form.reveal").count() == 0
