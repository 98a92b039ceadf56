package io.tracetrack.web.cli;

/**
 * A mistake on the command line or in a flag's environment variable: an unknown flag, a missing
 * or bad value, flags that exclude each other. Both apps print {@code <app>: <message>} and exit
 * 64 (EX_USAGE). The message ends with the {@code --help} to read, and never holds a control
 * character from the input (see {@link Flags#printable}).
 *
 * <p>An {@link IllegalArgumentException}, as the hand-written parsers threw before picocli: code
 * that parses a config for itself (tests, benchmarks) still catches what it caught.
 */
public final class UsageException extends IllegalArgumentException {

  private final String command;

  UsageException(String problem, String command) {
    super(Flags.printable(problem, 400) + " (see '" + command + " --help')");
    this.command = command;
  }

  /** The command the mistake was made on, e.g. {@code edge-node serve}. */
  public String command() {
    return command;
  }
}
