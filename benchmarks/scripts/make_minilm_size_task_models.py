"""Random-weight MiniLM-size task models for QuestionAnsweringZeroShotBench: the shape of all-MiniLM-L6-v2
(hidden 384, 6 layers, 12 heads, its 30,522-entry tokenizer) with a question-answering head and with a 3-label NLI
classifier (contradiction, neutral, entailment). Only the speed of these models means anything, not their answers.

Usage: python make_minilm_size_task_models.py MINILM_SST2_DIR OUT_DIR   (needs torch, transformers and onnx)
writes OUT_DIR/minilm-size-qa and OUT_DIR/minilm-size-nli, each config.json, tokenizer files and onnx/model.onnx.
"""
import json
import os
import shutil
import sys

import torch
from transformers import BertConfig, BertForQuestionAnswering, BertForSequenceClassification

source, out = sys.argv[1], sys.argv[2]
settings = {k: v for k, v in json.load(open(os.path.join(source, "config.json"))).items()
            if k not in ("architectures", "id2label", "label2id")}
inputs = ["input_ids", "attention_mask", "token_type_ids"]
for kind, model_class, outputs in [("qa", BertForQuestionAnswering, ["start_logits", "end_logits"]),
                                   ("nli", BertForSequenceClassification, ["logits"])]:
    target = os.path.join(out, "minilm-size-" + kind)
    os.makedirs(os.path.join(target, "onnx"), exist_ok=True)
    config = BertConfig(**settings)
    if kind == "nli":
        config.id2label = {0: "contradiction", 1: "neutral", 2: "entailment"}
        config.label2id = {label: i for i, label in config.id2label.items()}
    torch.manual_seed(0)
    model = model_class(config).eval()
    model.config.architectures = [model_class.__name__]
    model.config.save_pretrained(target)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(source, name), target)
    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"} for name in inputs}
    axes.update({name: {0: "batch", 1: "sequence"} if kind == "qa" else {0: "batch"} for name in outputs})
    torch.onnx.export(model, (ids, ids, torch.zeros_like(ids)), os.path.join(target, "onnx", "model.onnx"),
                      input_names=inputs, output_names=outputs, dynamic_axes=axes, opset_version=14, dynamo=False)
    print(target)
