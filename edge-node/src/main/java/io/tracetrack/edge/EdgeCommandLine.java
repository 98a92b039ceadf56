package io.tracetrack.edge;

import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.UserNames;
import io.tracetrack.web.HostPolicy;
import io.tracetrack.web.cli.Cli;
import io.tracetrack.web.cli.Env;
import io.tracetrack.web.cli.Flags;
import io.tracetrack.web.cli.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The edge's command line: one picocli command per subcommand, each declaring only the flags it
 * reads and building the {@link EdgeConfig} it runs with. Flags a few commands share sit in
 * mixins ({@link Folder}, {@link Grammar}, {@link Capture}); a command without one of them runs
 * with its defaults. Every check of a value is here, so nothing else reads flags or the
 * environment.
 *
 * <p>{@code serve} is the default: a line that starts with a flag (or is empty) is run as
 * {@code serve}, as it was before subcommands had flags of their own.
 */
public final class EdgeCommandLine {

  private EdgeCommandLine() {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * Parses the command line and environment: a config to run, or a text to print (help, completion).
   *
   * @throws StartupException with {@link ExitCode#USAGE} naming the bad flag or value and the help to read
   */
  public static Cli.Parsed<EdgeConfig> parse(String[] args, Map<String, String> env) {
    try {
      return Cli.parse(commandLine(env), withDefaultCommand(args), parsed -> switch (parsed.commandSpec().userObject()) {
        case Runs command -> command.config();
        default -> throw new IllegalArgumentException("name a command: serve, scan, users, status, enroll or sync");
      });
    } catch (UsageException e) {
      throw new StartupException(ExitCode.USAGE, e.getMessage(), e);
    }
  }

  /** The picocli command line, with the environment behind its flags (tests read its help). */
  static CommandLine commandLine(Map<String, String> env) {
    return Cli.commandLine(new Root(), env, Map.of());
  }

  private static String[] withDefaultCommand(String[] args) {
    if (args.length > 0 && (!args[0].startsWith("-") || args[0].equals("-h") || args[0].equals("--help"))) {
      return args;
    }
    List<String> withServe = new ArrayList<>(List.of("serve"));
    withServe.addAll(List.of(args));
    return withServe.toArray(String[]::new);
  }

  /** A command that runs: it builds the config it runs with. */
  private interface Runs {
    EdgeConfig config();
  }

  @Command(name = "edge-node",
      description = "TraceTrack edge node: the dock's offline scanning station. Without a command it serves the station page.",
      synopsisSubcommandLabel = "[COMMAND]",
      subcommands = {Serve.class, Scan.class, Users.class, Status.class, Enroll.class, Sync.class,
          AutoComplete.GenerateCompletion.class},
      footer = {"", "Each command's flags: edge-node COMMAND --help.",
          "Shell completion (bash, zsh) for alias edge-node='java -jar edge-node.jar':",
          "  source <(java -jar edge-node.jar generate-completion)"})
  static final class Root {
    @Mixin Cli.HelpFlag help;
  }

  /** The data folder and the dock it holds: every command opens it. */
  static final class Folder {
    @Option(names = "--data", paramLabel = "DIR", description = "data folder holding edge.db (default ./" + EdgeConfig.DEFAULT_DATA + ")")
    @Env("EDGE_DATA")
    String data;

    @Option(names = "--dock", paramLabel = "NAME", description = "dock name, stored on first start (default DOCK-1)")
    @Env("EDGE_DOCK")
    String dock;

    @Option(names = "--busy-timeout-ms", paramLabel = "MS", description = "wait for another process's database lock (default 5000)")
    @Env("EDGE_BUSY_TIMEOUT_MS")
    String busyTimeoutMs;

    Path dataDir() {
      String value = data == null ? EdgeConfig.DEFAULT_DATA : data;
      if (value.indexOf('\0') >= 0 || value.isBlank()) {
        throw new IllegalArgumentException("--data must be a folder path");
      }
      try {
        return Path.of(value).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("--data is not a valid path: " + Flags.printable(e.getMessage()));
      }
    }

    String dockName() {
      return name(dock, "--dock");
    }

    Duration busyTimeout() {
      return Duration.ofMillis(Flags.wholeNumber("--busy-timeout-ms", busyTimeoutMs, 5_000, 0, 600_000));
    }
  }

  /** The code formats: every command that classifies or stores codes reads them. */
  static final class Grammar {
    @Option(names = "--parent-pattern", paramLabel = "REGEX",
        description = "counted parent regex with (?<count>) (default " + CodeGrammar.DEFAULT_COUNTED_PARENT + ")")
    @Env("EDGE_PARENT_PATTERN")
    String parent;

    @Option(names = "--plain-parent-pattern", paramLabel = "REGEX",
        description = "parent regex without count (default " + CodeGrammar.DEFAULT_PLAIN_PARENT + ")")
    @Env("EDGE_PLAIN_PARENT_PATTERN")
    String plainParent;

    @Option(names = "--child-pattern", paramLabel = "REGEX", description = "child regex (default " + CodeGrammar.DEFAULT_CHILD + ")")
    @Env("EDGE_CHILD_PATTERN")
    String child;

    CodeGrammar grammar() {
      try {
        return CodeGrammar.of(
            parent == null ? CodeGrammar.DEFAULT_COUNTED_PARENT : parent,
            plainParent == null ? CodeGrammar.DEFAULT_PLAIN_PARENT : plainParent,
            child == null ? CodeGrammar.DEFAULT_CHILD : child,
            CodeGrammar.DEFAULT_BILL_ID);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("code grammar: " + e.getMessage(), e);
      }
    }
  }

  /** How scans are taken: the station page and terminal capture. */
  static final class Capture {
    @Option(names = "--bounce-ms", paramLabel = "MS", description = "same code within this many ms is a scanner bounce (default 800)")
    @Env("EDGE_BOUNCE_MS")
    String bounceMs;

    @Option(names = "--idle-reset-minutes", paramLabel = "MINUTES", description = "idle station returns to parent mode (default 10)")
    @Env("EDGE_IDLE_RESET_MINUTES")
    String idleResetMinutes;

    Duration bounceWindow() {
      return Duration.ofMillis(Flags.wholeNumber("--bounce-ms", bounceMs, (int) BounceFilter.DEFAULT_WINDOW.toMillis(), 0, 10_000));
    }

    Duration idleReset() {
      return Duration.ofMinutes(Flags.wholeNumber("--idle-reset-minutes", idleResetMinutes, 10, 1, 24 * 60));
    }
  }

  /**
   * The record every command runs with. A command hands in a fresh mixin for the flags it does not
   * have: all unset, so the record holds their defaults (which that command does not read).
   */
  private static EdgeConfig config(String command, List<String> arguments, Folder folder, Grammar grammar, Capture capture,
      Listen listen, Terminal terminal, boolean passwordFromStdin, Enrolment enrolment, boolean once, boolean resnapshot) {
    Path dataDir = folder.dataDir();
    String dock = folder.dockName();
    Duration busyTimeout = folder.busyTimeout();
    CodeGrammar codes = grammar.grammar();
    return new EdgeConfig(command, arguments, dataDir, listen.bind(), listen.port(), dock, terminal.station(), terminal.user(), codes,
        capture.bounceWindow(), capture.idleReset(), busyTimeout, passwordFromStdin, listen.allowedHosts(), enrolment.hub(),
        enrolment.code(), once, resnapshot);
  }

  /** Where the station page listens. */
  static final class Listen {
    @Option(names = "--port", paramLabel = "PORT", description = "station page port (default " + EdgeConfig.DEFAULT_PORT + "; 0 = any free port)")
    @Env("EDGE_PORT")
    String port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "listen address (default " + EdgeConfig.DEFAULT_BIND + ", loopback only)")
    @Env("EDGE_BIND")
    String bind;

    @Option(names = "--allowed-hosts", paramLabel = "HOSTS",
        description = "comma-separated host names the page answers besides loopback (default none)")
    @Env("EDGE_ALLOWED_HOSTS")
    String allowedHosts;

    int port() {
      return Flags.wholeNumber("--port", port, EdgeConfig.DEFAULT_PORT, 0, 65_535);
    }

    String bind() {
      String value = bind == null ? EdgeConfig.DEFAULT_BIND : bind;
      if (!value.matches("[A-Za-z0-9.:\\-\\[\\]]{1,255}")) {
        throw new IllegalArgumentException("--bind must be a host name or IP address: " + Flags.printable(value));
      }
      return value;
    }

    List<String> allowedHosts() {
      try {
        return HostPolicy.parseList(allowedHosts);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--allowed-hosts: " + e.getMessage(), e);
      }
    }
  }

  /** Who scans where, in terminal capture. */
  static final class Terminal {
    @Option(names = "--station", paramLabel = "NAME", description = "station name for terminal capture (default terminal)")
    @Env("EDGE_STATION")
    String station;

    @Option(names = "--user", paramLabel = "NAME", description = "the dispatcher scanning (required)")
    @Env("EDGE_USER")
    String user;

    String station() {
      return name(station == null ? "terminal" : station, "--station");
    }

    /** The shared user-name rule: case-insensitive, stored lower-case, never starting like a flag. */
    String user() {
      if (user == null) {
        return null;
      }
      return UserNames.normalize(user).orElseThrow(() -> new IllegalArgumentException("--user: "
          + UserNames.problem(user).orElse("not a user name") + ": " + Flags.printable(user)));
    }
  }

  /** The hub to enrol with, and the admin's code. */
  static final class Enrolment {
    @Option(names = "--hub", paramLabel = "URL", description = "the hub's base URL, http(s)://host[:port] (required)")
    @Env("EDGE_HUB")
    String hub;

    @Option(names = "--code", paramLabel = "CODE", description = "the one-time enrolment code an admin got for this dock (required)")
    @Env("EDGE_ENROLLMENT_CODE")
    String code;

    /** An http(s) URL with a host and nothing after the path: the base the API paths are put under. */
    URI hub() {
      if (hub == null) {
        return null;
      }
      URI uri;
      try {
        uri = new URI(hub.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--hub is not a URL: " + Flags.printable(hub));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("--hub must be http(s)://host[:port][/path], without user, query or fragment: "
            + Flags.printable(hub));
      }
      String text = uri.toString();
      return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** The code as the hub printed it: base64url; stray spaces from a copy are dropped. */
    String code() {
      if (code == null) {
        return null;
      }
      String stripped = code.strip();
      if (!stripped.matches("[A-Za-z0-9_-]{1,128}")) {
        throw new IllegalArgumentException("--code must be the enrolment code as the hub gave it (letters, digits, '-' and '_')");
      }
      return stripped;
    }
  }

  @Command(name = "serve", description = "Start the station page (the default command); an enrolled dock also syncs with its hub.")
  static final class Serve implements Runs {
    @Mixin Cli.HelpFlag help;
    @Mixin Folder folder;
    @Mixin Listen listen;
    @Mixin Grammar grammar;
    @Mixin Capture capture;

    @Override
    public EdgeConfig config() {
      return EdgeCommandLine.config("serve", List.of(), folder, grammar, capture, listen, new Terminal(), false, new Enrolment(),
          false, false);
    }
  }

  @Command(name = "scan", description = "Terminal capture: codes on standard input, one JSON line per scan on standard output.")
  static final class Scan implements Runs {
    @Mixin Cli.HelpFlag help;
    @Mixin Terminal terminal;
    @Mixin Folder folder;
    @Mixin Grammar grammar;
    @Mixin Capture capture;

    @Override
    public EdgeConfig config() {
      return EdgeCommandLine.config("scan", List.of(), folder, grammar, capture, new Listen(), terminal, false, new Enrolment(),
          false, false);
    }
  }

  @Command(name = "users", description = "Local users of this dock: list (the default), add NAME, passwd NAME, disable NAME, enable NAME.",
      footer = {"", "Disabling a user, or setting a password, ends that user's station sessions."})
  static final class Users implements Runs {
    @Mixin Cli.HelpFlag help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", completionCandidates = Actions.class,
        description = "list, add, passwd, disable or enable (default list)")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the user (add, passwd, disable, enable)")
    String name;

    @Option(names = "--password-stdin", description = "add, passwd: read the password from standard input (else asked on the terminal)")
    boolean passwordStdin;

    @Mixin Folder folder;

    @Override
    public EdgeConfig config() {
      if (action != null && !Actions.NAMES.contains(action)) {
        throw new IllegalArgumentException("users: unknown action '" + Flags.printable(action) + "' (" + String.join(", ", Actions.NAMES) + ")");
      }
      List<String> arguments = new ArrayList<>();
      if (action != null) {
        arguments.add(action);
      }
      if (name != null) {
        arguments.add(name);
      }
      return EdgeCommandLine.config("users", arguments, folder, new Grammar(), new Capture(), new Listen(), new Terminal(), passwordStdin,
          new Enrolment(), false, false);
    }

    /** The actions, for completion. */
    static final class Actions implements Iterable<String> {
      static final List<String> NAMES = List.of("list", "add", "passwd", "disable", "enable");

      @Override
      public java.util.Iterator<String> iterator() {
        return NAMES.iterator();
      }
    }
  }

  @Command(name = "status", description = "Print one JSON line: edge id, dock, pending ops, last seq, hub, enrolled.")
  static final class Status implements Runs {
    @Mixin Cli.HelpFlag help;
    @Mixin Folder folder;
    @Mixin Grammar grammar;

    @Override
    public EdgeConfig config() {
      return EdgeCommandLine.config("status", List.of(), folder, grammar, new Capture(), new Listen(), new Terminal(), false,
          new Enrolment(), false, false);
    }
  }

  @Command(name = "enroll", description = "Enrol this dock with the hub, once per dock machine, with a one-time code an admin got.",
      footer = {"", "Exit codes: 0 enrolled; 64 bad flags; 69 hub unreachable (nothing changed, the code is still good); "
          + "77 code refused; 78 this folder holds another dock's scans."})
  static final class Enroll implements Runs {
    @Mixin Cli.HelpFlag help;
    @Mixin Enrolment enrolment;
    @Mixin Folder folder;

    @Override
    public EdgeConfig config() {
      return EdgeCommandLine.config("enroll", List.of(), folder, new Grammar(), new Capture(), new Listen(), new Terminal(), false,
          enrolment, false, false);
    }
  }

  @Command(name = "sync", description = "Push pending ops and pull new changes once, then print one JSON line "
      + "(a serving dock syncs by itself).",
      footer = {"", "Exit codes: 0 synced; 64 bad flags; 69 hub unreachable (pending ops stay pending); "
          + "77 credential refused; 78 not enrolled."})
  static final class Sync implements Runs {
    @Mixin Cli.HelpFlag help;

    @Option(names = "--once", description = "push everything pending, pull everything new, print one JSON line, exit")
    boolean once;

    @Option(names = "--resnapshot", description = "load a whole snapshot of the hub first, then sync once (implies --once)")
    boolean resnapshot;

    @Mixin Folder folder;
    @Mixin Grammar grammar;

    @Override
    public EdgeConfig config() {
      if (!once && !resnapshot) {
        throw new IllegalArgumentException("sync runs only as 'sync --once' or 'sync --resnapshot' (a serving dock syncs by itself)");
      }
      return EdgeCommandLine.config("sync", List.of(), folder, grammar, new Capture(), new Listen(), new Terminal(), false,
          new Enrolment(), true, resnapshot);
    }
  }

  private static String name(String value, String flag) {
    if (value == null) {
      return null;
    }
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          flag + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: " + Flags.printable(value));
    }
    return value;
  }
}
