"""`yuqing nlp enrich|evaluate|train|train-encoder|corrections`: run, measure and retrain the NLP models."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from core import YuqingError, whole_characters
from yuqing.context import AppContext, pass_app
from yuqing.lines import not_utf8, text_lines

MODEL_DIR = Path(__file__).resolve().parents[2] / "nlp" / "models"
DATA_HELP = "共享数据目录（默认：仓库旁的 ../shared/data）shared data sets directory"


def _training_sets(sets: str) -> list[str]:
    """The named sentiment sets, refusing unknown ones and those whose terms forbid training a shipped model."""
    from nlp.datasets import SENTIMENT_SETS, evaluation_only

    names = [s.strip() for s in sets.split(",") if s.strip()]
    unknown = [s for s in names if s not in SENTIMENT_SETS]
    if unknown:
        raise YuqingError(f"未知数据集 {', '.join(unknown)}（可选 {', '.join(SENTIMENT_SETS)}）")
    if barred := evaluation_only(names):
        raise YuqingError(f"数据集 {', '.join(barred)} 只用于评测（使用条款或用途如此），不能用于训练")
    return names


def _check_data(path: Path) -> None:
    if not (path / "sentiment").is_dir():
        raise YuqingError(f"找不到数据目录 {path / 'sentiment'}（可用 --data-dir 指定）")


@click.group("nlp")
def cli() -> None:
    """自然语言处理：分词、地点、话题、情感、投诉识别 (NLP models)."""


def _read_jsonl(lines: Iterable[tuple[int, str | UnicodeDecodeError]]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, the post's fields or why the line is skipped) for each line of :func:`yuqing.lines.text_lines`."""
    for n, line in lines:
        if isinstance(line, UnicodeDecodeError):
            yield n, not_utf8(line)
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, f"不是合法的 JSON（第 {exc.colno} 列：{exc.msg}）"
            continue
        if not isinstance(data, dict):
            yield n, "不是 JSON 对象"
        elif "text" not in data:
            yield n, "缺少字段 text"
        elif not isinstance(data["text"], str):
            yield n, f"字段 text 不是字符串（{json.dumps(data['text'], ensure_ascii=False)[:20]}）"
        elif data.get("title") is not None and not isinstance(data["title"], str):
            yield n, "字段 title 不是字符串"
        else:
            yield n, data


@cli.command("enrich")
@click.option("--batch", default=256, show_default=True, help="每批处理的条数 posts per batch")
@pass_app
def enrich_cmd(app: AppContext, batch: int) -> None:
    """从标准输入读 JSON 行（需含 text 字段），输出补全分析结果的 JSON 行。

    Reads JSON lines with a `text` field on stdin (a `title` is read with it, as `yuqing load` reads a post's; other
    fields passed through) and writes them with
    tokens, keywords, topic, topic_scores, sentiment, sentiment_label, message_type, is_complaint, places (an
    unlisted place with its alert key, raw:<name>), severity, simhash.
    """
    from nlp.enrich import Enricher, post_text

    enricher = Enricher.from_config(app.config)
    bad = 0
    pending: list[dict[str, Any]] = []
    out = sys.stdout

    def flush() -> None:
        fields = enricher.analyze([post_text(r.get("title"), r["text"]) for r in pending],
                                  [r.get("region") for r in pending])
        for row, f in zip(pending, fields, strict=True):
            out.write(whole_characters(json.dumps({**row, **f}, ensure_ascii=False)) + "\n")  # no half characters out
        out.flush()
        pending.clear()

    for n, item in _read_jsonl(text_lines()):
        if isinstance(item, str):
            bad += 1
            click.echo(f"跳过第 {n} 行：{item}", err=True)
            continue
        pending.append(item)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    if bad:
        raise YuqingError(f"{bad} 行无法处理（见上）")


def _table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


