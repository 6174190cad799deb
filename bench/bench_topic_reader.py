"""Benchmark the topic reader on letters: letters/s and RSS of full enrichment with and without it, one core.

    .venv/bin/python bench/bench_topic_reader.py [--letters 300] [--rounds 3]

Letters are the project's own (``nlp/corpus/place_letters.jsonl``, 31–525 characters, median 171), the shape the
reader is for; ~100-character posts never reach it (``bench/bench_nlp.py``). Both configurations run in one process
pinned to one core, alternated in chunks of 50 letters so that both see the same load; the ratio (with / without) is
the figure. RSS is measured in two fresh processes after enriching the same letters. Also printed: the share of
letters the reader was asked about.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_nlp import child  # noqa: E402  (after the path)

LETTERS = ROOT / "nlp" / "corpus" / "place_letters.jsonl"
CHUNK = 50

ALTERNATED = """
import json, sys, time
sys.path.insert(0, {root!r})
from core.config import Config
from nlp.enrich import Enricher
texts = [json.loads(x)["text"] for x in open({letters!r}, encoding="utf-8") if x.strip()][:{n}]
on = Enricher.from_config(Config.model_validate({{"nlp": {{"topic_reader": True}}}}))
off = Enricher.from_config(Config.model_validate({{"nlp": {{"topic_reader": False}}}}))
asked = []
probabilities = on.topics.reader.probabilities
on.topics.reader.probabilities = lambda xs: (asked.extend(xs), probabilities(xs))[1]
on.analyze(texts[:5]); off.analyze(texts[:5]); asked.clear()  # load every graph before timing
spent = {{"on": 0.0, "off": 0.0}}
for _ in range({rounds}):
    for i in range(0, len(texts), {chunk}):
        for name, e in (("on", on), ("off", off)):
            t = time.perf_counter(); e.analyze(texts[i:i + {chunk}]); spent[name] += time.perf_counter() - t
print(json.dumps({{"on": {rounds} * len(texts) / spent["on"], "off": {rounds} * len(texts) / spent["off"],
                  "asked": len(asked) / ({rounds} * len(texts))}}))
"""

RSS = """
import json, sys
sys.path.insert(0, {root!r})
from core.config import Config
from nlp.enrich import Enricher
texts = [json.loads(x)["text"] for x in open({letters!r}, encoding="utf-8") if x.strip()][:{n}]
Enricher.from_config(Config.model_validate({{"nlp": {{"topic_reader": {on}}}}})).analyze(texts)
status = open("/proc/self/status").read()
print(json.dumps({{"rss": int(status.split("VmRSS:")[1].split()[0]) / 1024,
                  "peak": int(status.split("VmHWM:")[1].split()[0]) / 1024}}))
"""


def main() -> None:
    """Print letters/s with and without the reader, their ratio, the share read, and RSS."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    fill = {"root": str(ROOT), "letters": str(LETTERS), "n": args.letters}
    print(f"letters: {args.letters} of the project's own, {args.rounds} alternated rounds of {CHUNK}; one core",
          flush=True)
    speed = child(ALTERNATED.format(**fill, rounds=args.rounds, chunk=CHUNK))
    print(f"full enrichment with the topic reader   : {speed['on']:7.1f} letters/s", flush=True)
    print(f"full enrichment without it (baseline)   : {speed['off']:7.1f} letters/s", flush=True)
    print(f"ratio with / without: {speed['on'] / speed['off']:.2f}x; letters the reader was asked about: "
          f"{speed['asked']:.0%}", flush=True)
    for on in (True, False):
        mem = child(RSS.format(**fill, on=on))
        print(f"RSS {'with' if on else 'without'} the reader: {mem['rss']:.0f} MB (peak {mem['peak']:.0f} MB)",
              flush=True)


if __name__ == "__main__":
    main()
