"""Where the workplace's shared folder is (real site captures, labelled data; never copied into the repository).

``YUQING_SHARED_DIR`` if set; else ``../shared`` beside the checkout (the layout of the working copy); else the
first ``shared`` folder beside an ancestor of the checkout; else ``/work/shared``, where this workplace keeps it
(a clean clone made elsewhere on the machine, e.g. by CI under /tmp, still finds the captures).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _find() -> Path:
    if os.environ.get("YUQING_SHARED_DIR"):
        return Path(os.environ["YUQING_SHARED_DIR"])
    for parent in REPO.parents:
        if (parent / "shared" / "reference").is_dir():
            return parent / "shared"
    return Path("/work/shared")


SHARED = _find()
PAGES = SHARED / "reference" / "pages"
