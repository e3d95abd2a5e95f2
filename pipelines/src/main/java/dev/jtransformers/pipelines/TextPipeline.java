package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.PostProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Tokenizer → model → head → post-processor, with the batching policy: every input is encoded once, inputs are
 * sorted by token count and cut into batches, each batch is padded to its own longest input, and results come
 * back in input order. Short texts so never pay for long ones.
 */
final class TextPipeline<O> implements Pipeline<O> {
  private static final EncodeOptions PAD_TO_LONGEST =
      EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();

  private final Tokenizer tokenizer;
  private final Model model;
  private final Head head;
  private final PostProcessor<O> postProcessor;
  private final EncodeOptions encodeOptions;
  private final int maxLength;
  private final int batchSize;
  private final boolean sortByLength;

  /**
   * @param encodeOptions how inputs are encoded (truncation), without padding
   * @param maxLength the most tokens the model takes; longer encodings are an input error
   * @param sortByLength whether to batch inputs of similar length together
   */
  TextPipeline(
      Tokenizer tokenizer,
      Model model,
      Head head,
      PostProcessor<O> postProcessor,
      EncodeOptions encodeOptions,
      int maxLength,
      int batchSize,
      boolean sortByLength) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.head = head;
    this.postProcessor = postProcessor;
    this.encodeOptions = encodeOptions;
    this.maxLength = maxLength;
    this.batchSize = batchSize;
    this.sortByLength = sortByLength;
  }

  @Override
  public O apply(TextInput input) {
    return applyAll(List.of(Objects.requireNonNull(input, "input"))).get(0);
  }

  @Override
  public List<O> applyAll(List<TextInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    Encoding[] encodings = new Encoding[inputs.size()];
    for (int i = 0; i < encodings.length; i++) {
      TextInput input = inputs.get(i);
      if (input == null) {
        throw new NullPointerException("inputs[" + i + "]");
      }
      encodings[i] = tokenizer.encode(input, encodeOptions);
      if (encodings[i].length() > maxLength) {
        throw new InvalidInputException(
            "input " + i + " has " + encodings[i].length() + " tokens but the model takes at most " + maxLength
                + "; enable truncation or shorten the text");
      }
    }
    Integer[] order =
        IntStream.range(0, encodings.length).boxed().toArray(Integer[]::new);
    if (sortByLength) {
      Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].length()));
    }

    List<O> results = new ArrayList<>(encodings.length);
    for (int i = 0; i < encodings.length; i++) {
      results.add(null);
    }
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(start + batchSize, order.length);
      List<Encoding> chunk = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        chunk.add(encodings[order[k]]);
      }
      BatchEncoding batch = tokenizer.pad(chunk, PAD_TO_LONGEST);
      List<O> batchResults = postProcessor.process(head.apply(model.forward(batch), batch), batch);
      for (int k = start; k < end; k++) {
        results.set(order[k], batchResults.get(k - start));
      }
    }
    return results;
  }

  @Override
  public void close() {
    model.close();
  }
}
