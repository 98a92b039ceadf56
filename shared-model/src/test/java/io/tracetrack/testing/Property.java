package io.tracetrack.testing;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Runs a property over {@code tries} random cases. Each case gets its own seed, derived from one
 * base seed, and its own {@link Random}; a failure is rethrown with that seed and the flag that
 * replays exactly that case ({@code -Dtracetrack.seed=N}, which runs the one case instead of the
 * whole batch). The base seed differs per run so that runs keep exploring; set
 * {@code -Dtracetrack.baseSeed=N} to replay a whole batch.
 *
 * <pre>{@code
 * Property.check(1000, random -> {
 *   int limit = Gen.intBetween(random, 1, 30);
 *   assertThat(...);
 * });
 * }</pre>
 */
public final class Property {

  /** Replays one case: the seed a failure printed. */
  public static final String SEED = "tracetrack.seed";
  /** Replays a whole batch from its base seed. */
  public static final String BASE_SEED = "tracetrack.baseSeed";

  /** One case of a property, given its random source. */
  @FunctionalInterface
  public interface Case {
    void run(Random random) throws Exception;
  }

  private Property() {}

  /** Runs {@code check} on {@code tries} cases (or on the one case {@code -Dtracetrack.seed} names). */
  public static void check(int tries, Case check) {
    Objects.requireNonNull(check, "check");
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be at least 1: " + tries);
    }
    String replay = System.getProperty(SEED);
    if (replay != null && !replay.isBlank()) {
      runOne(check, parse(SEED, replay), 1, 1);
      return;
    }
    String base = System.getProperty(BASE_SEED);
    long baseSeed = base != null && !base.isBlank() ? parse(BASE_SEED, base) : new SecureRandom().nextLong();
    // SplittableRandom spreads neighbouring base seeds into unrelated case seeds
    SplittableRandom seeds = new SplittableRandom(baseSeed);
    for (int i = 1; i <= tries; i++) {
      runOne(check, seeds.nextLong(), i, tries);
    }
  }

  private static void runOne(Case check, long seed, int attempt, int tries) {
    try {
      check.run(new Random(seed));
    } catch (Throwable failure) {
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      throw new AssertionError(String.format(Locale.ROOT,
          "property failed on case %d of %d with seed %d; replay just this case with -D%s=%d "
              + "(e.g. ./mvnw -B -q -pl <module> -am -Dsurefire.failIfNoSpecifiedTests=false "
              + "-Dtest='<TestClass>#<method>' -D%s=%d test): %s",
          attempt, tries, seed, SEED, seed, SEED, seed, failure.getMessage()), failure);
    }
  }

  private static long parse(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a whole number, got '" + value + "'", e);
    }
  }
}
