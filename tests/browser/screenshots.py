"""Take the screenshots kept in docs/screenshots: ``python -m tests.browser.screenshots [out dir]``.

Serves a seeded console (as the browser tests do), walks a case through its first steps so the
board and case page have something to show, and captures each main page in headless Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from core import CaseStatus
from tests.browser.live import CHROMIUM, LAUNCH_ARGS, live_console
from tests.web_support import DEPARTMENT, PASSWORD

PAGES = [
    ("office", "review", "/review"),
    ("office", "search", "/search?q=垃圾"),
    ("office", "hotspots", "/hotspots?days=30"),
    ("office", "events", "/events?days=30"),
    ("office", "sources", "/sources"),
    ("office", "cases", "/cases"),
    ("cg", "case", "/cases/{case}"),
]


def _seed_cases(app) -> str:
    con = app.state.console
    store, svc = con.store, con.cases
    hits = store.search(__query(limit=60)).hits
    by_key: dict[tuple, list[str]] = {}
    for h in hits:
        by_key.setdefault((h.post.effective_place_ids[0], h.post.effective_topic), []).append(h.post.id)
    ids = []
    for (place, topic), posts in list(by_key.items())[:8]:
        ids.append(svc.flag(posts[:4], "office", place_id=place, topic=topic).id)
    svc.transition(ids[0], CaseStatus.ASSIGNED, "office", "reviewer", department=DEPARTMENT)
    svc.transition(ids[0], CaseStatus.IN_PROGRESS, "cg", "department", department=DEPARTMENT, note="已安排人员")
    for i in ids[1:4]:
        svc.transition(i, CaseStatus.ASSIGNED, "office", "reviewer")
    return ids[0]


def __query(**kw):
    from storage import PostQuery

    return PostQuery(is_complaint=True, sort="newest", **kw)


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def phone_shots(browser, base: str, case_id: str, out: Path) -> None:
    """The case page as a grid worker sees it on a phone: the task, then the error of a rectification without
    a photo, shown on the form."""
    ctx = browser.new_context(locale="zh-CN", **PHONE)
    page = ctx.new_page()
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', "cg")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state("load")
    page.goto(f"{base}/cases/{case_id}")
    page.screenshot(path=str(out / "case-phone.png"))
    page.fill("textarea[name=note]", "垃圾已清运，已安排每日巡查")
    page.click('button[value="rectified"]')
    page.wait_for_load_state("load")
    page.screenshot(path=str(out / "case-phone-error.png"))
    print(out / "case-phone.png", out / "case-phone-error.png")
    ctx.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_console(Path(tmp)) as (base, app), sync_playwright() as p:
        case_id = _seed_cases(app)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for user in ("office", "cg"):
            ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            page.goto(f"{base}/login")
            if user == "office":
                page.screenshot(path=str(out / "login.png"))
            page.fill('input[name="username"]', user)
            page.fill('input[name="password"]', PASSWORD)
            page.click('button[type="submit"]')
            page.wait_for_load_state("load")
            for who, name, path in PAGES:
                if who != user:
                    continue
                page.goto(base + path.format(case=case_id))
                page.screenshot(path=str(out / f"{name}.png"), full_page=name not in ("review", "search"))
                print(out / f"{name}.png")
            ctx.close()
        phone_shots(browser, base, case_id, out)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
