"""Rectification photos: checked by magic bytes and size, stored by content hash, served inert."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.responses import FileResponse

#: Accepted image types: extension → (magic check, content type).
TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")


class PhotoRejected(ValueError):
    """An upload that is not an accepted image (message in Chinese, for the user)."""


def sniff(data: bytes) -> str | None:
    """The image type by its first bytes (never by the file name or the browser's claim), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def save_photo(folder: Path, data: bytes, max_bytes: int) -> str:
    """Store an uploaded image and return its reference (``<hash>.<ext>``); raise :class:`PhotoRejected`."""
    if not data:
        raise PhotoRejected("照片为空")
    if len(data) > max_bytes:
        raise PhotoRejected(f"照片过大（上限 {max_bytes // (1024 * 1024)} MB）")
    kind = sniff(data)
    if kind is None:
        raise PhotoRejected("只接受 JPEG、PNG、GIF 或 WebP 图片")
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return name


def photo_response(folder: Path, name: str) -> FileResponse | None:
    """The stored photo as a response that no browser will treat as a page, or None if not a stored photo."""
    if not _NAME.match(name):
        return None
    path = folder / name
    if not path.is_file():
        return None
    return FileResponse(
        path,
        media_type=TYPES[name.rsplit(".", 1)[1]],
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=86400",
        },
    )