@cli.command("evaluate")
@click.option("--sentiment/--no-sentiment", default=True, help="情感：各数据集留出集上的准确率与 AUC")
@click.option("--topics/--no-topics", default=True, help="话题/地点/投诉：标注样本上的精确率与召回率")
@click.option("--teddy/--no-teddy", default=False, help="在泰迪杯 2020 市民留言上的外部检验（较慢）")
@click.option("--snownlp", "with_snownlp", is_flag=True, help="同时测 SnowNLP 自带模型（很慢）")
@click.option("--encoder", "with_encoder", is_flag=True, help="同时测微调编码器情感模型（每条都过编码器，较慢）")
@click.option("--validation", is_flag=True, help="情感级联：验证集上各区间的准确率、AUC 与送编码器比例（较慢）")
@click.option("--limit", type=int, default=None, help="每个数据集最多取多少条")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help=DATA_HELP)
@pass_app
def evaluate_cmd(app: AppContext, sentiment: bool, topics: bool, teddy: bool, with_snownlp: bool,
                 with_encoder: bool, validation: bool, limit: int | None, as_json: bool, data_dir: Path | None
                 ) -> None:
    """复现 docs/nlp.md 中的指标 (reproduce the figures in docs/nlp.md)."""
    from nlp import datasets
    from nlp.datasets import SENTIMENT_SETS
    from nlp.enrich import Enricher
    from nlp.evaluate import SAMPLE, evaluate_sample, evaluate_teddy, load_sample
    from nlp.sentiment import make_scorer
    from nlp.train import evaluate_scorer

    if data_dir is not None:
        datasets.set_data_dir(data_dir)
    enricher = Enricher.from_config(app.config)
    report: dict[str, Any] = {}
    if sentiment or teddy:
        _check_data(datasets.data_dir())
        names = [enricher.sentiment.name]  # the configured scorer, then the others asked for, each loaded in turn
        names += [n for n, wanted in (("fast", True), ("encoder", with_encoder), ("snownlp", with_snownlp))
                  if wanted and n not in names]  # fast alone for comparison (cheap)
        report["sentiment"] = {}
        for name in names:  # each set is announced on stderr: the encoder takes minutes
            scorer = enricher.sentiment if name == enricher.sentiment.name else make_scorer(name)
            report["sentiment"][name] = evaluate_scorer(
                scorer.score, SENTIMENT_SETS, limit or (500 if name == "snownlp" else None),
                progress=lambda s, n=name: click.echo(f"评测 {n}：{s}", err=True))
    if validation:
        from nlp.train import validation_report

        _check_data(datasets.data_dir())
        report["sentiment_validation"] = validation_report()
    if topics:
        report["sample_dev"] = evaluate_sample(enricher, load_sample(SAMPLE))
        for path in sorted(SAMPLE.parent.glob("labelled_test*.jsonl")):
            key = "sample_" + path.stem.removeprefix("labelled_")
            report[key] = evaluate_sample(enricher, load_sample(path))
    if teddy:
        report["teddy2020"] = evaluate_teddy(enricher, limit)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for scorer, rows in report.get("sentiment", {}).items():
        click.echo(f"\n情感 sentiment — {scorer}\n" + _table(rows, ["set", "n", "accuracy", "auc", "deferred"]))
    if "sentiment_validation" in report:
        click.echo("\n情感验证集 sentiment, validation tenth\n"
                   + _table(report["sentiment_validation"], ["scorer", "n", "accuracy", "auc", "deferred"]))
    for key in [k for k in report if k.startswith("sample_")]:
        if key in report:
            r = report[key]
            click.echo(f"\n{key}: n={r['n']} 话题准确率 topic accuracy {r['topic_accuracy']} "
                       f"(rules only {r['topic_accuracy_rules_only']}); 地点 places {r['places']}; "
                       f"投诉 complaint {r['complaint']}")
            rows = [{"topic": k, **v} for k, v in r["topics"].items()]
            click.echo(_table(rows, ["topic", "n", "precision", "recall"]))
    if "teddy2020" in report:
        click.echo("\nteddy2020: " + json.dumps(report["teddy2020"], ensure_ascii=False))


