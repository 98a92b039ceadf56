package io.tracetrack.hub;

import io.tracetrack.hub.db.EmbeddedPostgresServer;
import io.tracetrack.hub.events.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded PostgreSQL and one Kafka broker for every system test that takes them as
 * parameters: each costs seconds of the suite to start, and the tests that run hubs beside each
 * other (TwoHubsIT, DeployComposeIT) need nothing of them but a database and a topic of their own.
 * Both are started on first use and stopped when the run ends (JUnit closes what its root store
 * holds).
 */
public final class SharedBackends implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedPostgresServer.class || type == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedBackends.class));
    AutoCloseable started = store.getOrComputeIfAbsent(type, t -> start(type), AutoCloseable.class);
    return started instanceof Postgres p ? p.server() : started;
  }

  /**
   * The shared PostgreSQL in a folder of its own: the server keeps its lock and log files beside
   * its data folder, so they go with the folder when the run ends, not into the temporary directory.
   */
  private record Postgres(EmbeddedPostgresServer server, Path folder) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      server.close();
      try (var files = Files.walk(folder)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static AutoCloseable start(Class<?> type) {
    try {
      if (type == KafkaBroker.class) {
        return KafkaBroker.start();
      }
      Path folder = Files.createTempDirectory("tracetrack-system-pg");
      return new Postgres(EmbeddedPostgresServer.start(folder.resolve("pg"), true), folder);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the shared " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
