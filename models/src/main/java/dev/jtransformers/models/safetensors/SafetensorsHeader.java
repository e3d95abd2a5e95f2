package dev.jtransformers.models.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is as strict as the reference
 * implementation's: a file Python's {@code safetensors} refuses is refused here too.
 */
final class SafetensorsHeader {
  static final String METADATA_KEY = "__metadata__";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Where one tensor lies in the data buffer, which follows the header. */
  record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {
    long byteLength() {
      return end - begin;
    }

    long elementCount() {
      return byteLength() / dtype.byteSize();
    }
  }

  private final SortedMap<String, Entry> entries;
  private final SortedMap<String, String> metadata;

  private SafetensorsHeader(SortedMap<String, Entry> entries, SortedMap<String, String> metadata) {
    this.entries = Collections.unmodifiableSortedMap(entries);
    this.metadata = Collections.unmodifiableSortedMap(metadata);
  }

  /** The entries by tensor name, in name order. */
  SortedMap<String, Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} map, empty if the file has none. */
  SortedMap<String, String> metadata() {
    return metadata;
  }

  /**
   * Parses a header and checks it against the data buffer that follows it.
   *
   * @param json the header's bytes (UTF-8 JSON, possibly padded with spaces)
   * @param bufferLength bytes in the file after the header
   * @param file the file, for messages
   * @throws ModelLoadException naming the file and the offending tensor
   */
  static SafetensorsHeader parse(byte[] json, long bufferLength, Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelLoadException(file + ": safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot parse safetensors header", e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(file + ": safetensors header must be a JSON object");
    }
    SortedMap<String, Entry> entries = new TreeMap<>();
    SortedMap<String, String> metadata = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA_KEY)) {
        metadata.putAll(parseMetadata(field.getValue(), file));
      } else {
        entries.put(field.getKey(), parseEntry(field.getKey(), field.getValue(), file));
      }
    }
    checkLayout(entries.values(), bufferLength, file);
    return new SafetensorsHeader(entries, metadata);
  }

  private static Map<String, String> parseMetadata(JsonNode node, Path file) {
    if (!node.isObject()) {
      throw new ModelLoadException(file + ": " + METADATA_KEY + " must be a JSON object of strings");
    }
    Map<String, String> metadata = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        throw new ModelLoadException(
            file + ": " + METADATA_KEY + " value of '" + field.getKey() + "' must be a string, got "
                + field.getValue());
      }
      metadata.put(field.getKey(), field.getValue().textValue());
    }
    return metadata;
  }

  private static Entry parseEntry(String name, JsonNode node, Path file) {
    String where = file + ": tensor '" + name + "': ";
    if (!node.isObject()) {
      throw new ModelLoadException(where + "header entry must be a JSON object, got " + node);
    }
    JsonNode dtypeNode = node.path("dtype");
    if (!dtypeNode.isTextual()) {
      throw new ModelLoadException(where + "missing string field 'dtype'");
    }
    String dtypeName = dtypeNode.textValue();
    Dtype dtype =
        Dtype.fromHeaderName(dtypeName)
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        where + "unknown dtype '" + dtypeName + "'; known: " + Arrays.toString(Dtype.values())));
    long[] shape = nonNegativeIntegers(node.path("shape"), "shape", where);
    long[] offsets = nonNegativeIntegers(node.path("data_offsets"), "data_offsets", where);
    if (offsets.length != 2 || offsets[0] > offsets[1]) {
      throw new ModelLoadException(
          where + "data_offsets must be [begin, end] with begin <= end, got " + Arrays.toString(offsets));
    }
    int[] intShape = new int[shape.length];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        throw new ModelLoadException(
            where + "dimension " + shape[i] + " of shape " + Arrays.toString(shape) + " is too large");
      }
      intShape[i] = (int) shape[i];
      elements = multiply(elements, shape[i], where, shape);
    }
    long expectedBytes = multiply(elements, dtype.byteSize(), where, shape);
    if (offsets[1] - offsets[0] != expectedBytes) {
      throw new ModelLoadException(
          where
              + "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + expectedBytes
              + " bytes, but data_offsets "
              + Arrays.toString(offsets)
              + " span "
              + (offsets[1] - offsets[0]));
    }
    return new Entry(name, dtype, intShape, offsets[0], offsets[1]);
  }

  private static long multiply(long a, long b, String where, long[] shape) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new ModelLoadException(where + "shape " + Arrays.toString(shape) + " is too large", e);
    }
  }

  private static long[] nonNegativeIntegers(JsonNode node, String field, String where) {
    if (!node.isArray()) {
      throw new ModelLoadException(where + "missing array field '" + field + "'");
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw new ModelLoadException(where + "'" + field + "' must hold non-negative integers, got " + node);
      }
      values[i] = value.longValue();
    }
    return values;
  }

  /** Tensors must tile the data buffer exactly: in offset order, each begins where the previous one ends. */
  private static void checkLayout(Iterable<Entry> entries, long bufferLength, Path file) {
    List<Entry> byOffset = new ArrayList<>();
    entries.forEach(byOffset::add);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long position = 0;
    String previous = null;
    for (Entry entry : byOffset) {
      String where = file + ": tensor '" + entry.name() + "': ";
      if (entry.end() > bufferLength) {
        throw new ModelLoadException(
            where
                + "data_offsets ["
                + entry.begin()
                + ", "
                + entry.end()
                + "] reach beyond the data buffer, which has "
                + bufferLength
                + " bytes (truncated file?)");
      }
      if (entry.begin() < position) {
        throw new ModelLoadException(where + "data overlaps tensor '" + previous + "'");
      }
      if (entry.begin() > position) {
        throw new ModelLoadException(
            where + "data begins at " + entry.begin() + " but the previous tensor ends at " + position
                + " (gap in the buffer)");
      }
      position = entry.end();
      previous = entry.name();
    }
    if (position != bufferLength) {
      throw new ModelLoadException(
          file + ": tensors cover " + position + " bytes of a " + bufferLength + "-byte data buffer (trailing bytes)");
    }
  }
}