def training_inputs(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every training command shares: corrections, the store, where to write and read."""
    for option in reversed((
        click.option("--corrections", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="审核员更正的标签（JSON 行，含 text 与 topic / sentiment_label）"),
        click.option("--from-store", is_flag=True, help="直接从存储中读取审核员更正/确认的帖子"),
        click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=MODEL_DIR,
                     show_default=True),
        click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help=DATA_HELP),
    )):
        command = option(command)
    return command


@cli.command("train")
@click.option("--sentiment/--no-sentiment", default=True, help="训练情感模型")
@click.option("--topics/--no-topics", default=True, help="训练话题模型")
@click.option("--sets", default="weibo2018,waimai,chnsenticorp", show_default=True,
              help="情感训练集（逗号分隔；测试集永不参与训练）")
@training_inputs
@pass_app
def train_cmd(app: AppContext, sentiment: bool, topics: bool, sets: str, corrections: Path | None,
              from_store: bool, out_dir: Path, data_dir: Path | None) -> None:
    """重新训练情感与话题模型 (retrain the shipped models; reviewer corrections are added)."""
    from tqdm import tqdm

    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy
    from nlp.train import train_sentiment, train_topics

    names = _training_sets(sets)
    from nlp import datasets

    if data_dir is not None:
        datasets.set_data_dir(data_dir)
    if sentiment:
        _check_data(datasets.data_dir())
    rows = _corrections(app, corrections, from_store)
    out_dir.mkdir(parents=True, exist_ok=True)
    steps = [s for s, on in (("sentiment", sentiment), ("topics", topics)) if on]
    with tqdm(steps, desc="训练 training", unit=" model", file=sys.stderr, disable=None) as bar:
        for step in bar:
            bar.set_postfix_str(step)
            if step == "sentiment":
                path = train_sentiment(out_dir / "sentiment.npz", names, rows)
            else:
                nlp = app.config.nlp
                path = train_topics(out_dir / "topics.npz", load_gazetteer(nlp.gazetteer), load_taxonomy(nlp.taxonomy),
                                    rows)
            tqdm.write(f"已写入 {path}（{path.stat().st_size // 1024} KB）", file=sys.stderr)
    click.echo(f"训练完成：{', '.join(steps) or '无'}；更正样本 {len(rows)} 条。用 `yuqing nlp evaluate` 查看指标。")


@cli.command("train-encoder")
@click.option("--sets", default="weibo2018,waimai,chnsenticorp", show_default=True,
              help="训练集（逗号分隔；测试集永不参与训练；评论类数据集各抽 2000 条）")
@click.option("--epochs", type=int, default=None, help="训练轮数（默认 3）")
@click.option("--members", type=click.IntRange(1, 5), default=None, help="平均几个独立微调的模型（默认 2）")
@click.option("--seed", type=int, default=None, help="第一个模型的训练随机种子（默认 2，其余依次加 1）")
@training_inputs
@pass_app
def train_encoder_cmd(app: AppContext, sets: str, epochs: int | None, members: int | None, seed: int | None,
                      corrections: Path | None, from_store: bool, out_dir: Path, data_dir: Path | None) -> None:
    """微调编码器情感模型（需要 train 依赖：torch、onnx；首次从 Maven Central 下载基础模型）。"""
    names = _training_sets(sets)
    try:
        import onnx  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        raise YuqingError("train-encoder 需要 torch 与 onnx：pip install -e '.[train]'") from None
    from nlp import datasets
    from nlp.encoder_train import EPOCHS, FIRST_SEED, MEMBERS, train_encoder, training_data

    if data_dir is not None:
        datasets.set_data_dir(data_dir)
    _check_data(datasets.data_dir())
    rows = _corrections(app, corrections, from_store)
    texts, labels, weights = training_data(names, rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = train_encoder(out_dir / "sentiment-encoder.onnx", texts, labels, weights, epochs=epochs or EPOCHS,
                         members=members or MEMBERS, first_seed=FIRST_SEED if seed is None else seed)
    click.echo(f"已写入 {path}（{path.stat().st_size // 1024} KB），训练样本 {len(texts)} 条。"
               "用 `yuqing nlp evaluate --encoder` 查看指标。")


def _corrections(app: AppContext, path: Path | None, from_store: bool) -> list[dict[str, Any]]:
    """Reviewer-corrected training rows from a JSON-lines file and, if asked, from the store."""
    from nlp.train import read_corrections

    try:
        rows = read_corrections(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise YuqingError(f"{path}: 更正文件不是合法的 JSON 行（{exc}）") from None
    return rows + (list(export_corrections(app.store)) if from_store else [])


def export_corrections(store) -> Iterator[dict[str, Any]]:
    """Reviewed posts (corrected or confirmed) as training rows with their effective labels."""
    from storage.base import PostQuery

    query = PostQuery(review_statuses=("corrected", "confirmed"), limit=1000, highlight=False)
    for post in store.iter_posts(query):
        label = post.effective_sentiment_label
        yield {"id": post.id, "text": post.text, "topic": post.effective_topic,
               "sentiment_label": label.value if label else None, "is_complaint": post.effective_is_complaint,
               "place_ids": post.effective_place_ids}


@cli.command("corrections")
@pass_app
def corrections_cmd(app: AppContext) -> None:
    """导出审核员更正/确认的标签为训练数据（JSON 行，写到标准输出）。"""
    n = 0
    for row in export_corrections(app.store):
        click.echo(json.dumps(row, ensure_ascii=False))
        n += 1
    click.echo(f"导出 {n} 条", err=True)
