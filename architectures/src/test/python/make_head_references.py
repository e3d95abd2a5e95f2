"""Writes head-references.json: what Python transformers' task models return on small padded batches.

The shared fixtures of the tiny -ner, -qa and -mlm models hold only pipeline-level references; the architecture
tests need the raw outputs of each task head. For every model this runs one batch of two inputs (padded, so the
attention mask has zeros) and records the inputs and the outputs, rounded to 5 decimals (the Java tests compare to
1e-4):
  token classification: logits [batch, seq, labels], last_hidden_state
  question answering:   start_logits, end_logits [batch, seq], last_hidden_state
  masked LM:            logits at the [MASK] positions only (a full [batch, seq, vocab] would be large), last_hidden_state

Run from the repository root with torch (CPU) and transformers installed:
  python architectures/src/test/python/make_head_references.py ../shared/models \
      architectures/src/test/resources/dev/jtransformers/architectures/head-references.json
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from transformers import (AutoModelForMaskedLM, AutoModelForQuestionAnswering, AutoModelForTokenClassification,
                          AutoTokenizer)

TEXTS = ["A man is playing the guitar in Paris.", "Hello world"]
PAIRS = [("Who is playing the guitar?", "A man is playing the guitar."), ("Where?", "In the kitchen.")]
# One [MASK] in the batch: its logits row spans the whole vocabulary, the bulk of the file.
MASKED = ["A [MASK] is taking off.", "The man cut some carpet with a knife in the kitchen."]

MODELS = {
    "tiny-random-bert-ner": (AutoModelForTokenClassification, TEXTS),
    "tiny-random-distilbert-ner": (AutoModelForTokenClassification, TEXTS),
    "tiny-random-bert-qa": (AutoModelForQuestionAnswering, PAIRS),
    "tiny-random-distilbert-qa": (AutoModelForQuestionAnswering, PAIRS),
    "tiny-random-bert-mlm": (AutoModelForMaskedLM, MASKED),
    "tiny-random-distilbert-mlm": (AutoModelForMaskedLM, MASKED),
}


def rounded(tensor):
    return torch.round(tensor.double(), decimals=5).tolist()


def encode(tokenizer, inputs, with_token_types):
    """[CLS] A [SEP] (B [SEP]) per input, padded to the longest: the BERT layout, built here because these fixtures'
    tokenizer.json adds no special tokens."""
    rows = []
    for item in inputs:
        segments = item if isinstance(item, tuple) else (item,)
        ids, types = [tokenizer.cls_token_id], [0]
        for type_id, text in enumerate(segments):
            tokens = tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.sep_token_id]
            ids += tokens
            types += [type_id] * len(tokens)
        rows.append((ids, types))
    length = max(len(ids) for ids, _ in rows)
    padding = [length - len(ids) for ids, _ in rows]
    batch = {
        "input_ids": torch.tensor([ids + [tokenizer.pad_token_id] * p for (ids, _), p in zip(rows, padding)]),
        "attention_mask": torch.tensor([[1] * len(ids) + [0] * p for (ids, _), p in zip(rows, padding)]),
    }
    if with_token_types:
        batch["token_type_ids"] = torch.tensor([types + [0] * p for (_, types), p in zip(rows, padding)])
    return batch


def reference(directory, model_class, inputs):
    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = model_class.from_pretrained(directory).eval()
    batch = encode(tokenizer, inputs, with_token_types=model.config.model_type == "bert")
    with torch.no_grad():
        output = model(**batch, output_hidden_states=True)
    entry = {name: batch[name].tolist() for name in ("input_ids", "attention_mask", "token_type_ids") if name in batch}
    outputs = {"last_hidden_state": rounded(output.hidden_states[-1])}
    if model_class is AutoModelForQuestionAnswering:
        outputs["start_logits"] = rounded(output.start_logits)
        outputs["end_logits"] = rounded(output.end_logits)
    elif model_class is AutoModelForMaskedLM:
        positions = (batch["input_ids"] == tokenizer.mask_token_id).nonzero().tolist()
        entry["mask_positions"] = positions
        outputs["masked_logits"] = [rounded(output.logits[b, s]) for b, s in positions]
    else:
        outputs["logits"] = rounded(output.logits)
    entry["outputs"] = outputs
    return entry


def main(models_directory, target):
    result = {
        "generator": "architectures/src/test/python/make_head_references.py",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "models": {
            name: reference(Path(models_directory) / name, model_class, inputs)
            for name, (model_class, inputs) in MODELS.items()
        },
    }
    Path(target).write_text(json.dumps(result, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
