package dev.jtransformers.spark;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark SQL type of a task's results and the conversion of each result to a value of it, derived from the result
 * type the task declares ({@code O} of {@code Task<O>}), so every task, a registered one too, gets a typed column
 * without code of its own: a record becomes a struct whose fields are its components in snake_case (as the task's
 * JSON names them: {@code token_str}), a {@code List} an array, {@code Optional}/{@code OptionalInt} a nullable
 * value, {@code String}, {@code double}, {@code float}, {@code int}, {@code long} and {@code boolean} themselves.
 *
 * <p>A {@link Tensor} is {@code array<float>} (a sentence vector), or {@code array<array<float>>} (token states) when
 * the configuration turns feature-extraction's pooling off: its rank is the one thing the declared type does not
 * say, and a column's type must be known before any model is loaded. A model without sentence-transformers pooling
 * gives token states unless the configuration sets a pooling; that fails the task, saying what to set.
 */
final class ResultType {
  private final DataType dataType;
  /** Whether a value may be null: it comes from an {@code Optional} or {@code OptionalInt}. */
  private final boolean nullable;
  private final Function<Object, Object> toSpark;

  private ResultType(DataType dataType, boolean nullable, Function<Object, Object> toSpark) {
    this.dataType = dataType;
    this.nullable = nullable;
    this.toSpark = toSpark;
  }

  private ResultType(DataType dataType, Function<Object, Object> toSpark) {
    this(dataType, false, toSpark);
  }

  /**
   * The type of the results of a pipeline of this configuration.
   *
   * @throws IllegalArgumentException naming the Java type, if a part of the task's result type has no Spark form
   */
  static ResultType of(PipelineConfig<?> config) {
    return forType(declaredResultType(config.task()), tensorRank(config));
  }

  /** The Spark type of the column. */
  DataType dataType() {
    return dataType;
  }

  /**
   * One result as a value of {@link #dataType()}: a {@link org.apache.spark.sql.Row} for a struct, a Scala {@code
   * Seq} for an array.
   */
  Object toSpark(Object result) {
    return toSpark.apply(result);
  }

  private static int tensorRank(PipelineConfig<?> config) {
    boolean tokenStates = config.task().options().contains(FeatureExtraction.POOLING)
        && config.option(FeatureExtraction.POOLING).map(Optional::isEmpty).orElse(false);
    return tokenStates ? 2 : 1;
  }

  /** {@code O} of the {@code Task<O>} the task's class implements, directly or through a superclass. */
  private static Type declaredResultType(Task<?> task) {
    for (Class<?> c = task.getClass(); c != null; c = c.getSuperclass()) {
      for (Type implemented : c.getGenericInterfaces()) {
        if (implemented instanceof ParameterizedType p && p.getRawType() == Task.class) {
          return p.getActualTypeArguments()[0];
        }
      }
    }
    throw new IllegalArgumentException("task " + task.name() + " (" + task.getClass().getName()
        + ") does not declare its result type: it must implement Task<O> with a concrete O");
  }

  private static ResultType forType(Type type, int tensorRank) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type argument = p.getActualTypeArguments()[0];
      if (List.class.isAssignableFrom(raw)) {
        return arrayOf(forType(argument, tensorRank));
      }
      if (raw == Optional.class) {
        ResultType value = forType(argument, tensorRank);
        return new ResultType(value.dataType, true, r -> ((Optional<?>) r).map(value.toSpark).orElse(null));
      }
    } else if (type instanceof Class<?> c) {
      if (c.isRecord()) {
        return structOf(c, tensorRank);
      }
      if (c == Tensor.class) {
        return tensorRank == 1
            ? new ResultType(DataTypes.createArrayType(DataTypes.FloatType, false), r -> vector((Tensor) r))
            : new ResultType(DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false),
                r -> tokenStates((Tensor) r));
      }
      if (c == OptionalInt.class) {
        return new ResultType(DataTypes.IntegerType, true, r -> {
          OptionalInt value = (OptionalInt) r;
          return value.isPresent() ? value.getAsInt() : null;
        });
      }
      Optional<DataType> atomic = atomic(c);
      if (atomic.isPresent()) {
        return new ResultType(atomic.get(), Function.identity());
      }
    }
    throw new IllegalArgumentException("result type " + type.getTypeName() + " has no Spark SQL form; supported:"
        + " records, List, Optional, OptionalInt, Tensor, String, double, float, int, long, boolean");
  }

  private static Optional<DataType> atomic(Class<?> c) {
    if (c == String.class) {
      return Optional.of(DataTypes.StringType);
    } else if (c == double.class || c == Double.class) {
      return Optional.of(DataTypes.DoubleType);
    } else if (c == float.class || c == Float.class) {
      return Optional.of(DataTypes.FloatType);
    } else if (c == int.class || c == Integer.class) {
      return Optional.of(DataTypes.IntegerType);
    } else if (c == long.class || c == Long.class) {
      return Optional.of(DataTypes.LongType);
    } else if (c == boolean.class || c == Boolean.class) {
      return Optional.of(DataTypes.BooleanType);
    }
    return Optional.empty();
  }

  private static ResultType arrayOf(ResultType element) {
    return new ResultType(DataTypes.createArrayType(element.dataType, element.nullable), r -> {
      List<?> values = (List<?>) r;
      List<Object> converted = new ArrayList<>(values.size());
      values.forEach(v -> converted.add(element.toSpark(v)));
      return seq(converted);
    });
  }

  private static ResultType structOf(Class<?> record, int tensorRank) {
    RecordComponent[] components = record.getRecordComponents();
    StructField[] fields = new StructField[components.length];
    List<ResultType> types = new ArrayList<>(components.length);
    for (int i = 0; i < components.length; i++) {
      ResultType type = forType(components[i].getGenericType(), tensorRank);
      types.add(type);
      fields[i] = DataTypes.createStructField(snakeCase(components[i].getName()), type.dataType, type.nullable);
    }
    return new ResultType(DataTypes.createStructType(fields), r -> {
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = types.get(i).toSpark(accessor(components[i], r));
      }
      return RowFactory.create(values);
    });
  }

  private static Object accessor(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component + " of a " + record.getClass().getName(), e);
    }
  }

  private static Object floats(float[] values) {
    List<Float> boxed = new ArrayList<>(values.length);
    for (float v : values) {
      boxed.add(v);
    }
    return seq(boxed);
  }

  private static Object vector(Tensor vector) {
    if (vector.rank() != 1) {
      throw new IllegalArgumentException("feature-extraction returned token states " + vector + " where the column"
          + " holds sentence vectors (array<float>): the model has no sentence-transformers pooling, and the"
          + " configuration sets none; set \"pooling\" to mean, cls or max, or to none for array<array<float>>");
    }
    return floats(vector.toFloatArray());
  }

  private static Object tokenStates(Tensor states) {
    List<Object> rows = new ArrayList<>(states.dim(0));
    for (float[] row : states.toFloatArray2D()) {
      rows.add(floats(row));
    }
    return seq(rows);
  }

  private static Object seq(List<?> values) {
    return CollectionConverters.asScala(values).toSeq();
  }

  /** {@code tokenStr} → {@code token_str}. */
  private static String snakeCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
