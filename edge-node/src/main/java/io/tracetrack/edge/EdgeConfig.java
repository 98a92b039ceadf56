package io.tracetrack.edge;

import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.UserNames;
import io.tracetrack.web.HostPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the edge is configured with, read once at start: command-line flags first, then the
 * environment, then defaults. Nothing else in the edge reads flags or the environment.
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
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public EdgeConfig {
    Objects.requireNonNull(command, "command");
    arguments = List.copyOf(arguments);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(grammar, "grammar");
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** A flag: its name, its environment variable, and what it means (for --help and the README). */
  private record Flag(String name, String env, boolean takesValue, String help) {}

  private static final List<Flag> FLAGS = List.of(
      new Flag("--data", "EDGE_DATA", true, "data folder holding edge.db (default ./" + DEFAULT_DATA + ")"),
      new Flag("--port", "EDGE_PORT", true, "station page port (default " + DEFAULT_PORT + "; 0 = any free port)"),
      new Flag("--bind", "EDGE_BIND", true, "listen address (default " + DEFAULT_BIND + ", loopback only)"),
      new Flag("--allowed-hosts", "EDGE_ALLOWED_HOSTS", true, "comma-separated host names the page answers besides loopback (default none)"),
      new Flag("--dock", "EDGE_DOCK", true, "dock name, stored on first start (default DOCK-1)"),
      new Flag("--station", "EDGE_STATION", true, "station name for terminal capture (default terminal)"),
      new Flag("--user", "EDGE_USER", true, "dispatcher for terminal capture"),
      new Flag("--bounce-ms", "EDGE_BOUNCE_MS", true, "same code within this many ms is a scanner bounce (default 800)"),
      new Flag("--idle-reset-minutes", "EDGE_IDLE_RESET_MINUTES", true, "idle station returns to parent mode (default 10)"),
      new Flag("--busy-timeout-ms", "EDGE_BUSY_TIMEOUT_MS", true, "wait for another process's database lock (default 5000)"),
      new Flag("--parent-pattern", "EDGE_PARENT_PATTERN", true, "counted parent regex with (?<count>) (default " + CodeGrammar.DEFAULT_COUNTED_PARENT + ")"),
      new Flag("--plain-parent-pattern", "EDGE_PLAIN_PARENT_PATTERN", true, "parent regex without count (default " + CodeGrammar.DEFAULT_PLAIN_PARENT + ")"),
      new Flag("--child-pattern", "EDGE_CHILD_PATTERN", true, "child regex (default " + CodeGrammar.DEFAULT_CHILD + ")"),
      new Flag("--hub", "EDGE_HUB", true, "enroll: the hub's base URL, http(s)://host[:port]"),
      new Flag("--code", "EDGE_ENROLLMENT_CODE", true, "enroll: the one-time enrolment code an admin got for this dock"),
      new Flag("--password-stdin", null, false, "users add/passwd: read the password from standard input"),
      new Flag("--once", null, false, "sync: push everything pending, pull everything new, print one JSON line, exit"),
      new Flag("--resnapshot", null, false, "sync: load a whole snapshot of the hub first, then sync once (implies --once)"));

  /** The text of {@code --help}. */
  public static String usage() {
    StringBuilder out = new StringBuilder();
    out.append("""
        TraceTrack edge node: the dock's offline scanning station.

        Usage:
          java -jar edge-node.jar [serve] [flags]              start the station page (default)
          java -jar edge-node.jar scan --station S --user U    terminal capture: codes on stdin, JSON lines out
          java -jar edge-node.jar users add NAME [--password-stdin]   create a local dispatcher
          java -jar edge-node.jar users list                   list local users
          java -jar edge-node.jar users passwd NAME [--password-stdin]   set a local user's password
          java -jar edge-node.jar users disable NAME | enable NAME   stop or allow a user; disabling ends their sessions
          java -jar edge-node.jar status                       edge id, dock, pending ops, last seq, hub, enrolled
          java -jar edge-node.jar enroll --hub URL --code CODE   enrol this dock with the hub (exit 77: code refused, 69: hub unreachable)
          java -jar edge-node.jar sync --once                  push pending ops, pull new changes, print one JSON line
          java -jar edge-node.jar sync --resnapshot            the same, after loading a whole snapshot of the hub
                                                               (exit 69: hub unreachable, 77: credential refused, 78: not enrolled)

        Flags (environment variable in brackets):
        """);
    for (Flag flag : FLAGS) {
      out.append(String.format(Locale.ROOT, "  %-24s %-26s %s%n", flag.name() + (flag.takesValue() ? " V" : ""),
          flag.env() == null ? "" : "[" + flag.env() + "]", flag.help()));
    }
    return out.toString();
  }

  /**
   * Parses the command line and environment.
   *
   * @throws StartupException with {@link ExitCode#USAGE} naming the bad flag or value
   */
  public static EdgeConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    List<String> positional = new ArrayList<>();
    boolean passwordStdin = false;
    boolean once = false;
    boolean resnapshot = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return helpConfig();
      }
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      Flag flag = flag(name);
      if (!flag.takesValue()) {
        if (inline != null) {
          throw usageError(name + " takes no value");
        }
        if (flag.name().equals("--once")) {
          once = true;
        } else if (flag.name().equals("--resnapshot")) {
          resnapshot = true;
          once = true;
        } else {
          passwordStdin = true;
        }
        continue;
      }
      String value = inline;
      if (value == null) {
        if (i + 1 >= args.length) {
          throw usageError(name + " needs a value");
        }
        value = args[++i];
      }
      values.put(flag.name(), value);
    }
    for (Flag flag : FLAGS) {
      if (flag.env() != null && !values.containsKey(flag.name())) {
        String fromEnv = env.get(flag.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
          values.put(flag.name(), fromEnv.strip());
        }
      }
    }
    String command = positional.isEmpty() ? "serve" : positional.removeFirst();
    if (!List.of("serve", "scan", "users", "status", "enroll", "sync", "help").contains(command)) {
      throw usageError("unknown command '" + command + "' (serve, scan, users, status, enroll, sync)");
    }
    if (command.equals("sync") && !once) {
      throw usageError("sync runs only as 'sync --once' or 'sync --resnapshot' (a serving dock syncs by itself)");
    }
    CodeGrammar grammar;
    try {
      grammar = CodeGrammar.of(
          values.getOrDefault("--parent-pattern", CodeGrammar.DEFAULT_COUNTED_PARENT),
          values.getOrDefault("--plain-parent-pattern", CodeGrammar.DEFAULT_PLAIN_PARENT),
          values.getOrDefault("--child-pattern", CodeGrammar.DEFAULT_CHILD),
          CodeGrammar.DEFAULT_BILL_ID);
    } catch (IllegalArgumentException e) {
      throw usageError("code grammar: " + e.getMessage());
    }
    return new EdgeConfig(
        command,
        positional,
        path(values.getOrDefault("--data", DEFAULT_DATA)),
        bind(values.getOrDefault("--bind", DEFAULT_BIND)),
        number(values, "--port", DEFAULT_PORT, 0, 65_535),
        name(values.get("--dock"), "--dock"),
        name(values.getOrDefault("--station", "terminal"), "--station"),
        user(values.get("--user")),
        grammar,
        Duration.ofMillis(number(values, "--bounce-ms", (int) BounceFilter.DEFAULT_WINDOW.toMillis(), 0, 10_000)),
        Duration.ofMinutes(number(values, "--idle-reset-minutes", 10, 1, 24 * 60)),
        Duration.ofMillis(number(values, "--busy-timeout-ms", 5_000, 0, 600_000)),
        passwordStdin,
        allowedHosts(values.get("--allowed-hosts")),
        hub(values.get("--hub")),
        code(values.get("--code")),
        once,
        resnapshot);
  }

  private static EdgeConfig helpConfig() {
    return new EdgeConfig("help", List.of(), Path.of(DEFAULT_DATA), DEFAULT_BIND, DEFAULT_PORT, null, "terminal", null,
        CodeGrammar.defaults(), BounceFilter.DEFAULT_WINDOW, Duration.ofMinutes(10), Duration.ofSeconds(5), false, List.of(),
        null, null, false, false);
  }

  private static Flag flag(String name) {
    return FLAGS.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> usageError("unknown flag " + name + " (see --help)"));
  }

  private static Path path(String value) {
    if (value.indexOf('\0') >= 0 || value.isBlank()) {
      throw usageError("--data must be a folder path");
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw usageError("--data is not a valid path: " + e.getMessage());
    }
  }

  private static String bind(String value) {
    if (!value.matches("[A-Za-z0-9.:\\-\\[\\]]{1,255}")) {
      throw usageError("--bind must be a host name or IP address: " + value);
    }
    return value;
  }

  private static String name(String value, String flag) {
    if (value == null) {
      return null;
    }
    if (!NAME.matcher(value).matches()) {
      throw usageError(flag + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: " + printable(value));
    }
    return value;
  }

  /** The shared user-name rule: case-insensitive, stored lower-case, never starting like a flag. */
  private static String user(String value) {
    if (value == null) {
      return null;
    }
    return UserNames.normalize(value).orElseThrow(() -> usageError("--user: "
        + UserNames.problem(value).orElse("not a user name") + ": " + printable(value)));
  }

  /** An http(s) URL with a host and nothing after the path: the base the API paths are put under. */
  private static java.net.URI hub(String value) {
    if (value == null) {
      return null;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(value.strip());
    } catch (java.net.URISyntaxException e) {
      throw usageError("--hub is not a URL: " + printable(value));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw usageError("--hub must be http(s)://host[:port][/path], without user, query or fragment: " + printable(value));
    }
    String text = uri.toString();
    return java.net.URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** The code as the hub printed it: base64url; stray spaces from a copy are dropped. */
  private static String code(String value) {
    if (value == null) {
      return null;
    }
    String code = value.strip();
    if (!code.matches("[A-Za-z0-9_-]{1,128}")) {
      throw usageError("--code must be the enrolment code as the hub gave it (letters, digits, '-' and '_')");
    }
    return code;
  }

  private static List<String> allowedHosts(String value) {
    try {
      return HostPolicy.parseList(value);
    } catch (IllegalArgumentException e) {
      throw usageError("--allowed-hosts: " + e.getMessage());
    }
  }

  private static int number(Map<String, String> values, String flag, int fallback, int min, int max) {
    String text = values.get(flag);
    if (text == null) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw usageError(flag + " must be a whole number: " + printable(text));
    }
    if (parsed < min || parsed > max) {
      throw usageError(flag + " must be between " + min + " and " + max + ": " + parsed);
    }
    return parsed;
  }

  /** Keeps hostile config values from messing up the terminal when echoed in an error. */
  static String printable(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    StringBuilder out = new StringBuilder();
    shown.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  private static StartupException usageError(String message) {
    return new StartupException(ExitCode.USAGE, message);
  }

  public Path databaseFile() {
    return dataDir.resolve("edge.db");
  }
}
