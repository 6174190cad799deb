"""The README says what the tests need beyond Python — read from the scripts that need it, so a new need in a
script fails here until the README says it — and `scripts/test` says what it is about to install."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_names_what_the_test_scripts_need() -> None:
    es_dev = (REPO / "scripts" / "es-dev").read_text(encoding="utf-8")
    browser = (REPO / "scripts" / "install-browser").read_text(encoding="utf-8")
    needs = {"Maven": "command -v mvn" in es_dev}
    jdk = re.search(r"java-(\d+)-openjdk", es_dev)
    assert jdk
    needs[f"OpenJDK {jdk.group(1)}"] = True
    user = re.search(r"ES_USER=\$\{YUQING_ES_USER:-([\w-]+)\}", es_dev)
    assert user
    needs[f"`{user.group(1)}`"] = True
    cache = re.search(r"ES_HOME=(/var/cache/[\w/-]+?)/es-", es_dev)
    assert cache
    needs[cache.group(1)] = True
    for package in re.findall(r'need="\$need (\S+)"', browser):
        needs[package] = True
    needs[".venv"] = True
    missing = [what for what, needed in needs.items() if needed and what not in README]
    assert not missing, f"README.md does not say the tests need {missing}"


def test_scripts_test_says_what_it_is_about_to_install(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"  # a PATH without Maven
    bin_dir.mkdir()
    for tool in ("bash", "cmp", "dpkg", "id", "dirname", "env"):
        found = next((Path(d) / tool for d in ("/usr/bin", "/bin") if (Path(d) / tool).exists()), None)
        if found:
            (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "ES_JAVA_HOME": str(tmp_path / "no-jdk")}
    proc = subprocess.run(["bash", str(REPO / "scripts" / "test"), "--plan"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "test: about to install:" in proc.stderr
    assert "maven" in proc.stderr and "openjdk-17-jdk-headless" in proc.stderr
    assert "Elasticsearch node will be started" in proc.stderr
    with_es = subprocess.run(["bash", str(REPO / "scripts" / "test"), "--plan"], cwd=tmp_path, timeout=60,
                             env={**os.environ, "YUQING_ES_URL": "http://127.0.0.1:1"}, capture_output=True, text=True)
    assert with_es.returncode == 0 and "node will be started" not in with_es.stderr
