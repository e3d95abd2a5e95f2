package com.example;

import com.fasterxml.jackson.databind.node.IntNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineModule;
import dev.jtransformers.pipelines.Pipelines;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The README's Java examples, compiled and run against the installed artifacts. */
public final class Sentiment {
  private Sentiment() {}

  public static void main(String[] args) throws Exception {
    // README: sentiment
    try (Pipeline<List<Label>> sentiment = Pipelines.create(PipelineConfig.builder(TextClassification.TASK).build())) {
      List<List<Label>> labels =
          sentiment.applyAll(List.of(TextInput.of("I've been waiting for a HuggingFace course my whole life."),
                                     TextInput.of("I hate this so much!")));
      System.out.println(labels); // [[Label[label=POSITIVE, score=0.9209…]], [Label[label=NEGATIVE, score=0.9750…]]]
    }
    // end of README block

    // README: options
    PipelineConfig<List<Label>> config = PipelineConfig.builder(TextClassification.TASK)
        .model("sentence-transformers/all-MiniLM-L6-v2")  // an embedded id, a directory, or a hub id
        .head(new PipelineConfig.HeadSpec("trained",
            Map.of("path", TextClassification.DEFAULT_HEAD)))   // the embedded SST-2 head, or a head directory
        .backend("onnx")              // default: the highest-priority backend on the classpath that can load it
        .device(Device.CPU)           // or Device.cuda(0) with ONNX Runtime's GPU build
        .batchSize(32).maxLength(128)
        .option(TextClassification.TOP_K, TopK.ALL)                              // top_k=None
        .option(TextClassification.FUNCTION_TO_APPLY, FunctionToApply.SOFTMAX)
        .build();
    try (Pipeline<List<Label>> sentiment = Pipelines.create(config)) {
      System.out.println(sentiment.apply("I love this")); // [Label[label=POSITIVE, …], Label[label=NEGATIVE, …]]
    }
    // end of README block

    // README: features
    try (Pipeline<Tensor> embed = Pipelines.create(PipelineConfig.builder(FeatureExtraction.TASK).build())) {
      float[] vector = embed.apply("I love this").toFloatArray(); // 384 floats, unit length
      System.out.println(vector.length);
    }
    // end of README block

    // README: per-call
    try (TaskPipeline<List<Label>> sentiment =
        Pipelines.create(PipelineConfig.builder(TextClassification.TASK).build())) {
      TaskOptions topTwo = TaskOptions.parameters(TextClassification.TASK).set("top_k", IntNode.valueOf(2)).build();
      System.out.println(sentiment.process(List.of(new TaskRequest(TextInput.of("I love this"), topTwo))));
    }
    // end of README block

    // README: file
    Path file = Files.writeString(Files.createTempFile("sentiment", ".yaml"), """
        task: sentiment-analysis
        top_k: all
        batch_size: 32
        """);
    try (Pipeline<?> fromFile = Pipelines.create(PipelineConfig.load(file))) {
      System.out.println(fromFile.apply("I love this"));
    }
    // end of README block

    // README: guice
    Injector injector = Guice.createInjector(new PipelineModule().withPipeline("sentiment", config));
    Pipeline<?> sentiment = injector.getInstance(Key.get(Pipeline.class, Names.named("sentiment")));
    System.out.println(sentiment.apply("I hate this so much!"));
    sentiment.close();
    // end of README block
  }
}
