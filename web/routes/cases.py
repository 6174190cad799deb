"""案件: the status board and list, the case page, transitions, notes and photo evidence."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from alerts.lifecycle import can_supervise
from core import SHANGHAI, Case, CaseStatus, Conflict, NotFound, labels
from storage import CaseQuery, PostQuery
from web import charts, present
from web.auth import User
from web.deps import BadRequest, Console, CsrfUser, CurrentUser, Forbidden, console, render
from web.photos import MAX_PHOTOS, CheckedPhoto, PhotoRejected, check_photo, discard, photo_response, store_photos

router = APIRouter()
BOARD = [CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.RECTIFIED, CaseStatus.VERIFIED,
         CaseStatus.REOPENED, CaseStatus.CLOSED]


_SEVERITY_RANK = {"low": 1, "normal": 2, "high": 3, "urgent": 4}


class FormError(BadRequest):
    """A case form the service refused: shown on the case page, above the form, with what was typed."""

    def __init__(self, case_id: str, message: str, status: int = 400) -> None:
        super().__init__(message, status)
        self.case_id = case_id


def visible(user: User, case: Case) -> bool:
    """Whether this user may see (and so act on) a case: department users only their department's."""
    return user.role != "department" or (case.department is not None and case.department == user.department)


def _case_or_404(con: Console, user: User, case_id: str) -> Case:
    case = con.store.get_case(case_id)
    if case is None:
        raise BadRequest("案件不存在", 404)
    if not visible(user, case):
        raise Forbidden("该案件不属于您的部门")
    return case


def _departments(con: Console) -> list[str]:
    seen = {c.department for c in con.store.list_cases(CaseQuery(limit=500)).items if c.department}
    return sorted(seen | set(con.departments))


@router.get("/cases")
def board(request: Request, user: CurrentUser, status: str = "", department: str = "", topic: str = "",
          place: str = "", view: str = "board", page: str = "1"):
    """A board by status (open cases and recent closings) and a filterable list."""
    con = console(request)
    if user.role == "department":
        department = user.department or ""
    statuses: tuple[CaseStatus, ...] = ()
    if status:
        try:
            statuses = (CaseStatus(status),)
        except ValueError:
            raise BadRequest("未知的案件状态") from None
    page = _page_number(page)
    size = 50
    q = CaseQuery(statuses=statuses, department=department or None, topic=topic or None, place_id=place or None,
                  offset=(page - 1) * size if view == "list" else 0, limit=size if view == "list" else 300)
    found = con.store.list_cases(q)
    columns = {s: [c for c in found.items if c.status is s] for s in BOARD}
    now = con.now()
    overdue = sum(1 for c in found.items if present.is_overdue(c, now))
    for column in columns.values():  # by deadline (none last), the more severe first on the same deadline
        column.sort(key=lambda c: (c.due_at is None, c.due_at or now, -_SEVERITY_RANK.get(c.severity, 0)))
    return render(
        request, "cases.html", nav="cases", found=found, columns=columns, board=BOARD, view=view,
        status=status, department=department, topic=topic, place=place, page=page,
        pages=(found.total + size - 1) // size, overdue=overdue,
        departments=_departments(con) if user.role != "department" else [user.department],
    )


def _page_number(value: str) -> int:
    """A page number from the query string: 1..10000 (anything else is page 1)."""
    try:
        return max(1, min(int(value), 10000))
    except ValueError:
        return 1


def _spike_chart(con: Console, case: Case):
    if not case.place or not case.place.id:
        return charts.stacked_bars([], [], {}, "")
    day = datetime.combine(case.opened_at.astimezone(SHANGHAI).date(), time(0), SHANGHAI)
    start = day - timedelta(days=14)
    end = (case.closed_at or con.now()) + timedelta(days=1)
    q = PostQuery(place_ids=(case.place.id,), topics=(case.topic,) if case.topic else (), is_complaint=True,
                  since=start, until=end, limit=0, highlight=False)
    buckets = con.store.histogram(q, timedelta(days=1))
    dense = charts.fill_gaps(buckets, timedelta(days=1), start, end)
    rows = [(t.astimezone(SHANGHAI).strftime("%m-%d"), split) for t, split in dense]
    return charts.stacked_bars(rows, ["total"], {"total": "投诉数"}, "该点位该主题的每日投诉")


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str, user: CurrentUser):
    """A task box (what, where, by when), one form (note + photo), before/after photos, evidence, history."""
    con = console(request)
    return render_case(request, user, _case_or_404(con, user, case_id))


def render_case(request: Request, user: User, case: Case, *, error: str | None = None, status: int = 200,
                form: dict[str, str] | None = None):
    """The case page; ``error`` is shown on the form it came from, with what was typed kept."""
    con = console(request)
    allowed = con.cases.allowed_transitions(case, user.role, user.department)
    evidence = con.store.get_posts(case.evidence[-100:])
    before, after = photo_sides(case)
    return render(
        request, "case.html", status, nav="cases", case=case, allowed=allowed, evidence=evidence,
        chart=_spike_chart(con, case), can_note=True, form_error=error, form=form or {},
        can_supervise=can_supervise(case, user.role),
        before_photos=before, after_photos=after, photo_limit=MAX_PHOTOS,
        overdue=present.is_overdue(case, con.now()),
    )


