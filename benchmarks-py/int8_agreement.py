"""How close int8 encoders' embeddings are to fp32's, one sentence at a time (no batch-mates to share a scale):
the given int8 export (e.g. from `export --format onnx_int8`) against Python ONNX Runtime's own quantize_dynamic of
the same fp32 graph, per tensor and per channel. Mean-pooled, normalised embeddings of STS-B dev sentences.

Usage: python int8_agreement.py MODEL_DIR INT8_DIR [--shared ../shared] [--sentences 400]
"""
import argparse
import os
import tempfile

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("int8_dir")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--sentences", type=int, default=400)
    args = parser.parse_args()
    fp32 = os.path.join(args.model_dir, "onnx/model.onnx")
    tokenizer = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    texts = []
    with open(os.path.join(args.shared, "data/stsbenchmark/sts-dev.csv"), encoding="utf-8") as f:
        for line in f:
            columns = line.rstrip("\n").split("\t")
            if len(columns) > 6:
                texts.append(columns[5])
    texts = texts[: args.sentences]

    def embed(graph):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        output = session.get_outputs()[0].name
        vectors = []
        for text in texts:
            ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
            states = session.run([output], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                            "token_type_ids": np.zeros_like(ids)})[0][0]
            vector = states.mean(0)
            vectors.append(vector / np.linalg.norm(vector))
        return np.array(vectors)

    reference = embed(fp32)
    with tempfile.TemporaryDirectory() as scratch:
        candidates = {"given int8 export": os.path.join(args.int8_dir, "onnx/model.onnx")}
        for name, per_channel in (("quantize_dynamic per tensor", False), ("quantize_dynamic per channel", True)):
            path = os.path.join(scratch, f"{per_channel}.onnx")
            quantize_dynamic(fp32, path, weight_type=QuantType.QInt8, per_channel=per_channel)
            candidates[name] = path
        for name, graph in candidates.items():
            cosines = (embed(graph) * reference).sum(1)
            print(f"{name}: cosine to fp32 over {len(texts)} sentences, mean {cosines.mean():.5f}, min {cosines.min():.5f}")


if __name__ == "__main__":
    main()
