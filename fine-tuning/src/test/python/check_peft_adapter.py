"""Checks that Python peft loads a LoRA adapter `jtransformers fine-tune --lora-rank` wrote onto its base model and
scores as Java does with the adapter merged in.

    jtransformers pipeline text-classification --model MERGED --input TEXTS.jsonl --output JAVA.jsonl
    python check_peft_adapter.py BASE ADAPTER TEXTS.jsonl JAVA.jsonl

MERGED: the adapter merged into the base by Java (`jtransformers merge-adapter`, or `--adapter` on the pipeline).
The task model's labels come from the config.json fine-tune writes beside the adapter. Needs torch, transformers and
peft. Exits non-zero if a label differs or a score differs by more than 1e-4.
"""
import sys

import torch
from peft import PeftModel
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

from common import compare, read_lines


def main(base, adapter, texts_file, java_file):
    task = AutoConfig.from_pretrained(adapter)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=task.num_labels, id2label=task.id2label, label2id=task.label2id,
        ignore_mismatched_sizes=True)
    model = PeftModel.from_pretrained(model, adapter).eval()
    tokenizer = AutoTokenizer.from_pretrained(base)
    texts = read_lines(texts_file)
    with torch.no_grad():
        encoded = tokenizer(texts, truncation=True, max_length=128, padding=True, return_tensors="pt")
        probabilities = model(**encoded).logits.softmax(-1)
    worst, differing = compare(texts, read_lines(java_file), probabilities, task.id2label)
    print(f"peft {type(model.base_model.model).__name__} + {adapter}: {len(texts)} texts, {differing} labels"
          f" differ, largest score difference {worst:.2e}")
    sys.exit(0 if differing == 0 and worst <= 1e-4 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:5])
