"""`yuqing es`: install and inspect the Elasticsearch indices."""

from __future__ import annotations

import json

import click

from yuqing.context import AppContext, pass_app


def _store(app: AppContext):
    from storage.elastic import ElasticStore

    return ElasticStore(app.config.storage.elasticsearch, progress=lambda line: click.echo(line, err=True))


@click.group("es")
def cli() -> None:
    """Elasticsearch — index templates, aliases, status."""


@cli.command("init")
@pass_app
def init(app: AppContext) -> None:
    """Install index templates, indices and aliases (idempotent; migrates changed mapping versions)."""
    store = _store(app)
    try:
        done = store.init()
    finally:
        store.close()
    for line in done:
        click.echo(line)
    click.echo("up to date: nothing to do" if not done else f"done: {len(done)} change(s)")


@cli.command("status")
@pass_app
def status(app: AppContext) -> None:
    """Cluster health and post count."""
    store = _store(app)
    try:
        click.echo(json.dumps(store.health(), ensure_ascii=False))
    finally:
        store.close()
