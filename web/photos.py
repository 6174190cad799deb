"""Rectification photos: checked by size, magic bytes and by decoding them (Pillow), stored by content hash,
served inert. Checking and storing are separate steps, so a refused case change keeps no photo."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from fastapi.responses import FileResponse

#: Accepted image types: extension → (magic check, content type).
TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_PIL_FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
#: Most photos in one upload.
MAX_PHOTOS = 6
#: Largest image accepted, in pixels (a small file that decodes to a huge image is refused).
MAX_PIXELS = 50_000_000
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


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that decoded as an image: its reference (``<hash>.<ext>``) and bytes, not yet stored."""

    name: str
    data: bytes


def _decodes(data: bytes, kind: str) -> bool:
    """Whether the bytes decode as an image of this kind (Pillow; the magic bytes alone when it is missing)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency; the magic-byte check still stands
        return True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression-bomb warning refuses the image
            with Image.open(io.BytesIO(data)) as img:
                if img.format != _PIL_FORMATS[kind] or img.width * img.height > MAX_PIXELS:
                    return False
                img.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()  # verify() does not decode the pixels; a truncated body fails here
    except Exception:
        return False
    return True


def check_photo(data: bytes, max_bytes: int) -> CheckedPhoto:
    """Check an upload without storing it; raise :class:`PhotoRejected` with a message for the user."""
    if not data:
        raise PhotoRejected("照片为空")
    if len(data) > max_bytes:
        raise PhotoRejected(f"照片过大（上限 {max_bytes // (1024 * 1024)} MB）")
    kind = sniff(data)
    if kind is None:
        raise PhotoRejected("只接受 JPEG、PNG、GIF 或 WebP 图片")
    if not _decodes(data, kind):
        raise PhotoRejected("图片已损坏或无法识别，请重新拍摄或选择")
    return CheckedPhoto(f"{hashlib.sha256(data).hexdigest()[:32]}.{kind}", data)


def store_photos(folder: Path, photos: list[CheckedPhoto]) -> list[str]:
    """Write checked photos; return the names of files this call created (for :func:`discard`)."""
    created = []
    folder.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        path = folder / photo.name
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(photo.data)
            tmp.replace(path)
            created.append(photo.name)
    return created


def discard(folder: Path, names: list[str]) -> None:
    """Remove photos written for a change that was then refused."""
    for name in names:
        if _NAME.match(name):
            (folder / name).unlink(missing_ok=True)


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
