"""`yuqing load` and `yuqing search`: import posts, search them."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from core import SHANGHAI, PlaceRef, Post, YuqingError, labels, post_id
from core.model import MessageType
from yuqing.context import AppContext, pass_app
from yuqing.lines import not_utf8, text_lines

_EM = re.compile(r"</?em>")


def read_posts(path: Path) -> Iterator[tuple[int, Post | str]]:
    """(line number, Post or a one-line reason) for each non-blank line of a JSON-lines file (`yuqing export`'s, or
    `yuqing search --json`'s: keys starting with ``_`` — the score, the highlights — are not the post's)."""
    for n, line in text_lines(path):
        if isinstance(line, UnicodeDecodeError):
            yield n, not_utf8(line)
            continue
        try:
            data: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, f"not JSON: {exc.msg} at column {exc.colno}"
            continue
        if not isinstance(data, dict):
            yield n, "not a JSON object"
            continue
        for key in [k for k in data if k.startswith("_")]:  # `search --json` adds _score, _highlights
            del data[key]
        if "id" not in data and "source" in data and "native_id" in data:
            data["id"] = post_id(str(data["source"]), str(data["native_id"]))
        try:
            yield n, Post.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "(object)"
            yield n, f"{where}: {err['msg']}"


@click.command("load")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--enrich/--no-enrich", default=True, show_default=True, help="run NLP enrichment before storing")
@click.option("--batch", default=500, show_default=True, help="posts per bulk write")
@pass_app
def load(app: AppContext, file: Path, enrich: bool, batch: int) -> None:
    """Import posts from a JSON-lines FILE (- for stdin); bad lines are reported and skipped, not lost silently."""
    from tqdm import tqdm

    if str(file) != "-" and not file.is_file():
        raise YuqingError(f"{file}: no such file")
    enricher = None
    if enrich:
        from nlp import Enricher

        enricher = Enricher.from_config(app.config)
    store = app.store
    bad: list[str] = []
    stored = created = 0
    failed: list[tuple[str, str]] = []
    pending: list[Post] = []

    def flush() -> None:
        nonlocal stored, created
        posts = enricher.enrich(pending) if enricher else [_keyed(p, app) for p in pending]
        report = store.upsert_posts(posts)
        stored += report.stored
        created += report.created
        failed.extend(report.failed)
        pending.clear()

    with store.bulk_load(), tqdm(desc="loading", unit=" posts", disable=None, file=sys.stderr) as bar:
        for n, item in read_posts(file):
            if isinstance(item, str):
                bad.append(f"{file}:{n}: {item}")
                continue
            pending.append(item)
            bar.update(1)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
    for line in bad[:20]:
        click.echo(f"skipped {line}", err=True)
    if len(bad) > 20:
        click.echo(f"… and {len(bad) - 20} more bad lines", err=True)
    for pid, reason in failed[:20]:
        click.echo(f"not stored {pid}: {reason}", err=True)
    click.echo(f"stored {stored} posts ({created} new, {stored - created} updated) in {store.backend}; "
               f"{len(bad)} bad lines, {len(failed)} failed")
    if bad or failed:
        sys.exit(1)


def _keyed(post: Post, app: AppContext) -> Post:
    """``post`` with keys for the unlisted places that have no ``key`` field (an export from before places had keys,
    or ``yuqing nlp enrich`` output, which leaves out a key that is none): what the enricher makes of that name in
    this post now — its key, or the gazetteer's place where the name is listed now, or no key (an area, a body named
    by its area such as A市教育局, a name the rules no longer find) — so that it is found and counted with its place.
    A key that is written, null included, is kept: the import is as-is."""
    if all(r.id or "key" in r.model_fields_set for r in post.places):
        return post
    from nlp.enrich import enricher_for, post_text

    kind = post.message_type or MessageType.OTHER  # none known: the learned tagger's names are not matched
    found = {r.name: r for r in enricher_for(app.config).places_of(post_text(post.title, post.text), post.region,
                                                                    message_type=kind)}

    def keyed(r: PlaceRef) -> PlaceRef:
        if r.id or "key" in r.model_fields_set:
            return r
        now = found.get(r.name)
        return now if now is not None and now.id else r.model_copy(update={"key": now and now.key})

    return post.model_copy(update={"places": [keyed(r) for r in post.places]})


def message_type_code(value: str) -> str:
    """The message type code for a code or its Chinese label (投诉 → complaint); a usage error otherwise."""
    if (code := labels.code_of(value, labels.MESSAGE_TYPE)) is not None:
        return code
    choices = ", ".join(f"{getattr(c, 'value', c)}|{lab}" for c, lab in labels.MESSAGE_TYPE.items())
    raise click.BadParameter(f"unknown message type {value!r}; one of {choices}", param_hint="'--type'")


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date or time (e.g. 2026-11-20T08:00)") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)


@click.command("search")
@click.argument("query", required=False, default="")
@click.option("--source", "sources", multiple=True, help="source, or prefix with * (wechat:*)")
@click.option("--topic", "topics", multiple=True, help="topic code or name (市容环境); see `yuqing topics list`")
@click.option("--place", "places", multiple=True,
              help="place id, name or alias (乾溪新村), with the places under it; see `yuqing places list`; "
                   "an unlisted place by its key, as spelled in a post (raw:锦绣家园小区 finds raw:锦绣家园)")
@click.option("--sentiment", "sentiments", multiple=True, type=click.Choice(["negative", "neutral", "positive"]))
@click.option("--complaint/--not-complaint", default=None, help="only complaints / only non-complaints")
@click.option("--type", "types", multiple=True,
              help="message type, code or Chinese label: complaint|投诉, request|求助, inquiry|咨询, "
                   "suggestion|建议, praise|表扬, other|其他")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["pending", "confirmed", "dismissed", "corrected"]))
@click.option("--since", help="published at or after (ISO; Asia/Shanghai if no zone)")
@click.option("--until", help="published before (ISO)")
@click.option("--sort", type=click.Choice(["auto", "relevance", "newest", "oldest", "severity", "engagement"]),
              default="auto", show_default=True)
@click.option("--limit", default=10, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per hit")
@pass_app
def search(app: AppContext, query: str, sources: tuple[str, ...], topics: tuple[str, ...], places: tuple[str, ...],
           sentiments: tuple[str, ...], complaint: bool | None, types: tuple[str, ...], statuses: tuple[str, ...],
           since: str | None, until: str | None, sort: str, limit: int, offset: int, as_json: bool) -> None:
    """Full-text search in Chinese (every word must occur), with filters."""
    from storage import PostQuery

    message_types = tuple(dict.fromkeys(message_type_code(t) for t in types))
    if topics or places:  # Chinese names and aliases as well as ids: 市容环境, 乾溪新村; unlisted places by key
        from nlp.gazetteer import load_gazetteer
        from nlp.resolve import resolve_filter_places, resolve_topics
        from nlp.taxonomy import load_taxonomy

        topics = tuple(resolve_topics(load_taxonomy(app.config.nlp.taxonomy), topics))
        places = tuple(resolve_filter_places(load_gazetteer(app.config.nlp.gazetteer), places))
    q = PostQuery(text=query or None, sources=sources, topics=topics, place_ids=places,
                  sentiment_labels=sentiments, is_complaint=complaint, message_types=message_types,
                  review_statuses=statuses, since=_parse_time(since),
                  until=_parse_time(until), sort=sort, limit=limit, offset=offset)  # type: ignore[arg-type]
    result = app.store.search(q)
    if as_json:
        for hit in result.hits:
            doc = hit.post.model_dump(mode="json", exclude={"tokens"})
            doc["_score"] = hit.score
            doc["_highlights"] = list(hit.highlights)
            click.echo(json.dumps(doc, ensure_ascii=False))
        return
    click.echo(f"共 {result.total} 条 ({result.total} matches)" + (f" — 「{query}」" if query else ""))
    topic_names: dict[str, str] = {}
    if result.hits:
        from nlp.taxonomy import load_taxonomy

        topic_names = {t.code: t.name for t in load_taxonomy(app.config.nlp.taxonomy)}
    for hit in result.hits:
        p = hit.post
        when = p.published_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        kind = labels.label(p.message_type, labels.MESSAGE_TYPE) if p.message_type else None
        topic = p.effective_topic
        tags = " ".join(x for x in (topic_names.get(topic, topic) if topic != "other" else None,
                                    p.sentiment_label and labels.label(p.sentiment_label, labels.SENTIMENT),
                                    "投诉" if p.effective_is_complaint else None, kind and f"[{kind}]") if x)
        where = "、".join(dict.fromkeys(r.name for r in p.places))
        text = html.unescape(_EM.sub(_mark, " … ".join(hit.highlights))) if hit.highlights else p.text[:80]
        click.echo(f"{when}  {p.source:<16} {tags}\n    {text}" + (f"\n    点位：{where}" if where else "")
                   + f"\n    {p.url or ''}".rstrip())


def _mark(m: re.Match[str]) -> str:
    tty = sys.stdout.isatty()
    if m.group(0) == "<em>":
        return "\x1b[1;31m" if tty else "【"
    return "\x1b[0m" if tty else "】"


#: registered at the top level: `yuqing load`, `yuqing search`
commands = [load, search]
