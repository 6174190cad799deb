"""`yuqing alerts …`: run detectors over a CSV, run the alert loop once, replay a rule over a past period."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core import YuqingError
from yuqing.context import AppContext, pass_app


def _detectors(app: AppContext, name: str | None):
    from alerts.detectors import build_detector

    specs = app.config.alerts.detectors
    if name is None:
        return [build_detector(d.name, d.options) for d in specs]
    options = next((d.options for d in specs if d.name == name), {})
    return [build_detector(name, options)]


@click.group("alerts")
def cli() -> None:
    """预警 spike detection, cases and delivery."""


@cli.command("detect")
@click.option("--series", "series_file", required=True, type=click.Path(dir_okay=False, allow_dash=True,
              path_type=Path), help="CSV with key,bucket,count rows (bucket: ISO time; naive = Asia/Shanghai)")
@click.option("--detector", "detector_name", help="one detector by short name (default: those configured)")
@click.option("--bucket", help="bucket length, e.g. 1h or 1d (default: alerts.bucket)")
@pass_app
def detect(app: AppContext, series_file: Path, detector_name: str | None, bucket: str | None) -> None:
    """Run detectors over a count series and print each match as a JSON line."""
    import sys

    from alerts.series import build_series, parse_duration, read_series_csv

    try:
        text = sys.stdin.read() if str(series_file) == "-" else series_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise YuqingError(f"{series_file}: cannot read: {exc.strerror or exc}") from None
    try:
        step = parse_duration(bucket or app.config.alerts.bucket)
        rows = read_series_csv(text)
    except ValueError as exc:
        raise YuqingError(f"{series_file}: {exc}") from None
    detectors = _detectors(app, detector_name)
    for series in build_series(rows, step).values():
        for det in detectors:
            for match in det.detect(series):
                click.echo(json.dumps(match.to_json(), ensure_ascii=False))
