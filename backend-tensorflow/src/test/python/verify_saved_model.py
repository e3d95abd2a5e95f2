"""Checks a SavedModel written by `jtransformers export --format saved_model` in Python TensorFlow.

Loads it with tf.saved_model.load, runs its serving_default signature on the input_ids of a fixture's
reference.jsonl (Python transformers' outputs), one line at a time and all lines as one padded batch, and prints the
largest difference from the reference logits and last_hidden_state. Exits 1 if one exceeds the tolerance.
Not run by the build; needs tensorflow (CPU is enough).

    TF_CPP_MIN_LOG_LEVEL=1 python verify_saved_model.py EXPORT_DIR path/to/reference.jsonl [TOLERANCE]
"""
import json
import sys

import numpy as np
import tensorflow as tf

SEP = 102  # [SEP] in the uncased BERT vocabulary: a pair's second text starts after the first one


def type_ids(ids, pair):
    types = np.zeros(len(ids), dtype=np.int64)
    if pair:
        types[ids.index(SEP) + 1:] = 1
    return types


def run(serve, rows, pairs):
    length = max(len(r) for r in rows)
    feed = {
        "input_ids": np.zeros((len(rows), length), np.int64),
        "attention_mask": np.zeros((len(rows), length), np.int64),
        "token_type_ids": np.zeros((len(rows), length), np.int64),
    }
    for i, (ids, pair) in enumerate(zip(rows, pairs)):
        feed["input_ids"][i, :len(ids)] = ids
        feed["attention_mask"][i, :len(ids)] = 1
        feed["token_type_ids"][i, :len(ids)] = type_ids(ids, pair)
    wanted = serve.structured_input_signature[1].keys()
    return {k: v.numpy() for k, v in serve(**{k: tf.constant(v) for k, v in feed.items() if k in wanted}).items()}


def main():
    export_dir, reference = sys.argv[1], sys.argv[2]
    tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
    lines = [json.loads(line) for line in open(reference, encoding="utf-8") if line.strip()]
    serve = tf.saved_model.load(export_dir).signatures["serving_default"]
    print("inputs:", sorted(serve.structured_input_signature[1].keys()), "outputs:", sorted(serve.structured_outputs))
    rows = [line["input_ids"] for line in lines]
    pairs = ["text_pair" in line for line in lines]
    batch = run(serve, rows, pairs)
    worst = 0.0
    for i, line in enumerate(lines):
        alone = run(serve, [rows[i]], [pairs[i]])
        n = len(rows[i])
        for outputs, row in ((alone, 0), (batch, i)):
            worst = max(worst,
                        float(np.abs(outputs["logits"][row] - np.array(line["logits"])).max()),
                        float(np.abs(outputs["last_hidden_state"][row, :n] - np.array(line["last_hidden_state"])).max()))
    print(f"{len(lines)} reference lines, alone and in one padded batch: max abs diff {worst:.3g}")
    sys.exit(0 if worst <= tolerance else 1)


if __name__ == "__main__":
    main()
