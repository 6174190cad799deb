"""`yuqing cases list|show|transition|flag|note`: the case lifecycle from the command line."""

from __future__ import annotations

import json

import click

from core import SHANGHAI, Case, CaseStatus, YuqingError
from yuqing.context import AppContext, pass_app


def _service(app: AppContext):
    from alerts.cases import CaseService

    return CaseService(app.store, app.config)


def _t(dt) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else "—"


def _get(app: AppContext, case_id: str) -> Case:
    case = app.store.get_case(case_id)
    if case is None:
        raise YuqingError(f"案件 {case_id} 不存在 (no such case)")
    return case


@click.group("cases")
def cli() -> None:
    """案件 cases: list, show and move them through their lifecycle."""


@cli.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in CaseStatus]),
              help="only these statuses (repeatable)")
@click.option("--department", help="only this department's cases")
@click.option("--open", "open_only", is_flag=True, help="only cases not closed")
@click.option("--overdue", is_flag=True, help="only open cases past their deadline")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
@pass_app
def list_(app: AppContext, statuses: tuple[str, ...], department: str | None, open_only: bool, overdue: bool,
          limit: int, as_json: bool) -> None:
    """List cases, newest first."""
    from alerts.lifecycle import STATUS_ZH
    from core import utcnow
    from storage.base import CaseQuery

    q = CaseQuery(statuses=tuple(CaseStatus(s) for s in statuses), department=department,
                  open_only=open_only or overdue, due_before=utcnow() if overdue else None, limit=limit)
    page = app.store.list_cases(q)
    for c in page.items:
        if as_json:
            click.echo(c.model_dump_json(exclude={"history"}))
        else:
            click.echo(f"{c.id}  {STATUS_ZH[c.status]:<4}  {c.severity.value:<6}  {_t(c.opened_at)}  "
                       f"时限 {_t(c.due_at)}  {c.department or '—'}  {c.title}  ({len(c.evidence)} 帖)")
    click.echo(f"{len(page.items)} / {page.total} 个案件 cases", err=True)


@cli.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="the whole case as JSON")
@pass_app
def show(app: AppContext, case_id: str, as_json: bool) -> None:
    """Show one case with its history."""
    from alerts.lifecycle import STATUS_ZH

    c = _get(app, case_id)
    if as_json:
        click.echo(c.model_dump_json(indent=2))
        return
    place = c.place.name if c.place else c.key
    click.echo(f"{c.title}  [{c.id}]\n状态 {STATUS_ZH[c.status]}  紧急程度 {c.severity.value}  地点 {place} / "
               f"{c.grid or '—'}  责任部门 {c.department or '—'}\n发现 {_t(c.opened_at)}  整改时限 {_t(c.due_at)}  "
               f"办结 {_t(c.closed_at)}  外部编号 {c.external_ref or '—'}")
    if c.spike:
        s = c.spike
        click.echo(f"预警 {s.detector}: {s.count:g} 条 vs 基线 {s.baseline:.2f}, 评分 {s.score:.2f}, "
                   f"窗口 {_t(s.window_start)} – {_t(s.window_end)}")
    click.echo(f"证据 evidence: {', '.join(c.evidence[:10])}{' …' if len(c.evidence) > 10 else ''}")
    for e in c.history:
        move = f" {e.from_status.value if e.from_status else ''}→{e.to_status.value}" if e.to_status else ""
        extra = f"  {e.note}" if e.note else ""
        photos = f"  照片 {', '.join(e.photos)}" if e.photos else ""
        click.echo(f"  {_t(e.at)}  {e.actor}  {e.action}{move}{extra}{photos}")


@cli.command("transition")
@click.argument("case_id")
@click.argument("status", type=click.Choice([s.value for s in CaseStatus]))
@click.option("--actor", required=True, help="who makes the change (user name)")
@click.option("--role", type=click.Choice(["reviewer", "department", "admin"]), default="reviewer", show_default=True)
@click.option("--department", help="department role: the actor's department; reviewer → assigned: assign to this")
@click.option("--note", help="a note (required for rectified and dismissals)")
@click.option("--photo", "photos", multiple=True, help="photo path or URL (repeatable; rectified needs one)")
@pass_app
def transition(app: AppContext, case_id: str, status: str, actor: str, role: str, department: str | None,
               note: str | None, photos: tuple[str, ...]) -> None:
    """Move a case to STATUS (new, assigned, in_progress, rectified, verified, closed, reopened)."""
    from alerts.lifecycle import STATUS_ZH

    try:
        case = _service(app).transition(case_id, CaseStatus(status), actor, role, department=department, note=note,
                                        photos=list(photos))
    except (PermissionError, ValueError) as exc:
        raise YuqingError(str(exc)) from None
    click.echo(f"{case.id}: {STATUS_ZH[case.status]} ({case.status.value})")


@cli.command("flag")
@click.argument("post_ids", nargs=-1, required=True)
@click.option("--actor", required=True, help="the reviewer")
@click.option("--place", "place_id", help="place id (default: from the posts)")
@click.option("--topic", help="topic code (default: from the posts)")
@click.option("--note")
@pass_app
def flag(app: AppContext, post_ids: tuple[str, ...], actor: str, place_id: str | None, topic: str | None,
         note: str | None) -> None:
    """Open (or add to) the case for these posts — the reviewer's manual path."""
    try:
        case = _service(app).flag(list(post_ids), actor, place_id=place_id, topic=topic, note=note)
    except ValueError as exc:
        raise YuqingError(str(exc)) from None
    click.echo(json.dumps({"id": case.id, "key": case.key, "department": case.department}, ensure_ascii=False))


@cli.command("overdue")
@pass_app
def overdue(app: AppContext) -> None:
    """Escalate cases past their deadline and list every overdue one."""
    for c in _service(app).check_overdue():
        click.echo(f"{c.id}  时限 {_t(c.due_at)}  {c.department or '—'}  {c.title}")
