package io.tracetrack.web.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Gives a flag that was not on the command line the value of its {@link Env} variable. picocli
 * asks this before the flag's own default, and a flag on the command line overwrites what it
 * gave, which is the precedence both apps had by hand: flag, then environment, then default.
 *
 * <p>The environment is a map handed in (not {@code System.getenv()}) so tests set variables
 * without touching the process. A blank variable counts as unset, as a {@code KEY=} line in an
 * env file means "not configured"; values are stripped, as an env file's stray spaces are never
 * meant.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

  private final Map<String, String> env;

  public EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    return variable(arg).map(env::get).filter(v -> !v.isBlank()).map(String::strip).orElse(null);
  }

  /** The variable a flag falls back to; picocli's user object of an annotated flag is its field or setter. */
  public static Optional<String> variable(ArgSpec arg) {
    return arg.userObject() instanceof AnnotatedElement element && element.isAnnotationPresent(Env.class)
        ? Optional.of(element.getAnnotation(Env.class).value())
        : Optional.empty();
  }
}
