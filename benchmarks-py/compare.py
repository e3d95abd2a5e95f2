"""Java against Python on the same engine, interleaved in one run.

Starts the Java benchmark (`FeatureExtractionBench --serve`) as a child process and alternates single passes of the
Java pipeline, the bare Java ONNX Runtime loop, the Python loop of feature_extraction.py as written (batches of a
count) and the same Python loop cutting its batches by the pipeline's token budget too (so both run the same batch
shapes), and, at more than one thread, the Java pipeline running that many batches side by side on one engine thread
each, rotating which goes first each round, so load from other work on the machine falls on all three alike. The first pass of each is a
warm-up. Prints the raw JSON lines, then medians and ratios as a Markdown table.

Usage: python compare.py MODEL_DIR [--shared DIR] [--threads 1,2] [--batches 1,8,32] [--long-batch 8] [--rounds 3]
       [--per-source 1000] [--max-batch-tokens 512] [--python-spinning default|0|1] [--jar benchmarks/target/benchmarks.jar] [--java-arg ARG]...   (run from the project root)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import onnxruntime as ort
from tokenizers import Tokenizer

import feature_extraction as fx

ENGINES = ["java-pipeline", "java-ort-loop", "python-ort-loop", "python-ort-loop-budget"]
PARALLEL = "java-pipeline-parallel"  # parallel_batches = threads, one engine thread each; at 2+ threads only


def engines(threads):
    return ENGINES + [PARALLEL] if threads > 1 else ENGINES


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--long-batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-source", type=int, default=fx.PER_SOURCE)
    parser.add_argument("--max-batch-tokens", type=int, default=512,
                        help="the pipeline's token budget (PipelineConfig.DEFAULT_MAX_BATCH_TOKENS), also the budget"
                             " of python-ort-loop-budget")
    parser.add_argument("--jar", default="benchmarks/target/benchmarks.jar")
    parser.add_argument("--java-arg", action="append", default=[])
    parser.add_argument("--python-spinning", choices=["default", "0", "1"], default="default",
                        help="session.intra_op.allow_spinning for the Python loop (the Java pipeline's default is 0)")
    args = parser.parse_args()

    threads_list = [int(t) for t in args.threads.split(",")]
    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    tokenizer = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(fx.MAX_LENGTH)
    short, long = fx.sentences(args.shared, args.per_source)
    shapes = [(f"batch {b}", short, b) for b in map(int, args.batches.split(","))]
    shapes.append((f"long, batch {args.long_batch}", long, args.long_batch))

    sessions = {}
    for threads in threads_list:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        if args.python_spinning != "default":
            options.add_session_config_entry("session.intra_op.allow_spinning", args.python_spinning)
        sessions[threads] = ort.InferenceSession(os.path.join(args.model_dir, "onnx/model.onnx"), options,
                                                 providers=["CPUExecutionProvider"])

    java = subprocess.Popen(
        ["java", *args.java_arg, "-cp", args.jar, "dev.jtransformers.benchmarks.FeatureExtractionBench", "--serve",
         "--shared", args.shared, "--batches", args.batches, "--long-batch", str(args.long_batch),
         "--per-source", str(args.per_source), "--max-batch-tokens", str(args.max_batch_tokens)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert json.loads(java.stdout.readline()).get("ready"), "the Java benchmark did not start"

    def python_pass(threads, texts, batch_size, max_batch_tokens):
        session = sessions[threads]
        names = [i.name for i in session.get_inputs()]
        start = time.perf_counter()
        fx.embed_all(session, tokenizer, texts, batch_size, names, max_batch_tokens)
        return time.perf_counter() - start

    results = {}
    for round_ in range(-1, args.rounds):  # round -1 warms every engine up on every shape
        for threads in threads_list:
            for name, texts, batch_size in shapes:
                lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
                flops = sum(fx.flops_per_sequence(config, n) for n in lengths)
                order = engines(threads)
                shift = round_ % len(order)
                for engine in order[shift:] + order[:shift]:
                    if engine.startswith("java"):
                        java.stdin.write(f"{engine} {threads} {name}\n")
                        java.stdin.flush()
                        line = json.loads(java.stdout.readline())
                        seconds = line["seconds"]
                    else:
                        budget = args.max_batch_tokens if engine == "python-ort-loop-budget" else None
                        seconds = python_pass(threads, texts, batch_size, budget)
                    record = {"engine": engine, "threads": threads, "shape": name, "round": round_,
                              "seconds": round(seconds, 4), "sentences_per_s": round(len(texts) / seconds, 1),
                              "tokens_per_s": round(sum(lengths) / seconds),
                              "gflop_per_s": round(flops / seconds / 1e9, 2)}
                    print(json.dumps(record), flush=True)
                    if round_ >= 0:
                        results.setdefault((threads, name), {}).setdefault(engine, []).append(record)
    java.stdin.close()
    java.wait()

    print(f"\nMedians of {args.rounds} interleaved rounds (sentences/s, tokens/s, GFLOP/s); ratios of medians\n")
    print("| threads | shape | Java pipeline | bare Java ORT loop | Python ORT loop | Python, same budget |"
          " pipeline / Python | pipeline / Python same budget | bare Java / Python | pipeline / bare Java |"
          " parallel batches | parallel / Python | parallel / Python same budget |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (threads, name), by_engine in results.items():
        med = {e: {k: statistics.median(r[k] for r in by_engine[e])
                   for k in ("sentences_per_s", "tokens_per_s", "gflop_per_s")} for e in engines(threads)}
        cell = lambda e: (f"{med[e]['sentences_per_s']:,.1f} / {med[e]['tokens_per_s']:,.0f} /"
                          f" {med[e]['gflop_per_s']:.1f}")
        ratio = lambda a, b: med[a]["sentences_per_s"] / med[b]["sentences_per_s"]
        budget = "python-ort-loop-budget"
        print(f"| {threads} | {name} | {cell('java-pipeline')} | {cell('java-ort-loop')} | {cell('python-ort-loop')}"
              f" | {cell(budget)} | {ratio('java-pipeline', 'python-ort-loop'):.2f}x"
              f" | {ratio('java-pipeline', budget):.2f}x | {ratio('java-ort-loop', 'python-ort-loop'):.2f}x"
              f" | {ratio('java-pipeline', 'java-ort-loop'):.2f}x"
              + (f" | {cell(PARALLEL)} | {ratio(PARALLEL, 'python-ort-loop'):.2f}x | {ratio(PARALLEL, budget):.2f}x |"
                 if threads > 1 else " | | | |"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
