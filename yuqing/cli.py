"""The `yuqing` command: one click group, one module per area under ``yuqing/commands``.

Expected failures (:class:`core.YuqingError`) print one line on stderr and exit
non-zero; they never show a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from core import YuqingError
from yuqing.context import AppContext, pass_app  # noqa: F401 - re-exported for command modules

#: Command modules, each exposing ``cli`` (a click command or group) or ``commands`` (a list of top-level
#: commands). Add a line to add an area.
COMMAND_MODULES = [
    "yuqing.commands.config",
    "yuqing.commands.es",
    "yuqing.commands.posts",
    "yuqing.commands.export",
    "yuqing.commands.demo",
    "yuqing.commands.run",
    "yuqing.commands.alerts",
    "yuqing.commands.cases",
    "yuqing.commands.report",
    "yuqing.commands.web",
    "yuqing.commands.nlp",
    "yuqing.commands.crawl",
    "yuqing.commands.places",
]

DEFAULT_CONFIG = "yuqing.yaml"
CONFIG_HELP = f"配置文件 config file (default: ./{DEFAULT_CONFIG} if present, else built-in defaults)"


def _use_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None and (app := ctx.find_object(AppContext)) is not None:
        app.use_config(value)


def config_option(command: click.Command) -> click.Command:
    """Give ``command`` (and, for a group, every command under it) its own ``-c/--config``, so
    ``yuqing run -c FILE`` works as well as ``yuqing -c FILE run``; the innermost one wins."""
    taken = {opt for param in command.params for opt in getattr(param, "opts", [])}
    if "--config" not in taken:
        names = ["--config"] if "-c" in taken else ["-c", "--config"]
        command.params.append(click.Option(names, type=click.Path(dir_okay=False, path_type=Path), is_eager=True,
                                           expose_value=False, callback=_use_config, help=CONFIG_HELP))
    for sub in getattr(command, "commands", {}).values():
        config_option(sub)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "-c", "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help=CONFIG_HELP,
)
@click.version_option(package_name="yuqing")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """yuqing 舆情 — 文明办舆情监测 (public-opinion monitor for a civilization office)."""
    if config_path is None and Path(DEFAULT_CONFIG).is_file():
        config_path = Path(DEFAULT_CONFIG)
    app = AppContext(config_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


for _name in COMMAND_MODULES:
    _module = importlib.import_module(_name)
    for _command in getattr(_module, "commands", None) or [_module.cli]:
        cli.add_command(config_option(_command))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning expected errors into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="yuqing", standalone_mode=False)
    except YuqingError as exc:
        click.echo(f"错误 error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        os._exit(0)


if __name__ == "__main__":
    main()
