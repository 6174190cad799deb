"""`yuqing places list|import` and `yuqing topics list`: the reference data a filter or a new town needs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core import YuqingError
from core.labels import PLACE_LEVEL
from yuqing.context import AppContext, pass_app


@click.group("places")
def places() -> None:
    """地名录：列出地点、从本镇表格导入 (gazetteer places)."""


@places.command("list")
@click.option("--level", "levels", multiple=True, help="only these levels (town, community, compound, road …)")
@click.option("--under", help="only places under this place (id, name or alias)")
@click.option("--search", "needle", help="only places whose name or an alias contains this text")
@pass_app
def list_places(app: AppContext, levels: tuple[str, ...], under: str | None, needle: str | None) -> None:
    """List the configured gazetteer: id, level, name, aliases, grid, department (what --place accepts)."""
    from nlp.gazetteer import load_gazetteer
    from nlp.resolve import resolve_place

    gaz = load_gazetteer(app.config.nlp.gazetteer)
    allowed = set(resolve_place(gaz, under)) if under else None
    shown = 0
    for p in gaz:
        if levels and p.level.value not in levels:
            continue
        if allowed is not None and p.id not in allowed:
            continue
        if needle and not any(needle in n for n in (p.name, *p.aliases)):
            continue
        aliases = f"（{'、'.join(p.aliases)}）" if p.aliases else ""
        extra = "  ".join(x for x in (p.grid, p.department) if x)
        click.echo(f"{p.id:<24} {PLACE_LEVEL.get(p.level, p.level.value):<4} {p.name}{aliases}  {extra}".rstrip())
        shown += 1
    click.echo(f"共 {shown} 个地点 ({shown} places)", err=True)


@places.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--town", required=True, help="the town's name (大场镇)")
@click.option("--town-id", help="id of the town entry, prefix of every generated id (default: from the name)")
@click.option("--district", help="the district the town lies in (宝山区)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="gazetteer YAML to write (default: print it)")
@click.option("--force", is_flag=True, help="overwrite an existing output file")
def import_places(table: Path, town: str, town_id: str | None, district: str | None, output: Path | None,
                  force: bool) -> None:
    """Turn a town's place table (xlsx/csv: 居委, 小区, 道路, 网格, 责任部门, 别名, 类型) into a gazetteer file.

    Every bad row is reported on its own line and nothing is written. Point `nlp.gazetteer` at the result.
    """
    from nlp.gazetteer import load_gazetteer
    from nlp.gazetteer_import import build_places, gazetteer_yaml, read_table

    rows = read_table(table)
    if not rows:
        raise YuqingError(f"{table}: the table has no rows")
    res = build_places(rows, town, district=district, town_id=town_id)
    if res.errors:
        for e in res.errors:
            click.echo(f"{table}: {e}", err=True)
        raise YuqingError(f"{table}: {len(res.errors)} problem(s); nothing written")
    text = gazetteer_yaml(res.places, town, table.name, district)
    if output is None:
        sys.stdout.write(text)
    else:
        if output.exists() and not force:
            raise YuqingError(f"{output} exists (use --force to overwrite)")
        output.write_text(text, encoding="utf-8")
        load_gazetteer(output)  # read back: the file must load as the configured gazetteer would
    counts: dict[str, int] = {}
    for p in res.places:
        counts[p.level.value] = counts.get(p.level.value, 0) + 1
    summary = ", ".join(f"{PLACE_LEVEL.get(k, k)} {v}" for k, v in counts.items())
    click.echo(f"{res.rows} rows → {len(res.places)} places ({summary})" + (f" → {output}" if output else ""),
               err=True)


@click.group("topics")
def topics() -> None:
    """话题：列出创全话题 (topic taxonomy)."""


@topics.command("list")
@click.option("--keywords", is_flag=True, help="show each topic's first keywords")
@pass_app
def list_topics(app: AppContext, keywords: bool) -> None:
    """List the configured topics: code and Chinese name (what --topic accepts)."""
    from nlp.taxonomy import load_taxonomy

    tax = load_taxonomy(app.config.nlp.taxonomy)
    for t in tax:
        line = f"{t.code:<22} {t.name}"
        if keywords and t.keywords:
            line += "  " + "、".join(t.keywords[:8])
        click.echo(line)


#: registered at the top level: `yuqing places …`, `yuqing topics …`
commands = [places, topics]
