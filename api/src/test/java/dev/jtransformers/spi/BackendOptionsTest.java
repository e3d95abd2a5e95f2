package dev.jtransformers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendOptionsTest {
  enum Level {
    NONE,
    BASIC,
    ALL
  }

  static final BackendOption<Level> LEVEL = BackendOption.choice("level", "how hard to optimise", Level.ALL);

  static final BackendOption<Integer> ARENA =
      BackendOption.parsed("arena_mb", "memory arena size", "64", "a positive number of megabytes", text -> {
        int megabytes = Integer.parseInt(text);
        if (megabytes <= 0) {
          throw new IllegalArgumentException("must be positive");
        }
        return megabytes;
      });

  /** A backend that only declares options; it loads nothing. */
  private static Backend backend(String name, List<BackendOption<?>> options) {
    return new Backend() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String artifact() {
        return "example:" + name;
      }

      @Override
      public int priority() {
        return 0;
      }

      @Override
      public Set<Device.Type> supportedDevices() {
        return Set.of(Device.Type.CPU);
      }

      @Override
      public List<ModelFormat> modelFormats() {
        return List.of(ModelFormat.ONNX);
      }

      @Override
      public List<BackendOption<?>> options() {
        return options;
      }

      @Override
      public Model load(LoadRequest request) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static final Backend ENGINE = backend("engine", List.of(LEVEL, ARENA));

  @Test
  void choicesAreTheEnumsConstantsInLowerCase() {
    assertEquals(List.of("none", "basic", "all"), LEVEL.allowedValues());
    assertEquals("all", LEVEL.defaultText());
    assertEquals(Level.ALL, LEVEL.defaultValue());
    assertEquals(Level.BASIC, LEVEL.parse("Basic"));
    assertEquals("one of none, basic, all", LEVEL.expected());
  }

  @Test
  void parsesTheOwnBackendsSettingsAndDefaultsTheRest() {
    BackendOptions options = BackendOptions.parse(ENGINE, Map.of("engine.level", "none"));

    assertEquals(Level.NONE, options.get(LEVEL));
    assertEquals(64, options.get(ARENA));
    assertEquals(Map.of("engine.level", "none"), options.settings());
    assertEquals(Level.ALL, BackendOptions.DEFAULTS.get(LEVEL));
  }

  @Test
  void ignoresSettingsNamespacedForAnotherBackend() {
    BackendOptions options =
        BackendOptions.parse(ENGINE, Map.of("other.level", "turbo", "other.unknown", "x", "engine.arena_mb", "128"));

    assertEquals(128, options.get(ARENA));
    assertEquals(Map.of("engine.arena_mb", "128"), options.settings());
  }

  @Test
  void anUnknownOptionNamesTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BackendOptions.parse(ENGINE, Map.of("engine.levle", "all")));
    assertEquals(
        "unknown backend option 'engine.levle': backend 'engine' has the options [level, arena_mb]", e.getMessage());

    e = assertThrows(
        IllegalArgumentException.class,
        () -> BackendOptions.parse(backend("bare", List.of()), Map.of("bare.level", "all")));
    assertEquals("unknown backend option 'bare.level': backend 'bare' has no options", e.getMessage());
  }

  @Test
  void aBadValueNamesTheAllowedValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.parse(ENGINE, Map.of("engine.level", "max")));
    assertEquals("backend option engine.level: 'max' is not one of none, basic, all", e.getMessage());

    e = assertThrows(
        IllegalArgumentException.class, () -> BackendOptions.parse(ENGINE, Map.of("engine.arena_mb", "-1")));
    assertEquals(
        "backend option engine.arena_mb: '-1' is not a positive number of megabytes (must be positive)",
        e.getMessage());
  }

  @Test
  void anUnprefixedKeyIsRejectedWithTheFix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.parse(ENGINE, Map.of("level", "all")));
    assertTrue(e.getMessage().contains("'level' names no backend"), e.getMessage());
    assertTrue(e.getMessage().contains("'engine.level'"), e.getMessage());
  }

  @Test
  void anOptionWhoseDefaultItRejectsIsABug() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BackendOption.parsed("threads", "threads", "many", "a number", Integer::parseInt));
  }

  @Test
  void aBackendDeclaringAnOptionTwiceIsABug() {
    Backend twice = backend("twice", List.of(LEVEL, LEVEL));
    assertThrows(IllegalStateException.class, () -> BackendOptions.parse(twice, Map.of()));
  }
}
