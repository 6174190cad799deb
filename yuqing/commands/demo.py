"""`yuqing demo`: the README's main job on the embedded store, offline.

For now it loads the bundled sample posts into an embedded store and answers a
search; the full offline demo (simulator, daemon, console, a delivered case)
grows here.
"""

from __future__ import annotations

from pathlib import Path

import click

from core import SHANGHAI, load_config
from yuqing.context import AppContext, pass_app

REPO = Path(__file__).resolve().parents[2]
SAMPLE_POSTS = REPO / "config" / "sample-posts.jsonl"


@click.command("demo")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("var/demo"),
              show_default=True, help="where the demo's embedded store lives")
@click.option("--query", default="垃圾", show_default=True, help="the search to answer")
@pass_app
def cli(app: AppContext, data_dir: Path, query: str) -> None:
    """演示 — load the bundled sample posts into the embedded store and search them (offline)."""
    from nlp import Enricher
    from storage import PostQuery, open_store
    from yuqing.commands.posts import read_posts

    config = load_config(app.config_path, overrides={"storage.backend": "sqlite",
                                                     "storage.sqlite.path": str(data_dir.resolve() / "yuqing.db")})
    store = open_store(config)
    try:
        posts = [p for _n, p in read_posts(SAMPLE_POSTS) if not isinstance(p, str)]
        click.echo(f"[1/3] 载入样例帖子 loading {len(posts)} sample posts …", err=True)
        enriched = Enricher.from_config(config).enrich(posts)
        report = store.upsert_posts(enriched, refresh=True)
        click.echo(f"[2/3] 已存入 stored {report.stored} posts in {config.storage.sqlite.path}", err=True)
        click.echo(f"[3/3] 检索 searching 「{query}」 …", err=True)
        result = store.search(PostQuery(text=query, limit=5))
        click.echo(f"共 {result.total} 条含「{query}」的帖子 ({result.total} posts match):")
        for hit in result.hits:
            when = hit.post.published_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
            snippet = hit.highlights[0].replace("<em>", "【").replace("</em>", "】") if hit.highlights else ""
            click.echo(f"  {when}  {hit.post.source:<14} {snippet}")
        by_source = store.terms(PostQuery(), "source", 10)
        click.echo("按来源 by source: " + ", ".join(f"{k} {n}" for k, n in by_source))
    finally:
        store.close()
