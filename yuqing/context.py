"""What every CLI command shares: the config path, and the config and store opened on first use."""

from __future__ import annotations

from pathlib import Path

import click

from core import Config, load_config


class AppContext:
    """What every command shares: the config path, and the config and store loaded on first use."""

    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None
        self._store = None

    def use_config(self, config_path: Path) -> None:
        """Take this config file instead (a subcommand's own ``-c``), before anything was loaded from another."""
        if self._store is not None:
            raise RuntimeError("the store is already open on another config")
        self.config_path = config_path
        self._config = None

    @property
    def config(self) -> Config:
        """The validated configuration (defaults if no file)."""
        if self._config is None:
            self._config = load_config(self.config_path)
            from yuqing.logs import use_log_zone

            use_log_zone(self._config.timezone)  # log times here and in the children (crawls) in one zone
        return self._config

    @property
    def store(self):  # -> storage.Store (imported lazily: `--help` stays fast)
        """The configured store, opened once."""
        if self._store is None:
            from storage import open_store

            self._store = open_store(self.config)
        return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


pass_app = click.make_pass_decorator(AppContext)
