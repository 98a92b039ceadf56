package io.tracetrack.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starting the apps' jars with the JDK running this program, their output going to a log file. */
final class Processes {

  private Processes() {}

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * Starts {@code java [jvm] -jar jar args}, appends its output (stdout and stderr) to {@code log},
   * and completes the returned future with group 1 of the first line matching {@code ready} (when
   * given); it fails when the process ends before that line.
   */
  static Started start(Path jar, List<String> jvm, List<String> args, String clearPrefix, java.util.Map<String, String> env,
      Path log, Pattern ready) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvm);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith(clearPrefix));
    builder.environment().putAll(env);
    Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    out.write(Instant.now() + " chaos: started " + String.join(" ", args) + "\n");
    out.flush();
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          out) {
        String line;
        while ((line = r.readLine()) != null) {
          out.write(line);
          out.write('\n');
          out.flush();
          Matcher m = ready == null ? null : ready.matcher(line);
          if (m != null && !port.isDone() && m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        out.write(Instant.now() + " chaos: process ended\n");
      } catch (IOException ignored) {
        // the process died; what it wrote is in the log
      } finally {
        port.completeExceptionally(new IllegalStateException("exited before serving; see " + log));
      }
    });
    return new Started(process, port);
  }

  /** A started process and the port it announced (when it does). */
  record Started(Process process, CompletableFuture<Integer> port) {}

  /** The last {@code lines} lines of a log, for a failure message. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }
}
