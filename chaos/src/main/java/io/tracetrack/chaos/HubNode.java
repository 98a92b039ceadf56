package io.tracetrack.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real hub jar on its default embedded PostgreSQL under {@code data}. Killed, it may take its
 * PostgreSQL with it or leave it running (as a kill of the JVM alone does); the next start finds and
 * replaces a PostgreSQL left behind, which is the product's own recovery under test.
 */
final class HubNode implements AutoCloseable {

  private static final Pattern API_URL = Pattern.compile("API: http://127\\.0\\.0\\.1:(\\d+)/api/v1");
  static final String ADMIN_PASSWORD = "Chaos-Adm1n-Passw0rd!";

  private final Path jar;
  private final Path data;
  private final Path log;
  private Process process;
  private volatile int port = -1;

  HubNode(Path jar, Path data) throws IOException {
    this.jar = jar;
    this.data = Files.createDirectories(data);
    this.log = data.resolveSibling("hub.log");
  }

  Path log() {
    return log;
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  synchronized void start() throws Exception {
    // C1 alone, as for the docks: a chaos run lasts a minute or two, shorter than C2 takes to pay
    // back its compiler threads' CPU on two cores; what the processes do is the same
    Processes.Started s = Processes.start(jar, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m"),
        List.of("--data", data.toString(), "--port", "0", "--bind", "127.0.0.1"), "HUB_",
        Map.of("HUB_ADMIN_PASSWORD", ADMIN_PASSWORD), log, API_URL);
    process = s.process();
    try {
      port = s.port().get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the hub did not start; its log ends:\n" + Processes.tail(log, 40), e);
    }
  }

  /** SIGKILL: of the JVM only, or of the JVM and its PostgreSQL with every backend. */
  synchronized void kill(boolean withPostgres) throws Exception {
    port = -1;
    List<ProcessHandle> doomed = new ArrayList<>();
    if (withPostgres) {
      postmaster().ifPresent(p -> {
        p.descendants().forEach(doomed::add);
        doomed.add(p);
      });
    }
    process.destroyForcibly();
    doomed.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle p : doomed) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private Optional<ProcessHandle> postmaster() throws IOException {
    Path pid = data.resolve("pg").resolve("postmaster.pid");
    if (!Files.isRegularFile(pid)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pid);
    return lines.isEmpty() ? Optional.empty()
        : ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive);
  }

  /** Stops the hub as an operator does (SIGTERM), and makes sure no PostgreSQL is left behind. */
  @Override
  public synchronized void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    Optional<ProcessHandle> pg = postmaster();
    if (pg.isPresent()) {
      pg.get().destroy();
      pg.get().onExit().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    }
  }
}
