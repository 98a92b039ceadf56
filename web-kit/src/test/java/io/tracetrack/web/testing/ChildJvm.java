package io.tracetrack.web.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a test starts an app's jar as its own process: the JDK running the tests, tuned for a process
 * that lives seconds, not days.
 *
 * <p>The process tests start the hub and the edge a few hundred times per build, and each start
 * cost about 4 s of CPU, most of it the C2 compiler and class loading, on two cores shared with the
 * test JVMs. So a test's child runs on the C1 compiler alone, with the serial collector, and with
 * an application class-data archive per jar and kind of command (JDK 19+'s
 * {@code -XX:+AutoCreateSharedArchive}): a hub on H2 then serves after 1.7 s of CPU instead of
 * 3.0 s, an edge's {@code status} after 0.8 s instead of 1.7 s. None of this changes what the
 * process does; the benches start theirs with the JDK's defaults, as a dock and a hub run.
 *
 * <p>One archive serves every test JVM of the build ({@code -Dtracetrack.test.cds}, one folder):
 * writing one costs about 1.2 s of CPU more than a plain start, and with a folder per test JVM
 * most kinds were written more often than they were read. A JVM writes the archive at exit when
 * the one it found was missing or stale (the jar was rebuilt). The writer's starter holds an
 * exclusive lock on {@code <archive>.lock} until the writer has exited, in whichever test JVM it
 * is; a start that finds the lock held runs without the archive, and one that finds it free uses
 * the archive only if it is current, read-only (no {@code AutoCreateSharedArchive}), so a reader
 * never writes and never sees a half-written file (a writer writes a draft, renamed when it has
 * exited). Each kind of command has its own archive: a refused command loads a few classes, and
 * its archive must not be the one the servers start on.
 */
public final class ChildJvm {

  /** The folder for the archives ({@code -Dtracetrack.test.cds}, set by the build). */
  private static final Path FOLDER = Path.of(System.getProperty("tracetrack.test.cds",
      Path.of(System.getProperty("java.io.tmpdir"), "tracetrack-cds-" + ProcessHandle.current().pid()).toString()));
  /** Archives a process started by this JVM is writing (a JVM cannot lock what it already locked). */
  private static final Set<Path> WRITING = new HashSet<>();

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
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    FileChannel writerLock = null;
    if (!WRITING.contains(archive)) {
      FileChannel channel = FileChannel.open(archive.resolveSibling(archive.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      boolean current;
      try {
        lock = tryLock(channel);
        current = lock != null && current(archive, jar);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close(); // another test JVM's child is writing it
      } else if (current) {
        channel.close(); // releases the lock: the archive is whole, and nobody rewrites a current one
        // the archive's notes ("Skipping … Old class has been linked") would land on the app's stdout
        command.addAll(List.of("-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archive));
      } else {
        writerLock = channel;
        Files.deleteIfExists(draft(archive));
        command.addAll(List.of("-Xlog:cds*=off", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + draft(archive)));
      }
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    setup.accept(builder);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      if (writerLock != null) {
        writerLock.close();
      }
      throw e;
    }
    if (writerLock != null) {
      WRITING.add(archive);
      FileChannel held = writerLock;
      process.onExit().thenRun(() -> settle(archive, held));
    }
    return process;
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static boolean current(Path archive, Path jar) throws IOException {
    return Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
  }

  /** Where a writer writes; the file becomes the archive when the writer has exited ({@link #settle}). */
  private static Path draft(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".draft");
  }

  /**
   * A writer ended: its draft, whole now, becomes the archive in one rename. A JVM killed with
   * SIGKILL writes none, and the next start of that kind writes again.
   */
  private static synchronized void settle(Path archive, FileChannel lock) {
    try {
      if (Files.isRegularFile(draft(archive))) {
        Files.move(draft(archive), archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      // an archive only makes starts faster: without one, the next start of this kind writes again
    } finally {
      WRITING.remove(archive);
      try {
        lock.close();
      } catch (IOException e) {
        // closing a lock file's channel; the lock goes with this JVM at the latest
      }
    }
  }

  /**
   * The kind of a command line that is meant to work ({@code cmd-} and its first word, or
   * {@code cmd-flags} when it starts with one). Servers started by the tests use {@code serve}.
   */
  public static String commandKind(List<String> args) {
    return "cmd-" + firstWord(args);
  }

  /**
   * The kind of a command line a test expects to be refused ({@code cli-…}): a mistake loads a few
   * classes, and its archive must not be the one the working commands start on.
   */
  public static String refusedKind(List<String> args) {
    return "cli-" + firstWord(args);
  }

  private static String firstWord(List<String> args) {
    return args.isEmpty() || args.get(0).startsWith("-") ? "flags" : args.get(0);
  }
}
