package dev.jtransformers.pipelines;

import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.spi.ProviderRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The tasks pipelines can be built for, by name or alias: the built-in ones and any a jar registers in {@code
 * META-INF/services/dev.jtransformers.pipelines.spi.Task}. An ordinary immutable object: inject one, or use {@link
 * #fromServiceLoader()}.
 */
public final class TaskRegistry {
  private final ProviderRegistry<Task<?>> tasks;
  private final SortedMap<String, Task<?>> byNameOrAlias;

  private TaskRegistry(ProviderRegistry<Task<?>> tasks) {
    this.tasks = tasks;
    SortedMap<String, Task<?>> names = new TreeMap<>();
    for (Task<?> task : tasks.all()) {
      for (String name : names(task)) {
        Task<?> previous = names.putIfAbsent(name, task);
        if (previous != null) {
          throw new IllegalArgumentException("tasks " + previous.name() + " and " + task.name() + " are both called '"
              + name + "'");
        }
      }
    }
    this.byNameOrAlias = Collections.unmodifiableSortedMap(names);
  }

  private static List<String> names(Task<?> task) {
    return Stream.concat(Stream.of(task.name()), task.aliases().stream()).toList();
  }

  /**
   * A registry of exactly these tasks.
   *
   * @throws IllegalArgumentException if two tasks share a name or alias
   */
  public static TaskRegistry of(Collection<? extends Task<?>> tasks) {
    return new TaskRegistry(ProviderRegistry.of("task", Task::name, List.copyOf(tasks)));
  }

  /**
   * The tasks registered with {@link java.util.ServiceLoader} visible to the thread's context class loader; a
   * provider that fails to load is skipped with a warning and named in the error for an unknown task.
   *
   * @throws IllegalArgumentException if two tasks share a name or alias
   */
  public static TaskRegistry fromServiceLoader() {
    @SuppressWarnings({"unchecked", "rawtypes"}) // ServiceLoader knows only the raw type
    ProviderRegistry<Task<?>> found =
        (ProviderRegistry) ProviderRegistry.discover(Task.class, "task", Task::name);
    return new TaskRegistry(found);
  }

  /** Every task, by name. */
  public List<Task<?>> all() {
    return tasks.all();
  }

  /** Every name and alias, sorted. */
  public Map<String, Task<?>> byNameOrAlias() {
    return byNameOrAlias;
  }

  /**
   * The task of that name or alias (case and surrounding blanks ignored).
   *
   * @throws IllegalArgumentException listing the known names, and any tasks that failed to load, if there is none
   */
  public Task<?> get(String nameOrAlias) {
    Objects.requireNonNull(nameOrAlias, "nameOrAlias");
    Task<?> task = byNameOrAlias.get(nameOrAlias.trim().toLowerCase(Locale.ROOT));
    if (task == null) {
      throw new IllegalArgumentException("unknown task '" + nameOrAlias + "'; known: " + byNameOrAlias.keySet()
          + (tasks.failures().isEmpty() ? "" : "; failed to load: " + tasks.failures()));
    }
    return task;
  }

  @Override
  public String toString() {
    return "TaskRegistry" + byNameOrAlias.keySet();
  }
}
