"""The console inside the daemon: uvicorn on a thread of the daemon's process, and the one-line error when
it cannot listen."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Any

from core import Config, YuqingError
from yuqing import jobs


class ConsolePortError(YuqingError):
    """The console could not listen on its address (the port is taken, most often)."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"the console could not listen on {host}:{port} (address in use?); "
                         "run with --no-web or change web.port")
        self.host, self.port = host, port


def start_console(config: Config, store: Any, metrics: Any, config_path: Path | None,
                  clock: Any) -> tuple[Any, threading.Thread]:
    """Serve the console on a daemon thread: (the uvicorn server, its thread), maybe still starting."""
    import uvicorn

    from web.app import server_options

    app = jobs.web_app(config, store, metrics, config_path, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host=config.web.host, port=config.web.port,
                                           log_level="warning", lifespan="off", log_config=None,
                                           **server_options(config)))

    def serve() -> None:
        with contextlib.suppress(SystemExit):  # uvicorn exits when it cannot bind; start() says so in one line
            server.run()

    thread = threading.Thread(target=serve, name="console", daemon=True)
    thread.start()
    return server, thread


def wait_listening(config: Config, server: Any, thread: threading.Thread, timeout: float = 15) -> None:
    """Wait until the console listens; :class:`ConsolePortError` when its thread ended or ``timeout`` passed."""
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ConsolePortError(config.web.host, config.web.port)
        time.sleep(0.05)
