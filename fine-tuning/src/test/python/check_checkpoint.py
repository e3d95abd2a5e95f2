"""Checks that Python transformers loads a checkpoint `jtransformers fine-tune` wrote and scores as Java does.

    jtransformers pipeline text-classification --model CHECKPOINT --input TEXTS.jsonl --output JAVA.jsonl
    python check_checkpoint.py CHECKPOINT TEXTS.jsonl JAVA.jsonl

TEXTS.jsonl: one JSON string per line. Needs torch and transformers (checked with torch 2.13, transformers 5.18).
Exits non-zero if a label differs or a score differs by more than 1e-4.
"""
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from common import compare, read_lines


def main(checkpoint, texts_file, java_file):
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint).eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    texts = read_lines(texts_file)
    with torch.no_grad():
        encoded = tokenizer(texts, truncation=True, max_length=128, padding=True, return_tensors="pt")
        probabilities = model(**encoded).logits.softmax(-1)
    worst, differing = compare(texts, read_lines(java_file), probabilities, model.config.id2label)
    print(f"{type(model).__name__} {model.config.id2label}: {len(texts)} texts, {differing} labels differ,"
          f" largest score difference {worst:.2e}")
    sys.exit(0 if differing == 0 and worst <= 1e-4 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
