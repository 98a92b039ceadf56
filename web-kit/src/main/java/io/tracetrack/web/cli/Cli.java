package io.tracetrack.web.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How both apps turn a command line into what to do, on picocli. An app declares its flags as
 * annotated fields of one command class per (sub)command, and a function that builds its config
 * record from the command picocli parsed; this class does the rest the same way for both:
 * environment variables behind flags, {@code --help} on every command, a
 * {@code generate-completion} subcommand, and one wording and one exception for every mistake.
 *
 * <p>Parsing is kept apart from printing and exiting ({@link Parsed}, {@link UsageException}) so a
 * test checks a command line without starting a process.
 */
public final class Cli {

  private Cli() {}

  /** What a command line asks for. */
  public sealed interface Parsed<C> {

    /** Run with this configuration. */
    record Run<C>(C config) implements Parsed<C> {}

    /** Print this to standard output and exit 0: a command's {@code --help}, or a completion script. */
    record Print<C>(String text) implements Parsed<C> {}
  }

  /** A {@code -h}/{@code --help} flag, mixed into every command. */
  public static final class HelpFlag {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
  }

  /**
   * The app's command line, ready to parse.
   *
   * @param command the top command's object (its {@code @Command} names the subcommands; add
   *     {@link AutoComplete.GenerateCompletion} there for completion)
   * @param env the environment the {@link Env} variables are read from
   * @param envOnly settings that have no flag (secrets), variable to meaning, listed in the top
   *     command's help
   */
  public static CommandLine commandLine(Object command, Map<String, String> env, Map<String, String> envOnly) {
    CommandLine root = new CommandLine(command);
    // as the hand-written parsers did: a flag given twice takes its last value
    root.setOverwrittenOptionsAllowed(true);
    root.setDefaultValueProvider(new EnvironmentDefaults(env));
    addEnvironmentSection(root, envOnly);
    return root;
  }

  /**
   * Parses {@code args}: help (anywhere on the line) and {@code generate-completion} come back as
   * {@link Parsed.Print}; anything else as the config {@code build} makes of the innermost
   * command parsed.
   *
   * @param build makes the config; throws {@link IllegalArgumentException} naming the flag for a
   *     value it refuses
   * @throws UsageException for every mistake, picocli's and {@code build}'s alike
   */
  public static <C> Parsed<C> parse(CommandLine root, String[] args, Function<ParseResult, C> build) {
    ParseResult parsed;
    try {
      parsed = root.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(problem(e), e.getCommandLine().getCommandSpec().qualifiedName());
    }
    for (CommandLine command : parsed.asCommandLineList()) {
      if (command.isUsageHelpRequested()) {
        return new Parsed.Print<>(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    }
    ParseResult innermost = parsed;
    while (innermost.hasSubcommand()) {
      innermost = innermost.subcommand();
      // picocli lets an unknown flag after its own generate-completion pass (seen in 4.7.7)
      if (!innermost.unmatched().isEmpty()) {
        CommandLine where = innermost.commandSpec().commandLine();
        throw new UsageException(problem(new UnmatchedArgumentException(where, innermost.unmatched())),
            where.getCommandSpec().qualifiedName());
      }
    }
    if (innermost.commandSpec().userObject() instanceof AutoComplete.GenerateCompletion) {
      return new Parsed.Print<>(AutoComplete.bash(root.getCommandName(), root));
    }
    try {
      return new Parsed.Run<>(build.apply(innermost));
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage() + fromEnvironment(root, innermost, e.getMessage()),
          innermost.commandSpec().qualifiedName());
    }
  }

  /**
   * "; set by HUB_PORT" when the refused value came from a variable, not the command line: a flag
   * nobody typed is otherwise a puzzle. Known by the message starting with the flag's name, the
   * wording {@link Flags} and both apps use.
   */
  private static String fromEnvironment(CommandLine root, ParseResult parsed, String message) {
    if (message == null || !(root.getDefaultValueProvider() instanceof EnvironmentDefaults env)) {
      return "";
    }
    for (OptionSpec option : parsed.commandSpec().options()) {
      String flag = option.longestName();
      Optional<String> variable = EnvironmentDefaults.variable(option);
      if (variable.isPresent() && !parsed.hasMatchedOption(option) && env.defaultValue(option) != null
          && (message.startsWith(flag + " ") || message.startsWith(flag + ":"))) {
        return "; set by " + variable.get();
      }
    }
    return "";
  }

  /**
   * picocli's words, with its guess at what a mistyped flag meant (not at a mistyped command: it
   * offers any command at all, "frobnicate" gets "generate-completion").
   */
  private static String problem(ParameterException e) {
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()
        && unmatched.getSuggestions().stream().allMatch(s -> s.startsWith("-"))) {
      message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    return message;
  }

  /**
   * Adds "Environment:" after the flags of every command that has a flag with a variable: the
   * variable and its flag, read from the {@link Env} annotations, so the help cannot drift from
   * what is read.
   */
  private static void addEnvironmentSection(CommandLine command, Map<String, String> envOnly) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (OptionSpec option : command.getCommandSpec().options()) {
      EnvironmentDefaults.variable(option).ifPresent(v -> rows.put(v, option.longestName()));
    }
    envOnly.forEach((variable, meaning) -> rows.put(variable, meaning));
    if (!rows.isEmpty()) {
      int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
      StringBuilder section = new StringBuilder(String.format(Locale.ROOT,
          "%nEnvironment (a flag on the command line wins over its variable):%n"));
      rows.forEach((variable, what) -> section.append(String.format(Locale.ROOT, "  %-" + width + "s%s%n", variable, what)));
      String text = section.toString();
      command.getHelpSectionMap().put("environment", help -> text);
      List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
      keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, "environment");
      command.setHelpSectionKeys(keys);
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      addEnvironmentSection(sub, Map.of());
    }
  }

  /** The variable a flag of this command falls back to, if it has one (for tests and docs). */
  public static Optional<String> variable(CommandLine command, String flag) {
    OptionSpec option = command.getCommandSpec().findOption(flag);
    return option == null ? Optional.empty() : EnvironmentDefaults.variable(option);
  }
}
