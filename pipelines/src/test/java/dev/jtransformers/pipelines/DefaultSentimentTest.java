package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pipeline("sentiment-analysis")} with no model: the embedded encoder and sentiment head, no ../shared. */
class DefaultSentimentTest {

  @Test
  void theCourseSentencesArePositiveThenNegative() {
    try (Pipeline<?> sentiment = Pipelines.pipeline("sentiment-analysis")) {
      List<?> results =
          sentiment.applyAll(
              List.of(
                  TextInput.of("I've been waiting for a HuggingFace course my whole life."),
                  TextInput.of("I hate this so much!")));
      Label first = (Label) ((List<?>) results.get(0)).get(0);
      Label second = (Label) ((List<?>) results.get(1)).get(0);
      assertEquals("POSITIVE", first.label());
      assertEquals("NEGATIVE", second.label());
      assertTrue(first.score() > 0.5 && second.score() > 0.5);
    }
  }
}
