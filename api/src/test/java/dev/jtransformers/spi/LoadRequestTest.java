package dev.jtransformers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadRequestTest {
  private static final Path DIRECTORY = Path.of("models", "tiny");

  @Test
  void defaultsToTheCpuEngineThreadsDefaultOptionsAndNoCache() {
    LoadRequest request = LoadRequest.builder(DIRECTORY, ModelFormat.ONNX).build();

    assertEquals(DIRECTORY, request.modelDirectory());
    assertEquals(ModelFormat.ONNX, request.format());
    assertEquals(Device.CPU, request.device());
    assertEquals(0, request.intraOpThreads());
    assertEquals(0, request.interOpThreads());
    assertEquals(Map.of(), request.config());
    assertEquals(Map.of(), request.options().settings());
    assertEquals(Optional.empty(), request.cacheDirectory());
  }

  @Test
  void toBuilderCopiesEveryValue() {
    LoadRequest request =
        LoadRequest.builder(DIRECTORY, ModelFormat.SAFETENSORS)
            .config(Map.of("model_type", "bert"))
            .device(Device.cuda(1))
            .intraOpThreads(2)
            .interOpThreads(3)
            .cacheDirectory(Path.of("cache"))
            .build();

    LoadRequest copy = request.toBuilder().interOpThreads(4).build();

    assertEquals(request.modelDirectory(), copy.modelDirectory());
    assertEquals(request.format(), copy.format());
    assertEquals(request.config(), copy.config());
    assertEquals(request.device(), copy.device());
    assertEquals(2, copy.intraOpThreads());
    assertEquals(4, copy.interOpThreads());
    assertEquals(request.options(), copy.options());
    assertEquals(Optional.of(Path.of("cache")), copy.cacheDirectory());
    assertEquals(3, request.interOpThreads());
  }

  @Test
  void theConfigurationIsADeepImmutableCopyThatKeepsNullsAndOrder() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("0", "NEGATIVE");
    List<Object> architectures = new ArrayList<>(List.of("BertModel"));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "bert");
    config.put("classifier_dropout", null);
    config.put("architectures", architectures);
    config.put("id2label", nested);
    config.put("layer_norm_eps", 1e-12);

    LoadRequest request = LoadRequest.builder(DIRECTORY, ModelFormat.ONNX).config(config).build();
    architectures.add("changed");
    nested.put("1", "changed");

    assertEquals(List.of("model_type", "classifier_dropout", "architectures", "id2label", "layer_norm_eps"),
        List.copyOf(request.config().keySet()));
    assertNull(request.config().get("classifier_dropout"));
    assertEquals(List.of("BertModel"), request.config().get("architectures"));
    assertEquals(Map.of("0", "NEGATIVE"), request.config().get("id2label"));
    assertThrows(UnsupportedOperationException.class, () -> request.config().put("x", 1));
    @SuppressWarnings("unchecked")
    List<Object> copied = (List<Object>) request.config().get("architectures");
    assertThrows(UnsupportedOperationException.class, () -> copied.add("x"));
  }

  @Test
  void rejectsValuesThatAreNotPlainJsonNamingWhere() {
    Map<String, Object> config = Map.of("labels", List.of("a", new AtomicLong(1)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LoadRequest.builder(DIRECTORY, ModelFormat.ONNX).config(config));
    assertTrue(
        e.getMessage().startsWith("config.labels[1] is a java.util.concurrent.atomic.AtomicLong"), e.getMessage());

    Map<Object, Object> numericKey = Map.of(1, "x");
    assertThrows(
        IllegalArgumentException.class,
        () -> LoadRequest.builder(DIRECTORY, ModelFormat.ONNX).config(Map.of("id2label", numericKey)));
    assertThrows(
        IllegalArgumentException.class,
        () -> LoadRequest.builder(DIRECTORY, ModelFormat.ONNX).config(Map.of("shape", Arrays.asList(new int[] {1}))));
  }

  @Test
  void rejectsNegativeThreadCounts() {
    LoadRequest.Builder builder = LoadRequest.builder(DIRECTORY, ModelFormat.ONNX);
    assertThrows(IllegalArgumentException.class, () -> builder.intraOpThreads(-1));
    assertThrows(IllegalArgumentException.class, () -> builder.interOpThreads(-1));
  }
}
