"""`yuqing web`: serve the console; `yuqing web hash-password` makes a password hash for the config."""

from __future__ import annotations

import sys

import click

from core import YuqingError
from yuqing.context import AppContext, pass_app


@click.group("web", invoke_without_command=True)
@click.option("--host", default=None, help="address to listen on (default: web.host)")
@click.option("--port", type=int, default=None, help="port to listen on (default: web.port)")
@click.pass_context
def cli(ctx: click.Context, host: str | None, port: int | None) -> None:
    """控制台 — serve the web console (review queue, cases, search, sources, reports)."""
    if ctx.invoked_subcommand is not None:
        return
    app_ctx: AppContext = ctx.find_object(AppContext)
    config = app_ctx.config
    if not config.web.users:
        raise YuqingError("web.users is empty: add at least one user (see `yuqing web hash-password`)")
    import uvicorn

    from alerts.cases import CaseService
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy
    from web.app import create_app, server_options

    # the long-lived services, built once here and handed to the console
    gazetteer, taxonomy = load_gazetteer(config.nlp.gazetteer), load_taxonomy(config.nlp.taxonomy)
    cases = CaseService(app_ctx.store, config, gazetteer=gazetteer, taxonomy=taxonomy)
    app = create_app(config, app_ctx.store, cases=cases, gazetteer=gazetteer, taxonomy=taxonomy,
                     config_path=app_ctx.config_path)
    host = host or config.web.host
    port = port or config.web.port
    click.echo(f"yuqing console on http://{host}:{port}/ ({len(config.web.users)} users)", err=True)
    from yuqing.logs import setup_logging

    setup_logging(config)  # uvicorn's lines go through the secret-masking handler
    uvicorn.run(app, host=host, port=port, log_level=config.logging.level.lower(), log_config=None,
                **server_options(config))


@cli.command("hash-password")
@click.option("--stdin", "from_stdin", is_flag=True, help="read the password from standard input (one line)")
@pass_app
def hash_password_cmd(app: AppContext, from_stdin: bool) -> None:
    """Print a scrypt hash for web.users[].password_hash (the password is asked twice, not echoed)."""
    from web.auth import hash_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise YuqingError("password too short: use at least 8 characters")
    click.echo(hash_password(password))
