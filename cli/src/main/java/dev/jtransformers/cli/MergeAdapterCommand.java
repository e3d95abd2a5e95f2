package dev.jtransformers.cli;

import dev.jtransformers.finetuning.AdapterMerge;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code merge-adapter}: a base model with a LoRA adapter merged in, written as a plain checkpoint. */
@Command(
    name = "merge-adapter",
    mixinStandardHelpOptions = true,
    description =
        "Merges a LoRA adapter (PEFT format, as fine-tune --lora-rank writes it) into its base model and writes a"
            + " plain Hugging Face checkpoint to --out (config.json, model.safetensors, tokenizer files), as peft's"
            + " merge_and_unload() then save_pretrained() would.")
final class MergeAdapterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The base model: an id or a directory.")
  String model;

  @Option(names = "--adapter", required = true, description = "The adapter: an id or a directory.")
  String adapter;

  @Option(names = "--out", required = true, description = "Directory to write the merged model to.")
  Path out;

  @Override
  public Integer call() {
    ModelResolver resolver = new ModelResolver();
    Path base = resolver.resolve(model, List.of(ModelFormat.SAFETENSORS, ModelFormat.ONNX)).directory();
    AdapterMerge.merge(base, resolver.resolve(adapter), out);
    spec.commandLine().getOut().printf("Merged %s into %s: %s%n", adapter, model, out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
