package io.tracetrack.web.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a test starts an app's jar as its own process: the JDK running the tests, tuned for a process
 * that lives seconds, not days.
 *
 * <p>The process tests start the hub and the edge a few hundred times per build, and each start
 * cost about 4 s of CPU, most of it the C2 compiler and class loading, on two cores shared with the
 * test JVMs. So a test's child runs on the C1 compiler alone, with the serial collector, and with
 * an application class-data archive per jar and per test JVM (JDK 19+'s
 * {@code -XX:+AutoCreateSharedArchive}): an edge then serves after about 1.2 s and 1.5 s of CPU
 * instead of 3.7 s and 4.9 s. None of this changes what the process does; the benches start theirs
 * with the JDK's defaults, as a dock and a hub run.
 *
 * <p>A JVM writes the archive at exit when the one it found was missing or stale (the jar was
 * rebuilt). Two writers of one file at once could interleave, so while a process that may write is
 * alive, others of the same jar start without the archive.
 */
public final class ChildJvm {

  /** The folder for the archives ({@code -Dtracetrack.test.cds}, set per fork by the build). */
  private static final Path FOLDER = Path.of(System.getProperty("tracetrack.test.cds",
      Path.of(System.getProperty("java.io.tmpdir"), "tracetrack-cds-" + ProcessHandle.current().pid()).toString()));
  private static final Map<Path, Process> WRITERS = new HashMap<>();

  private ChildJvm() {}

  /**
   * Starts {@code java <flags> -jar jar args}; {@code setup} sets the builder's environment and
   * redirects before it starts. {@code kind} names what the process does ({@code serve},
   * {@code users}, {@code help}…): each kind has its own archive, since the first process to write
   * one decides the classes it holds.
   */
  public static synchronized Process start(Path jar, String kind, List<String> args, Consumer<ProcessBuilder> setup)
      throws IOException {
    Path archive = FOLDER.resolve(jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-"
        + kind.replaceAll("[^A-Za-z0-9]", "_") + ".jsa");
    Files.createDirectories(FOLDER);
    boolean current = Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
    Process writer = WRITERS.get(archive);
    boolean archived = current || writer == null || !writer.isAlive();
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    if (archived) {
      // the archive's notes ("Skipping … Old class has been linked") would land on the app's stdout
      command.add("-Xlog:cds*=off");
      command.add("-XX:+AutoCreateSharedArchive");
      command.add("-XX:SharedArchiveFile=" + archive);
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    setup.accept(builder);
    Process process = builder.start();
    if (archived && !current) {
      WRITERS.put(archive, process);
    }
    return process;
  }

  /** The kind of an app's command line: its first word, or {@code flags} when it starts with one. */
  public static String kindOf(List<String> args) {
    return args.isEmpty() || args.get(0).startsWith("-") ? "flags" : args.get(0);
  }
}
