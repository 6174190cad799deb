"""`yuqing export`: every stored post (or a filtered part) as JSON lines that `yuqing load` takes back unchanged."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO

import click

from core import YuqingError
from yuqing.commands.posts import _parse_time
from yuqing.context import AppContext, pass_app


@click.command("export")
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--source", "sources", multiple=True, help="source, or prefix with * (wechat:*)")
@click.option("--since", help="published at or after (ISO; Asia/Shanghai if no zone)")
@click.option("--until", help="published before (ISO)")
@click.option("--complaint/--not-complaint", default=None, help="only complaints / only non-complaints")
@click.option("--batch", default=1000, show_default=True, help="posts read from the store per batch")
@pass_app
def cli(app: AppContext, file: Path, sources: tuple[str, ...], since: str | None, until: str | None,
        complaint: bool | None, batch: int) -> None:
    """导出 — write posts as JSON lines (FILE, or - for stdout), oldest first, with every field (enrichment and
    review too), streaming with progress on stderr. `yuqing load --no-enrich FILE` stores them unchanged, in
    this store or another (SQLite → Elasticsearch: export, switch the config, `yuqing es init`, load)."""
    from tqdm import tqdm

    from storage import PostQuery

    query = PostQuery(sources=sources, since=_parse_time(since), until=_parse_time(until), is_complaint=complaint,
                      highlight=False)
    to_stdout = str(file) == "-"
    if not to_stdout and file.parent and not file.parent.is_dir():
        raise YuqingError(f"{file}: no such directory {file.parent}")
    written = 0
    # a file is written under FILE.part and renamed when complete: a failure half-way never leaves a FILE that
    # looks like a whole export
    part = file.with_name(file.name + ".part")
    try:
        with contextlib.ExitStack() as stack:
            out: IO[str] = sys.stdout if to_stdout else stack.enter_context(
                part.open("w", encoding="utf-8", newline="\n"))
            bar = stack.enter_context(tqdm(desc="exporting", unit=" posts", disable=None, file=sys.stderr))
            for post in app.store.iter_posts(query, batch=batch):
                out.write(post.model_dump_json() + "\n")
                written += 1
                bar.update(1)
            out.flush()
    except BaseException:
        if not to_stdout:
            click.echo(f"export stopped after {written} posts; {file} not written", err=True)
            part.unlink(missing_ok=True)
        raise
    if not to_stdout:
        part.replace(file)
    click.echo(f"exported {written} posts from {app.store.backend}" + ("" if to_stdout else f" to {file}"),
               err=True)
