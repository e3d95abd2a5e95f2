"""The feature-extraction work of FeatureExtractionBench, hand-written in Python: HF `tokenizers` and
`onnxruntime`, as a careful Python user would drive them.

Same sentences (the rule of BenchSentences.java), same model file, same shapes and thread counts: tokenise every
input (truncation at 256), sort by token count, cut into batches, pad each to its longest, run the graph, mean-pool
over the attention mask and L2-normalise. Prints one JSON line per measurement, like the Java benchmark.

Usage: python feature_extraction.py MODEL_DIR [--shared DIR] [--threads 1,2] [--batches 1,8,32] [--long-batch 8]
       [--rounds 3] [--per-source 1000]
MODEL_DIR holds onnx/model.onnx, tokenizer.json and config.json (the Java benchmark prints where the embedded model
is unpacked: ~/.cache/jtransformers/models/sentence-transformers--all-MiniLM-L6-v2).
"""
import argparse
import json
import os
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

PER_SOURCE = 1000
SENTENCES_PER_LONG_TEXT = 20
MAX_LENGTH = 256


def column(path, index, header, count):
    values = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines[1 if header else 0:]:
        columns = line.split("\t")
        if len(columns) > index and columns[index].strip():
            values.append(columns[index].strip())
        if len(values) == count:
            break
    return values


def sentences(shared, per_source=PER_SOURCE):
    short = column(os.path.join(shared, "data/stsbenchmark/sts-dev.csv"), 5, False, per_source)
    short += column(os.path.join(shared, "data/sst2/train.tsv"), 0, True, per_source)
    long = [" ".join(short[i:i + SENTENCES_PER_LONG_TEXT])
            for i in range(0, len(short) - SENTENCES_PER_LONG_TEXT + 1, SENTENCES_PER_LONG_TEXT)]
    return short, long


def flops_per_sequence(config, tokens):
    """Matrix FLOPs of one sequence (MatrixFlops.java): projections, feed-forward, attention's two products."""
    h, i, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    return tokens * 2.0 * layers * (4 * h * h + 2 * h * i + 2 * tokens * h)


def batches(lengths, batch_size, max_batch_tokens=None):
    """Cuts length-sorted inputs into batches of at most batch_size, and, given a token budget, of at most
    max_batch_tokens padded tokens (at least one input each): the rule of the Java pipeline's ChunkPipeline."""
    start = 0
    while start < len(lengths):
        end, longest = start + 1, lengths[start]
        while end < len(lengths) and end - start < batch_size:
            widest = max(longest, lengths[end])
            if max_batch_tokens is not None and widest * (end - start + 1) > max_batch_tokens:
                break
            longest, end = widest, end + 1
        yield start, end
        start = end


def embed_all(session, tokenizer, texts, batch_size, input_names, max_batch_tokens=None):
    encodings = tokenizer.encode_batch(texts)
    order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids))
    out = [None] * len(texts)
    for start, end in batches([len(encodings[k].ids) for k in order], batch_size, max_batch_tokens):
        chunk = order[start:end]
        width = max(len(encodings[k].ids) for k in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        types = np.zeros((len(chunk), width), dtype=np.int64)
        for row, k in enumerate(chunk):
            e = encodings[k]
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = e.attention_mask
            types[row, :n] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = session.run([session.get_outputs()[0].name], {n: feed[n] for n in input_names})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        for row, k in enumerate(chunk):
            out[k] = pooled[row]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--long-batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-source", type=int, default=PER_SOURCE)
    args = parser.parse_args()

    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    tokenizer = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    tokenizer.no_padding()  # the file asks for fixed padding to 128; pad per batch instead
    tokenizer.enable_truncation(MAX_LENGTH)
    short, long = sentences(args.shared, args.per_source)
    shapes = [(f"batch {b}", short, b) for b in map(int, args.batches.split(","))]
    shapes.append((f"long, batch {args.long_batch}", long, args.long_batch))

    for threads in map(int, args.threads.split(",")):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(os.path.join(args.model_dir, "onnx/model.onnx"), options,
                                       providers=["CPUExecutionProvider"])
        input_names = [i.name for i in session.get_inputs()]
        for name, texts, batch_size in shapes:
            lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
            tokens = sum(lengths)
            flops = sum(flops_per_sequence(config, n) for n in lengths)
            embed_all(session, tokenizer, texts, batch_size, input_names)  # warm-up
            for r in range(args.rounds):
                start = time.perf_counter()
                embed_all(session, tokenizer, texts, batch_size, input_names)
                seconds = time.perf_counter() - start
                print(json.dumps({
                    "engine": "python-ort-loop", "threads": threads, "shape": name, "round": r,
                    "sentences": len(texts), "tokens": tokens, "seconds": round(seconds, 4),
                    "sentences_per_s": round(len(texts) / seconds, 1), "tokens_per_s": round(tokens / seconds),
                    "gflop_per_s": round(flops / seconds / 1e9, 2)}), flush=True)


if __name__ == "__main__":
    main()
