package io.tracetrack.edge;

import io.tracetrack.model.CodeGrammar;
import io.tracetrack.web.cli.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the edge is configured with, read once at start by {@link EdgeCommandLine}: command-line
 * flags first, then the environment, then defaults. Nothing else in the edge reads flags or the
 * environment.
 *
 * @param command what to run: serve (default), scan, users, status, enroll, sync
 * @param arguments positional arguments after the command (e.g. {@code users add NAME})
 * @param dataDir folder holding {@code edge.db}
 * @param bind address the station page listens on; loopback unless deliberately opened
 * @param port port of the station page (0 = any free port)
 * @param dock the dock this edge serves, or {@code null} to keep the stored one
 * @param station station name for terminal capture
 * @param user user name for terminal capture
 * @param grammar the code formats
 * @param bounceWindow same code within this window is a scanner bounce
 * @param idleReset a station idle this long returns to parent mode
 * @param busyTimeout how long a write waits for another process's lock before giving up
 * @param passwordFromStdin {@code users add} and {@code users passwd} read the password from standard input
 * @param allowedHosts host names the station page answers besides loopback and the bind address
 *     (DNS rebinding: any other Host header is refused)
 * @param hub the hub's base URL ({@code enroll}), or {@code null}
 * @param enrollmentCode the one-time code an admin got for this dock ({@code enroll}), or {@code null}
 * @param once {@code sync}: one push and pull, then exit (the only way {@code sync} runs so far;
 *     {@code serve} runs the continuous worker by itself)
 * @param resnapshot {@code sync --resnapshot}: load a whole snapshot of the hub first (a replica that
 *     skipped an unreadable change, or one an operator distrusts), then sync once
 */
public record EdgeConfig(
    String command,
    List<String> arguments,
    Path dataDir,
    String bind,
    int port,
    String dock,
    String station,
    String user,
    CodeGrammar grammar,
    Duration bounceWindow,
    Duration idleReset,
    Duration busyTimeout,
    boolean passwordFromStdin,
    List<String> allowedHosts,
    java.net.URI hub,
    String enrollmentCode,
    boolean once,
    boolean resnapshot) {

  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final String DEFAULT_DATA = "edge-data";

  public EdgeConfig {
    Objects.requireNonNull(command, "command");
    arguments = List.copyOf(arguments);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(grammar, "grammar");
    allowedHosts = List.copyOf(allowedHosts);
  }

  /**
   * Parses a command line that runs a command (not {@code --help}): what tests and tools use;
   * {@link Main} goes through {@link EdgeCommandLine#parse}, which also answers help.
   *
   * @throws StartupException with {@link ExitCode#USAGE} naming the bad flag or value
   */
  public static EdgeConfig parse(String[] args, Map<String, String> env) {
    return switch (EdgeCommandLine.parse(args, env)) {
      case Cli.Parsed.Run<EdgeConfig> run -> run.config();
      case Cli.Parsed.Print<EdgeConfig> print -> throw new IllegalArgumentException("prints, does not run: " + String.join(" ", args));
    };
  }

  public Path databaseFile() {
    return dataDir.resolve("edge.db");
  }
}
