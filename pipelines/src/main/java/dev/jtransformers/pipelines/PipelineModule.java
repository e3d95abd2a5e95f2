package dev.jtransformers.pipelines;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Names;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.models.ModelResolver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Guice wiring: binds a singleton {@link PipelineFactory} over the backends and heads found on the classpath, the
 * {@link TaskRegistry} and a {@link PipelineConfigCodec} over it, and,
 * for each pipeline added with {@link #withPipeline}, a singleton {@code @Named(name) Pipeline}.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new PipelineModule().withPipeline("sentiment", PipelineConfig.load(Path.of("sentiment.yaml"))));
 * Pipeline<?> sentiment = injector.getInstance(Key.get(Pipeline.class, Names.named("sentiment")));
 * }</pre>
 *
 * <p>To replace a registry (say, a fixed list of backends), override the module with {@code Modules.override}.
 */
public final class PipelineModule extends AbstractModule {
  private final Map<String, PipelineConfig<?>> pipelines;

  /** Binds the factory and registries, and no pipelines. */
  public PipelineModule() {
    this(Map.of());
  }

  private PipelineModule(Map<String, PipelineConfig<?>> pipelines) {
    this.pipelines = pipelines;
  }

  /** A module that also binds {@code @Named(name) Pipeline} to the pipeline the configuration describes. */
  public PipelineModule withPipeline(String name, PipelineConfig<?> config) {
    Map<String, PipelineConfig<?>> more = new LinkedHashMap<>(pipelines);
    if (more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config")) != null) {
      throw new IllegalArgumentException("a pipeline named '" + name + "' is already bound");
    }
    return new PipelineModule(Map.copyOf(more));
  }

  @Override
  protected void configure() {
    bind(PipelineFactory.class).in(Singleton.class);
    Provider<PipelineFactory> factory = getProvider(PipelineFactory.class);
    pipelines.forEach(
        (name, config) ->
            bind(Pipeline.class)
                .annotatedWith(Names.named(name))
                .toProvider(() -> factory.get().create(config))
                .in(Singleton.class));
  }

  @Provides
  @Singleton
  Backends backends() {
    return Backends.fromServiceLoader();
  }

  @Provides
  @Singleton
  TaskRegistry taskRegistry() {
    return TaskRegistry.fromServiceLoader();
  }

  @Provides
  @Singleton
  PipelineConfigCodec pipelineConfigCodec(TaskRegistry tasks) {
    return new PipelineConfigCodec(tasks);
  }

  @Provides
  @Singleton
  HeadRegistry headRegistry() {
    return HeadRegistry.fromServiceLoader();
  }

  @Provides
  @Singleton
  ModelResolver modelResolver() {
    return new ModelResolver();
  }
}
