"""The console in a real headless Chromium: log in, review, search with the chart, XSS payloads inert."""

from __future__ import annotations

from core import ReviewStatus, post_id
from tests.browser.live import XSS_TEXT
from tests.web_support import PASSWORD

XSS_ID = post_id("portal:shequtong", "xss")


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state("load")


def test_login_failure_then_success(page, console):
    base, _ = console
    page.goto(f"{base}/review")
    assert "/login" in page.url
    page.fill('input[name="username"]', "office")
    page.fill('input[name="password"]', "wrong")
    page.click('button[type="submit"]')
    assert page.locator(".flash.error").inner_text() == "用户名或密码错误"
    log_in(page, base, "office")
    assert page.url.endswith("/review")
    assert "王审核" in page.locator(".who").inner_text()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["yq_session"]["httpOnly"] and cookies["yq_session"]["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # not readable by scripts


def test_review_with_keyboard_and_buttons(page, console):
    """Actions change the queue in place: no reload, the selection kept, a toast with undo; shortcuts work."""
    base, app = console
    store = app.state.console.store
    log_in(page, base, "office")
    page.evaluate("window.__same_page = 1")  # gone if the page reloads
    cards = page.locator(".queue article.post")
    first_id = cards.nth(0).get_attribute("data-post")
    second_id = cards.nth(1).get_attribute("data-post")
    third = cards.nth(2)
    third_id = third.get_attribute("data-post")
    third.locator('input[name="post_id"][form="bulk"]').check()  # a selection that must survive the actions
    page.evaluate("document.activeElement.blur()")  # shortcuts are off while a field has the focus
    page.keyboard.press("j")
    assert "current" in (cards.nth(0).get_attribute("class") or "")
    page.keyboard.press("c")  # confirm the first
    page.locator("#toast", has_text="已确认").wait_for()
    page.locator(f"#post-{first_id}").wait_for(state="detached")
    assert store.get_post(first_id).review.status is ReviewStatus.CONFIRMED
    page.locator(f"#post-{second_id} .act-confirm button[value=dismiss]").click()
    page.locator("#toast", has_text="已排除").wait_for()
    page.locator(f"#post-{second_id}").wait_for(state="detached")
    assert store.get_post(second_id).review.status is ReviewStatus.DISMISSED
    assert page.evaluate("window.__same_page") == 1
    assert page.locator(f'#post-{third_id} input[name="post_id"][form="bulk"]').is_checked()
    # undo from the toast puts the card back and the post back in the queue
    page.click("#toast button.undo")
    page.locator("#toast", has_text="已撤销").wait_for()
    page.locator(f"#post-{second_id}").wait_for()
    assert store.get_post(second_id).review.status is ReviewStatus.PENDING
    assert page.evaluate("window.__same_page") == 1
    audit = app.state.console.audit.tail()
    assert [e["action"] for e in audit[:3]] == ["review_undo", "review_dismiss", "review_confirm"]


def test_shortcuts_for_correct_and_open_case(page, console):
    base, app = console
    store = app.state.console.store
    log_in(page, base, "office")
    cards = page.locator(".queue article.post")
    first_id = cards.nth(0).get_attribute("data-post")
    page.keyboard.press("j")
    page.keyboard.press("e")
    assert cards.nth(0).locator("details.more").get_attribute("open") is not None
    assert page.evaluate("document.activeElement.name") == "topic"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("o")  # 建案 for the current card, without leaving the queue
    page.locator("#toast", has_text="已建立案件").wait_for()
    page.locator(f"#post-{first_id}").wait_for(state="detached")
    case_id = store.get_post(first_id).case_id
    assert case_id and page.locator("#toast a").get_attribute("href") == f"/cases/{case_id}"


def test_queue_works_without_javascript(browser, console):
    base, app = console
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, "office")
    first_id = page.locator(".queue article.post").nth(0).get_attribute("data-post")
    page.locator(f"#post-{first_id} .act-confirm button[value=confirm]").click()
    page.wait_for_load_state("load")
    assert "已确认 1 条" in page.locator("#toast").inner_text()
    assert page.locator(f"#post-{first_id}").count() == 0
    page.click("#toast button.undo")
    page.wait_for_load_state("load")
    assert "已撤销" in page.locator("#toast").inner_text()
    assert page.locator(f"#post-{first_id}").count() == 1
    assert app.state.console.store.get_post(first_id).review.status is ReviewStatus.PENDING
    context.close()


def test_similar_posts_load_when_opened(page, console):
    base, _ = console
    log_in(page, base, "office")
    details = page.locator(".queue article.post details.similar").first
    details.locator("summary").click()
    details.locator(".similar-list li, .muted").first.wait_for()
    assert details.locator(".similar-list li").count() >= 1


def test_script_and_html_payloads_are_inert(page, console):
    base, _ = console
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, base, "office")
    for url in (f"{base}/review", f"{base}/review?q=垃圾清运", f"{base}/search?q=垃圾清运", f"{base}/search?q=script"):
        page.goto(url)
        text = page.locator(f"#post-{XSS_ID}").inner_text()
        assert "script" in text and "alert(" in text
        assert page.locator("script:not([src])").count() == 0
        assert page.locator("article.post img").count() == 0
        assert page.locator('article.post a[href^="javascript:"]').count() == 0
        assert page.evaluate("window.__xss") is None
    page.goto(f"{base}/review")
    card = page.locator(f"#post-{XSS_ID}")
    assert XSS_TEXT in card.locator(".text").inner_text()
    assert "<b>标题</b><script>alert('t')</script>" in card.locator(".title").inner_text()
    page.goto(f"{base}/posts/{XSS_ID}")
    assert XSS_TEXT in page.locator(".fulltext").inner_text()
    assert page.locator("article.post .orig").count() == 0  # javascript: link not rendered
    assert dialogs == []


def test_search_shows_highlights_and_draws_the_charts(page, console):
    base, _ = console
    log_in(page, base, "office")
    page.click("nav >> text=检索")
    page.fill('input[name="q"]', "垃圾")
    page.click('form.filters button[type="submit"]')
    page.wait_for_load_state("load")
    assert page.locator("article.post em").first.inner_text() == "垃圾"
    chart = page.locator("svg.chart-stacked")
    chart.wait_for()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    bars = page.locator("svg.chart-stacked rect.bar")
    assert bars.count() >= 5
    heights = [float(bars.nth(i).get_attribute("height")) for i in range(bars.count())]
    assert max(heights) > 10
    assert page.locator("svg.chart-hbars").first.locator("rect.bar").count() >= 1
    with page.expect_download() as dl:
        page.click("a.export-csv")
    assert dl.value.suggested_filename.endswith(".csv")


def test_department_user_sees_no_review_queue(page, console):
    base, _ = console
    log_in(page, base, "cg")
    assert page.url.endswith("/cases")
    assert page.locator("nav >> text=待审核").count() == 0
    page.goto(f"{base}/review")
    assert "无权访问" in page.locator(".error").inner_text()


def test_brief_download_in_one_click(page, console, tmp_path):
    import io

    from docx import Document

    base, _ = console
    log_in(page, base, "office")
    page.goto(f"{base}/reports")
    with page.expect_download() as dl:
        page.click("button.brief-daily")
    assert dl.value.suggested_filename.startswith("舆情日报") and dl.value.suggested_filename.endswith(".docx")
    path = tmp_path / "brief.docx"
    dl.value.save_as(str(path))
    doc = Document(io.BytesIO(path.read_bytes()))
    assert doc.paragraphs[0].text.startswith("舆情日报") and any("热点事件" in p.text for p in doc.paragraphs)