def photo_sides(case: Case) -> tuple[list[str], list[str]]:
    """Photos taken before rectification (notes while waiting) and after it (with or after 已整改)."""
    before: list[str] = []
    after: list[str] = []
    rectified = False
    for e in case.history:
        if e.to_status is CaseStatus.RECTIFIED:
            rectified = True
        elif e.to_status in (CaseStatus.REOPENED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
            rectified = False
        (after if rectified else before).extend(e.photos)
    return before, after


async def _photos(con: Console, form, case: Case) -> list[CheckedPhoto]:
    """The uploaded photos, each decoded and checked, within the per-upload and per-case limits (not stored)."""
    files = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_PHOTOS:
        raise FormError(case.id, f"一次最多上传 {MAX_PHOTOS} 张照片")
    kept = sum(len(e.photos) for e in case.history)
    if files and kept + len(files) > con.config.web.photos_per_case:
        raise FormError(case.id, f"该案件的照片已达上限（{con.config.web.photos_per_case} 张），请在备注中说明")
    limit = int(con.config.web.max_upload_mb * 1024 * 1024)
    checked = []
    for f in files:
        data = await f.read(limit + 1)
        try:
            checked.append(check_photo(data, limit))
        except PhotoRejected as exc:
            raise FormError(case.id, f"{present.text_excerpt(f.filename or '', 60)}：{exc}") from None
    return checked


def _text(form, key: str, limit: int = 2000) -> str:
    """A text field of a form ("" when absent, or when a file was sent in its place)."""
    value = form.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


@router.post("/cases/{case_id}/transition")
async def transition(request: Request, case_id: str, user: CsrfUser):
    """Move a case to another status, as the user's role allows, with a note and photos."""
    con = console(request)
    case = _case_or_404(con, user, case_id)
    form = await request.form()
    try:
        to = CaseStatus(_text(form, "to", 40))
    except ValueError:
        raise BadRequest("未知的目标状态") from None
    if to not in con.cases.allowed_transitions(case, user.role, user.department):
        raise Forbidden(f"您的角色不能把案件从「{labels.CASE_STATUS[case.status]}」改为「{labels.CASE_STATUS[to]}」")
    photos = await _photos(con, form, case)
    note = _text(form, "note") or None
    department = user.department
    if user.role != "department" and to is CaseStatus.ASSIGNED:
        department = _text(form, "department", 200) or None
        if department and con.departments and department not in con.departments:
            raise BadRequest(f"未知的部门：{department}")
    names = [p.name for p in photos]
    created = store_photos(con.uploads, photos)
    try:
        con.cases.transition(case.id, to, user.username, user.role, department=department, note=note,
                             photos=names)
    except PermissionError as exc:
        discard(con.uploads, created)
        raise Forbidden(f"无权执行：{present.zh_message(str(exc))}") from None
    except (ValueError, Conflict, NotFound) as exc:
        discard(con.uploads, created)
        raise FormError(case.id, f"无法变更状态：{present.zh_message(str(exc))}", 409) from None
    except BaseException:
        discard(con.uploads, created)
        raise
    con.audit.record(user.username, "case_transition", f"case:{case.id}", from_status=case.status.value,
                     to_status=to.value, note=note, photos=names, department=department)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/note")
async def add_note(request: Request, case_id: str, user: CsrfUser):
    """Add a note (and photos) to a case's history."""
    con = console(request)
    case = _case_or_404(con, user, case_id)
    form = await request.form()
    photos = await _photos(con, form, case)
    note = _text(form, "note")
    if not note and not photos:
        raise FormError(case.id, "请填写备注或上传照片")
    names = [p.name for p in photos]
    created = store_photos(con.uploads, photos)
    try:
        con.cases.add_note(case.id, user.username, note, names)
    except (ValueError, Conflict, NotFound) as exc:
        discard(con.uploads, created)
        raise FormError(case.id, f"无法添加备注：{present.zh_message(str(exc))}", 409) from None
    con.audit.record(user.username, "case_note", f"case:{case.id}", note=note, photos=names)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/supervise")
async def supervise(request: Request, case_id: str, user: CsrfUser):
    """督办: the office (or an admin) urges the department working on a case, with a note; delivered to the
    tracker and the channels taking 督办 or escalations."""
    con = console(request)
    case = _case_or_404(con, user, case_id)
    if not can_supervise(case, user.role):
        raise Forbidden(f"不能督办「{labels.CASE_STATUS[case.status]}」的案件"
                        "（仅文明办或管理员，且案件已分派、整改中或重开）")
    form = await request.form()
    note = _text(form, "note")
    if not note:
        raise FormError(case.id, "请填写督办意见")
    try:
        con.cases.supervise(case.id, user.username, user.role, note)
    except PermissionError as exc:
        raise Forbidden(f"无权督办：{present.zh_message(str(exc))}") from None
    except (ValueError, Conflict, NotFound) as exc:
        raise FormError(case.id, f"无法督办：{present.zh_message(str(exc))}", 409) from None
    con.audit.record(user.username, "case_supervised", f"case:{case.id}", note=note, department=case.department)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/photos/{name}")
def photo(request: Request, name: str, user: CurrentUser):
    """A stored photo, served as an inert image; a department user only sees its own cases' photos."""
    con = console(request)
    if user.role == "department" and not _department_has_photo(con, user, name):
        raise Forbidden("该照片不属于您部门的案件")
    resp = photo_response(con.uploads, name)
    if resp is None:
        raise BadRequest("照片不存在", 404)
    return resp


def _department_has_photo(con: Console, user: User, name: str) -> bool:
    """Whether a case of the user's department has this photo in its history."""
    offset = 0
    while True:
        page = con.store.list_cases(CaseQuery(department=user.department, offset=offset, limit=200))
        if any(name in e.photos for c in page.items for e in c.history):
            return True
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return False
