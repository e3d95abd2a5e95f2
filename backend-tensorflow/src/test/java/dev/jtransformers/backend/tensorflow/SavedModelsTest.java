package dev.jtransformers.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.backend.tck.Inputs;
import dev.jtransformers.models.Cache;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** SavedModels built in code: signatures read by name, and the ones this backend can't run refused by name. */
class SavedModelsTest {
  @TempDir Path directory;

  private final TensorFlowBackend backend = new TensorFlowBackend();

  @Test
  void runsTheServingSignatureWithInt32InputsAndNamesOutputsAsItDoes() throws IOException {
    export(Signature.DEFAULT_KEY, "input_ids", Shape.of(-1, -1), (tf, ids) -> tf.math.mul(ids, tf.constant(2f)));

    try (Model model = backend.load(request())) {
      assertEquals(Set.of("doubled"), model.outputNames());
      float[] doubled = model.forward(Inputs.single(new int[] {101, 7, 102}, new int[3])).get("doubled").toFloatArray();
      assertArrayEquals(new float[] {202, 14, 204}, doubled);
    }
  }

  @Test
  void aBatchOfAnotherShapeThanTheSignatureFixesIsAnInputError() throws IOException {
    export(Signature.DEFAULT_KEY, "input_ids", Shape.of(1, 4), (tf, ids) -> ids);

    try (Model model = backend.load(request())) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> model.forward(Inputs.single(new int[5], new int[5])));
      assertTrue(e.getMessage().contains("[1, 4]"), e::getMessage);
    }
  }

  @Test
  void aModelWithoutAServingSignatureIsALoadErrorListingItsSignatures() throws IOException {
    export("classify", "input_ids", Shape.of(-1, -1), (tf, ids) -> ids);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> backend.load(request()));

    assertTrue(e.getMessage().contains("serving_default") && e.getMessage().contains("classify"), e::getMessage);
  }

  @Test
  void anInputThisBackendCannotFeedIsALoadErrorNamingIt() throws IOException {
    export(Signature.DEFAULT_KEY, "pixel_values", Shape.of(-1, -1), (tf, ids) -> ids);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> backend.load(request()));

    assertTrue(e.getMessage().contains("pixel_values"), e::getMessage);
  }

  /** A SavedModel taking one int32 input, cast to float and passed through {@code body}, output as {@code doubled}. */
  private void export(
      String key, String input, Shape shape, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> body)
      throws IOException {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(shape));
      Operand<TFloat32> output = body.apply(tf, tf.dtypes.cast(ids, TFloat32.class));
      Signature signature = Signature.builder().key(key).input(input, ids).output("doubled", output).build();
      SavedModelBundle.exporter(directory.toString()).withFunction(SessionFunction.create(signature, session)).export();
    }
  }

  private LoadRequest request() {
    return LoadRequest.builder(directory, ModelFormat.TENSORFLOW_SAVED_MODEL)
        .cacheDirectory(Cache.atDefaultLocation().root())
        .build();
  }
}
