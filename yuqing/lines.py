"""JSON-lines input, read line by line from bytes: a line that is not UTF-8 is one reason, and the others are read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_BOM = b"\xef\xbb\xbf"


def text_lines(source: Path | BinaryIO | None = None) -> Iterator[tuple[int, str | UnicodeDecodeError]]:
    """(line number, the line's text without its end, or why it is not UTF-8) for each non-blank line of ``source``
    (a path, a binary stream, or standard input when None or ``-``). A byte-order mark at the start (Notepad,
    Excel) is skipped."""
    if source is None or str(source) == "-":
        yield from _lines(sys.stdin.buffer)
    elif isinstance(source, Path):
        with source.open("rb") as fh:
            yield from _lines(fh)
    else:
        yield from _lines(source)


def _lines(fh: BinaryIO) -> Iterator[tuple[int, str | UnicodeDecodeError]]:
    n = 0
    for chunk in fh:
        for raw in chunk.splitlines():  # \n, \r\n and a lone \r (old Mac files) end a line, as text mode reads them
            n += 1
            if n == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield n, exc
                continue
            if line.strip():
                yield n, line


def not_utf8(exc: UnicodeDecodeError) -> str:
    """One line in Chinese and English: where the bytes that are not UTF-8 start."""
    return f"不是 UTF-8 编码（第 {exc.start + 1} 字节：{exc.object[exc.start:exc.start + 4]!r}）not UTF-8"
