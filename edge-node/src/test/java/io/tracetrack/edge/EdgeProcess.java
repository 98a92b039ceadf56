package io.tracetrack.edge;

import io.tracetrack.web.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real edge jar, run as its own operating-system process, as a dock runs it. */
public final class EdgeProcess implements AutoCloseable {

  private static final Pattern STATION_URL = Pattern.compile("Station page: http://127\\.0\\.0\\.1:(\\d+)/");

  public final Process process;
  private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer stderr = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private EdgeProcess(Process process) {
    this.process = process;
    stdoutPump = Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
    stderrPump = Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
  }

  public static Path jar() {
    String jar = System.getProperty("edge.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("edge.jar system property must name the built jar (run through Maven verify): " + jar);
    }
    return Path.of(jar);
  }

  /** Starts {@code java -jar edge-node.jar args...} with the JVM running the tests. */
  public static EdgeProcess start(Map<String, String> env, String... args) throws IOException {
    // not "serve": a server refused at start must not make the archive the servers use
    return start(ChildJvm.commandKind(List.of(args)), env, args);
  }

  private static EdgeProcess start(String kind, Map<String, String> env, String... args) throws IOException {
    return new EdgeProcess(ChildJvm.start(jar(), kind, List.of(args), builder -> {
      builder.environment().keySet().removeIf(k -> k.startsWith("EDGE_"));
      builder.environment().putAll(env);
    }));
  }

  /** Starts a server on a free port and waits until it prints its station URL. */
  public static EdgeProcess server(Path data, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--port", "0"));
    args.addAll(List.of(extra));
    EdgeProcess p = start("serve", Map.of(), args.toArray(String[]::new));
    p.port();
    return p;
  }

  private void pump(BufferedReader reader, boolean out) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (out) {
          stdout.add(line);
          Matcher m = STATION_URL.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        } else {
          stderr.append(line).append('\n');
        }
      }
    } catch (IOException ignored) {
      // the process died; what was read is kept
    } finally {
      port.completeExceptionally(new IllegalStateException("edge exited before serving: " + stderr));
    }
  }

  public int port() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /** Writes all of stdin, closes it, waits for exit; returns the exit code. */
  public int feedAndWait(String input) throws Exception {
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("edge did not finish");
    }
    drain();
    return process.exitValue();
  }

  public int waitForExit() throws Exception {
    return feedAndWait("");
  }

  /**
   * Waits until both pumps have read to the end of their stream: the pipes close when the process
   * exits, so after this every line it wrote is in {@link #stdoutLines()} and {@link #stderr()}.
   */
  private void drain() throws InterruptedException {
    for (Thread pump : List.of(stdoutPump, stderrPump)) {
      if (!pump.join(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the edge exited but its output did not end (a child still holds the pipe?)");
      }
    }
  }

  public List<String> stdoutLines() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  public String stderr() {
    return stderr.toString();
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye, like a power cut to the process. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (process.waitFor(30, TimeUnit.SECONDS)) {
      drain();
    }
  }

  /**
   * Stops the dock as an operator does (SIGTERM: its shutdown hook runs), or kills it after 30 s.
   * Not a kill: a JVM writes its class-data archive ({@code ChildJvm}) only when it exits normally,
   * and the next servers start faster on it.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (process.waitFor(30, TimeUnit.SECONDS)) {
        drain();
      } else {
        kill();
      }
    }
  }
}
