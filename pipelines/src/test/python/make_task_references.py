"""Writes task-references.jsonl: Python transformers' pipeline() output for calls the shared fixtures don't make.

The shared reference.pipeline.jsonl files of the tiny -ner and -mlm models cover aggregation strategies, ignore_labels,
top_k and in-vocabulary targets on short texts. This adds, for both the BERT and the DistilBERT model:
  token-classification: a text with out-of-vocabulary characters ([UNK] tokens, whose word is their source text),
      upper case and accents
  (Not stride: for these fixtures' tokenizer, whose template adds no special tokens, tokenizers 0.23 returns no
  overflow windows, so Python's pipeline sees only the first window. The Java tests check stride by its properties.)
  fill-mask: several masks in one text (a list per mask), targets outside the vocabulary (their first sub-token),
      a target given as a string
Each line: {"model", "task", "inputs", "parameters", "output"}.

Run from the repository root with torch (CPU) and transformers installed:
  python pipelines/src/test/python/make_task_references.py ../shared/models \
      pipelines/src/test/resources/dev/jtransformers/pipelines/task-references.jsonl
"""
import json
import sys
from pathlib import Path

import numpy as np
from transformers import pipeline

ODD = "Zoë's café ☃ in Paris sells crème brûlée, and Müller buys it!"

NER_CALLS = [
    (ODD, {"aggregation_strategy": "none", "ignore_labels": []}),
    (ODD, {"aggregation_strategy": "simple"}),
    (ODD, {"aggregation_strategy": "first"}),
    (ODD, {"aggregation_strategy": "average"}),
    (ODD, {"aggregation_strategy": "max", "ignore_labels": ["O", "MISC"]}),
]
MLM_CALLS = [
    ("A [MASK] is [MASK] off.", {"top_k": 3}),
    ("[MASK] man [MASK] playing [MASK] guitar.", {"top_k": 2}),
    ("A man is playing a [MASK].", {"targets": ["kangaroos", "guitar", "xylophonist", "man"]}),
    ("A man is playing a [MASK].", {"targets": "dog"}),
    ("A [MASK] and a [MASK].", {"targets": ["cat", "dog", "zebra"], "top_k": 2}),
]


def plain(value):
    """numpy scalars as Python numbers, recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def main(models, out):
    lines = []
    for family in ["bert", "distilbert"]:
        ner = models / f"tiny-random-{family}-ner"
        classifier = pipeline("token-classification", model=str(ner))
        for text, parameters in NER_CALLS:
            lines.append({"model": ner.name, "task": "token-classification", "inputs": text,
                          "parameters": parameters, "output": plain(classifier(text, **parameters))})
        mlm = models / f"tiny-random-{family}-mlm"
        fill = pipeline("fill-mask", model=str(mlm))
        for text, parameters in MLM_CALLS:
            lines.append({"model": mlm.name, "task": "fill-mask", "inputs": text,
                          "parameters": parameters, "output": plain(fill(text, **parameters))})
    Path(out).write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
