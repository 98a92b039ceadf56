package io.tracetrack.hub;

import io.tracetrack.web.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real hub jar, run as its own operating-system process as {@code ./tracetrack hub} runs it. Its
 * embedded PostgreSQL is a separate process that is not the JVM's child (pg_ctl detaches it): a
 * SIGKILL of the JVM leaves it running, as it would in production.
 */
public final class HubProcess implements AutoCloseable {

  private static final Pattern API_URL = Pattern.compile("API: http://127\\.0\\.0\\.1:(\\d+)/api/v1");

  public final Process process;
  private final Path data;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private HubProcess(Process process, Path data) {
    this.process = process;
    this.data = data;
    Thread.ofVirtual().start(this::pump);
  }

  public static Path jar() {
    String jar = System.getProperty("hub.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("hub.jar system property must name the built jar (run through Maven verify): " + jar);
    }
    return Path.of(jar);
  }

  /** Starts the hub on a free port over {@code data} and waits until it prints its API address. */
  public static HubProcess start(Path data, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--port", "0", "--bind", "127.0.0.1"));
    args.addAll(List.of(extra));
    HubProcess hub = new HubProcess(ChildJvm.start(jar(), "serve", args, builder -> {
      builder.redirectErrorStream(true);
      builder.environment().keySet().removeIf(k -> k.startsWith("HUB_"));
      builder.environment().putAll(env);
    }), data);
    hub.port();
    return hub;
  }

  private void pump() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        Matcher m = API_URL.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException ignored) {
      // the process died; what was read is kept
    } finally {
      port.completeExceptionally(new IllegalStateException("hub exited before serving:\n" + output));
    }
  }

  public int port() throws Exception {
    return port.get(180, TimeUnit.SECONDS);
  }

  public String output() {
    return output.toString();
  }

  /** SIGKILL of the hub's JVM only: no shutdown hook runs; its PostgreSQL, if any, lives on. */
  public void killJvm() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGKILL of the JVM and of the embedded PostgreSQL with all its backends, like a kill of the whole box's processes. */
  public void killAll() throws Exception {
    Optional<ProcessHandle> postmaster = postmaster(data);
    List<ProcessHandle> doomed = new ArrayList<>();
    postmaster.ifPresent(p -> {
      p.descendants().forEach(doomed::add);
      doomed.add(p);
    });
    process.destroyForcibly();
    doomed.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle p : doomed) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** The embedded PostgreSQL's postmaster serving {@code data}, if one is running. */
  public static Optional<ProcessHandle> postmaster(Path data) throws IOException {
    Path pid = data.resolve("pg").resolve("postmaster.pid");
    if (!Files.isRegularFile(pid)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pid);
    return lines.isEmpty() ? Optional.empty()
        : ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive);
  }

  /** Stops the hub as an operator does (SIGTERM: shutdown hook, PostgreSQL stopped after the pool). */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
