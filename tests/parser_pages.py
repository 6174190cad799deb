"""What the parser tests read: real captures (../shared/reference/pages; a test is skipped when its capture is
absent) and the saved simulator pages (tests/fixtures/pages and their manifest), and the frozen clocks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from core import SHANGHAI
from crawler.parsers import PARSERS
from tests.shared import PAGES

REAL = PAGES
SAVED = Path(__file__).resolve().parent / "fixtures" / "pages"
MANIFEST = json.loads((SAVED / "manifest.json").read_text(encoding="utf-8"))
NOW_2021 = datetime(2021, 6, 18, 12, 0, tzinfo=SHANGHAI)  # the real captures' clock
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=SHANGHAI)  # the hand-written pages' clock


def real(name: str) -> bytes:
    """A real capture's bytes (the test is skipped without it)."""
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"real capture {path} not available")
    return path.read_bytes()


def saved(name: str):
    """A saved simulator page parsed by its family's parser, at the URL and clock it was saved with."""
    m = MANIFEST[name]
    return PARSERS[m["family"]]((SAVED / name).read_bytes(), url=m["url"], now=datetime.fromisoformat(m["now"]))
