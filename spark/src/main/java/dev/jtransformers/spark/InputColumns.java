package dev.jtransformers.spark;

import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.TextInput;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a row's input is: the text column, and the column of the second text when the task takes pairs (a
 * classifier's {@code text_pair}, question-answering's context).
 */
final class InputColumns implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How much of a text an error message quotes. */
  private static final int QUOTED = 60;

  private final String text;
  private final int textIndex;
  private final String pair;
  private final int pairIndex;

  private InputColumns(String text, int textIndex, String pair, int pairIndex) {
    this.text = text;
    this.textIndex = textIndex;
    this.pair = pair;
    this.pairIndex = pairIndex;
  }

  /**
   * The columns of these names in a schema.
   *
   * @param pair the second text's column, or null for single texts
   * @throws IllegalArgumentException naming the column, if one is missing or does not hold strings
   */
  static InputColumns in(StructType schema, String text, String pair) {
    return new InputColumns(text, stringColumn(schema, text), pair, pair == null ? -1 : stringColumn(schema, pair));
  }

  private static int stringColumn(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("input column '" + name + "' is not in the data; columns: "
          + Arrays.toString(schema.fieldNames()));
    }
    StructField field = schema.apply(name);
    if (!field.dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("input column '" + name + "' must hold strings, but its type is "
          + field.dataType().simpleString() + ": cast it, or choose another column");
    }
    return schema.fieldIndex(name);
  }

  /**
   * The row's input.
   *
   * @throws InvalidInputException naming the column, if it holds null
   */
  TextInput read(Row row) {
    String first = value(row, textIndex, text);
    return pair == null ? TextInput.of(first) : TextInput.pair(first, value(row, pairIndex, pair));
  }

  private static String value(Row row, int index, String column) {
    if (row.isNullAt(index)) {
      throw new InvalidInputException("column '" + column + "' is null");
    }
    return row.getString(index);
  }

  /** The row's input columns, quoted and shortened, for an error message. */
  String describe(Row row) {
    return quote(row, text, textIndex) + (pair == null ? "" : ", " + quote(row, pair, pairIndex));
  }

  private static String quote(Row row, String column, int index) {
    if (row.isNullAt(index)) {
      return column + " null";
    }
    String value = row.getString(index);
    return column + " \"" + (value.length() > QUOTED ? value.substring(0, QUOTED) + "…" : value) + "\"";
  }
}
