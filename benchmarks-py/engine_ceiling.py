"""The engine's own ceiling on a model: achieved GFLOP/s on uniform synthetic batches, one intra-op thread, and
where the time of one 8 x 200 batch goes, by operator (ONNX Runtime's profiler).

Usage: python engine_ceiling.py MODEL_DIR [--shapes 1x200,8x200,20x200] [--passes 7]
The FLOPs are those of benchmarks' MatrixFlops: per token and layer 2(4h^2 + 2hi) + 4sh.
"""
import argparse
import collections
import json
import os
import time

import numpy as np
import onnxruntime as ort


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--shapes", default="1x200,8x200,20x200")
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    h, i, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    graph = os.path.join(args.model_dir, "onnx/model.onnx")

    def feed(batch, length):
        ids = np.random.RandomState(0).randint(1000, 20000, size=(batch, length)).astype(np.int64)
        return {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    for shape in args.shapes.split(","):
        batch, length = map(int, shape.split("x"))
        inputs = feed(batch, length)
        flops = batch * length * layers * (2 * (4 * h * h + 2 * h * i) + 4 * length * h)
        for _ in range(2):
            session.run(None, inputs)
        times = []
        for _ in range(args.passes):
            start = time.perf_counter()
            session.run(None, inputs)
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"{batch} x {length}: GFLOP/s best {flops / times[0] / 1e9:.1f}, median {flops / times[len(times) // 2] / 1e9:.1f}")

    options.enable_profiling = True
    profiled = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    inputs = feed(8, 200)
    for _ in range(5):
        profiled.run(None, inputs)
    profile = profiled.end_profiling()  # written to the working directory
    with open(profile) as f:
        events = json.load(f)
    os.remove(profile)
    by_op = collections.Counter()
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            by_op[event["args"]["op_name"]] += event["dur"]
    total = sum(by_op.values())
    print("8 x 200, share of operator time:")
    for op, microseconds in by_op.most_common(10):
        print(f"  {op:24s} {100 * microseconds / total:5.1f}%")


if __name__ == "__main__":
    main()
