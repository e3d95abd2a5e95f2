"""The most a BERT encoder can reach in fp32 on this machine: each of its matrix products timed alone, at one thread,
on the fastest library at hand, and the whole encoder's GFLOP/s if everything else (softmax, GELU, layer norms, bias
adds, transposes) took no time at all.

For a batch shape B x S and the model's config (h, i, heads, layers) the products per layer are the four attention
projections [B*S, h] x [h, h], the feed-forward pair [B*S, h] x [h, i] and [B*S, i] x [i, h], and attention's two
batched products over B*heads: [S, h/heads] x [h/heads, S] and [S, S] x [S, h/heads]. Each runs on ONNX Runtime's
MatMul (MLAS, the engine the pipeline uses) and on PyTorch's (MKL / oneDNN); the faster counts. The bound is
sum(FLOPs) / sum(FLOPs_k / rate_k), the FLOPs those of benchmarks' MatrixFlops.

Usage: python gemm_ceiling.py MODEL_DIR --peak GFLOPS [--shapes 2x200,8x200,32x12] [--passes 15]
(--peak: what benchmarks-native/fma_peak prints for one thread)
"""
import argparse
import json
import os
import time

import numpy as np
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper


def median_seconds(run, passes):
    for _ in range(3):
        run()
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def ort_matmul(a, b, constant_b):
    """A one-node graph A x B on one intra-op thread; B an initializer where it is a weight (MLAS pre-packs it)."""
    inputs = [helper.make_tensor_value_info("a", TensorProto.FLOAT, list(a.shape))]
    initializers = []
    if constant_b:
        initializers.append(numpy_helper.from_array(b, "b"))
    else:
        inputs.append(helper.make_tensor_value_info("b", TensorProto.FLOAT, list(b.shape)))
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", inputs,
                              [helper.make_tensor_value_info("c", TensorProto.FLOAT, None)], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    feed = {"a": a} if constant_b else {"a": a, "b": b}
    return lambda: session.run(None, feed)


def products(batch, length, h, i, heads):
    """(name, A shape, B shape, whether B is a weight, count per layer)."""
    rows, d = batch * length, h // heads
    return [("projection h->h", (rows, h), (h, h), True, 4),
            ("feed-forward h->i", (rows, h), (h, i), True, 1),
            ("feed-forward i->h", (rows, i), (i, h), True, 1),
            ("attention scores", (batch * heads, length, d), (batch * heads, d, length), False, 1),
            ("attention context", (batch * heads, length, length), (batch * heads, length, d), False, 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--peak", type=float, required=True, help="one thread's fp32 FMA peak, GFLOP/s")
    parser.add_argument("--shapes", default="2x200,8x200,32x12")
    parser.add_argument("--passes", type=int, default=15)
    args = parser.parse_args()
    with open(os.path.join(args.model_dir, "config.json")) as f:
        config = json.load(f)
    h, i = config["hidden_size"], config["intermediate_size"]
    heads, layers = config["num_attention_heads"], config["num_hidden_layers"]
    torch.set_num_threads(1)
    random = np.random.RandomState(0)
    for shape in args.shapes.split(","):
        batch, length = map(int, shape.split("x"))
        total_flops, total_seconds = 0.0, 0.0
        print(f"{batch} x {length}, one thread (GFLOP/s, % of the {args.peak:.1f} peak):")
        for name, a_shape, b_shape, weight, count in products(batch, length, h, i, heads):
            a = random.standard_normal(a_shape).astype(np.float32)
            b = random.standard_normal(b_shape).astype(np.float32)
            flops = 2.0 * np.prod(a_shape) * b_shape[-1]
            ta, tb = torch.from_numpy(a), torch.from_numpy(b)
            with torch.inference_mode():
                torch_seconds = median_seconds(lambda: torch.matmul(ta, tb), args.passes)
            ort_seconds = median_seconds(ort_matmul(a, b, weight), args.passes)
            seconds = min(torch_seconds, ort_seconds)
            total_flops += flops * count * layers
            total_seconds += seconds * count * layers
            print(f"  {name:18s} ONNX Runtime {flops / ort_seconds / 1e9:6.1f}, PyTorch {flops / torch_seconds / 1e9:6.1f}"
                  f"  best {100 * flops / seconds / 1e9 / args.peak:4.1f}%")
        bound = total_flops / total_seconds / 1e9
        print(f"  whole encoder, nothing but its products: {bound:.1f} GFLOP/s = {100 * bound / args.peak:.1f}% of peak")


if __name__ == "__main__":
    main()
