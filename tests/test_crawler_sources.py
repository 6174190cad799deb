"""Sources a user can describe, checked: each family's options have a schema; `yuqing config check` refuses an
unknown key in one line with file, line, key and the nearest valid name; every option is documented."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core import ConfigError, load_config
from core.config import SourceConfig, describe_settings
from core.config.sources import OPTIONS
from yuqing.cli import main

REPO = Path(__file__).resolve().parents[1]


def write(tmp: Path, family: str, options: str) -> Path:
    path = tmp / "yuqing.yaml"
    path.write_text(textwrap.dedent(f"""\
        sources:
          - name: s
            family: {family}
            base_url: http://127.0.0.1:1
            options:
        """) + textwrap.indent(textwrap.dedent(options), "      "), encoding="utf-8")
    return path


@pytest.mark.parametrize(("family", "options", "line", "key", "near"), [
    ("forum", "fid: 2\n", 6, "fid", "fids"),
    ("forum", "fids: [2]\nmax_page: 3\n", 7, "max_page", "max_pages"),
    ("weibo", "keywords: [垃圾]\nuser: [5600000000]\n", 7, "user", "users"),
    ("weibo", "containerid: '1076035600000000'\n", 6, "containerid", "containers"),
    ("wechat", "feed: [a.atom]\n", 6, "feed", "feeds"),
    ("board", "fids: 539\n", 6, "fids", "fid"),
    ("portal", "pagesize: 20\n", 6, "pagesize", "page_size"),
])
def test_a_typo_in_options_is_one_line_with_file_line_key_and_nearest_name(
        tmp_path: Path, family: str, options: str, line: int, key: str, near: str) -> None:
    path = write(tmp_path, family, options)
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    msg = str(exc.value)
    assert msg == f"{path}:{line}: sources.0.options.{key}: unknown key {key!r}; did you mean {near!r}?"


def test_config_check_refuses_the_typo_and_accepts_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    bad = write(tmp_path, "forum", "fids: [2]\nmax_page: 3\n")
    with pytest.raises(SystemExit) as exc:
        main(["config", "check", str(bad)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{bad}:7:" in err and "'max_pages'" in err
    good = write(tmp_path, "forum", "fids: [2]\nmax_pages: 3\nthreads: [123, 'http://bbs.example/thread-9-1-1.html']\n")
    try:
        main(["config", "check", str(good)])
    except SystemExit as ok:
        assert ok.code in (0, None)
    assert "1 sources" in capsys.readouterr().out


def test_nested_and_semantic_option_errors_name_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "wechat", "getmsg:\n  - biz: MzIw\n    key: K\n")
    with pytest.raises(ConfigError, match=r":8: sources\.0\.options\.getmsg\.0\.key: unknown key 'key'; did you mean "
                                          r"'key_env'\?"):
        load_config(path)
    path = write(tmp_path, "weibo", "api: desktop\nkeywords: [垃圾]\n")
    with pytest.raises(ConfigError, match="keywords and containers need api: mobile"):
        load_config(path)
    path = write(tmp_path, "forum", "preset: board\n")  # a preset of another family
    with pytest.raises(ConfigError, match=r"sources\.0\.options\.preset"):
        load_config(path)
    path = write(tmp_path, "weibo", "max_pages: many\n")
    with pytest.raises(ConfigError, match=r":6: sources\.0\.options\.max_pages: .*integer"):
        load_config(path)


def test_valid_options_of_every_family_load_as_written() -> None:
    for family, options in {
        "weibo": {"keywords": ["垃圾"], "users": [5600000000], "containers": ["2304135600000000"],
                  "statuses": ["https://m.weibo.cn/status/KkBtUx2dv"], "probe": False},
        "wechat": {"feeds": ["f.atom"], "getmsg": [{"biz": "MzIw", "key_env": "K"}], "urls": [], "max_offset": 20},
        "forum": {"fids": [2, "5"], "threads": [1340080], "list_url": "forum-{fid}-{page}.html", "site": "bbs"},
        "board": {"fid": 539, "preset": "board_html", "store_batch": 5},
        "portal": {"page_size": 10, "mapping": {"items": "data.items"}, "timeout": 5},
    }.items():
        src = SourceConfig(name="s", family=family, base_url="http://x", options=options)
        assert src.options == options or family == "weibo"  # as written (the uid list keeps its ints)
        assert src.typed_options().model_dump(exclude_unset=True).keys() == options.keys()


def test_every_option_of_every_family_is_documented() -> None:
    rows = describe_settings()
    for family, schema in OPTIONS.items():
        for name in schema.model_fields:
            key = f"sources[].options.{name}"
            helps = [h for k, _default, h in rows if k == key]
            assert any(h.startswith((f"({family}) ", "(every family) ")) and len(h) > 20 for h in helps), key
    assert "`sources[].options.containers`" in (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_the_platform_table_agrees_with_the_config_defaults_and_the_registries() -> None:
    from crawler.classify import CLASSIFIERS
    from crawler.parsers import PARSERS
    from crawler.platforms import PLATFORMS, platform
    from crawler.spiders import SPIDERS

    assert set(PLATFORMS) == set(OPTIONS) == set(SPIDERS) == set(CLASSIFIERS)
    for family, row in PLATFORMS.items():
        src = SourceConfig(name="s", family=family, base_url="http://x")
        assert platform(src) is row and row.spider is SPIDERS[family] and row.options is OPTIONS[family]
        assert row.parse is PARSERS[family] and row.classify is CLASSIFIERS[family]
        assert (row.delay, row.robots) == (src.request_delay, src.robots)
        preset = row.options.model_fields.get("preset")
        assert (tuple(preset.annotation.__args__) if preset else ()) == row.presets
