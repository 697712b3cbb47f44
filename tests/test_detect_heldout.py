"""Scores on the independent held-out corpus (issue 14), as quality floors.

``tests/data/heldout_injection.jsonl`` and ``heldout_prompt_leak.jsonl`` were written by a
separate session from the problem statement alone, without reading the engine (formats and
judgement calls: ``heldout_README.md``). They were scored before any rule was tuned on them:

====================================  ===========  ====================  ==========
measure                               main before  branch, before tuning  after
====================================  ===========  ====================  ==========
injection TPR (420 attacks)           .593         .800                  .957
injection FPR (390 benign)            .103         .059                  .010
leak recall, nothing registered (325) .615         .615                  .929
  prose disclosures (126)             .246         .246                  .873
  chat templates (199)                .849         .849                  .965
false alarms on clean replies (298)   .305         .305                  .013
====================================  ===========  ====================  ==========

"Branch, before tuning" had the rules written from my own probe round E only. Rules were
then fixed by class on this corpus, so the "after" column is no longer a held-out figure;
round E of ``injection_probe.jsonl`` and the next independent corpus are. The floors below
sit a little under the after-scores so a regression fails.

Run with ``-s`` for the per-category tables.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from flask_llm_shield.detect import Scanner, detect_injection

DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _table(title: str, total: Counter[str], hit: Counter[str]) -> None:
    for key in sorted(total):
        print(f"{title} {key}: {hit[key]}/{total[key]}")


def test_heldout_injection_tpr_and_fpr() -> None:
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for rec in _load("heldout_injection.jsonl"):
        category = rec["reason"].split(":")[0]
        key = f"{rec['label']}:{category}"
        total[key] += 1
        hit[key] += detect_injection(rec["text"]).flagged
    _table("heldout injection", total, hit)
    attacks = [k for k in total if k.startswith("attack:")]
    benign = [k for k in total if k.startswith("benign:")]
    tpr = sum(hit[k] for k in attacks) / sum(total[k] for k in attacks)
    fpr = sum(hit[k] for k in benign) / sum(total[k] for k in benign)
    print(f"heldout injection TPR={tpr:.3f} FPR={fpr:.3f}")
    assert tpr >= 0.945
    assert fpr <= 0.015


def test_heldout_prompt_leak_with_nothing_registered() -> None:
    scanner = Scanner()
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for rec in _load("heldout_prompt_leak.jsonl"):
        found = any(f.category == "prompt_leak" for f in scanner.scan(rec["text"]))
        base = rec["form"].split("__")[0]
        group = (
            ("prose" if base.startswith("prose") else "template")
            if rec["label"] == "leak"
            else base
        )
        key = f"{rec['label']}:{group}"
        total[key] += 1
        hit[key] += found
    _table("heldout prompt_leak", total, hit)
    leaks = [k for k in total if k.startswith("leak:")]
    clean = [k for k in total if k.startswith("clean:")]
    recall = sum(hit[k] for k in leaks) / sum(total[k] for k in leaks)
    false_alarms = sum(hit[k] for k in clean) / sum(total[k] for k in clean)
    print(f"heldout prompt_leak recall={recall:.3f} false_alarms={false_alarms:.3f}")
    assert recall >= 0.92
    assert hit["leak:prose"] / total["leak:prose"] >= 0.85
    assert false_alarms <= 0.02
