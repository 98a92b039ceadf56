package io.tracetrack.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What one chaos run does, read once from the command line.
 *
 * @param docks edge processes (1–16)
 * @param seconds how long scans and faults go on (5–86,400)
 * @param seed chooses every action and fault; the same seed gives the same schedule
 * @param data folder for the hub's and the docks' data and logs ({@code null}: a fresh temporary one)
 * @param settle how long the healed fleet may take to go quiet before a dock counts as stuck
 * @param edgeJar the edge-node jar to run
 * @param hubJar the central-hub jar to run
 * @param restores also restore docks from backups (off by default: not part of the standard run)
 */
public record ChaosOptions(int docks, int seconds, long seed, Path data, Duration settle, Path edgeJar, Path hubJar,
    boolean restores) {

  public static final String USAGE = """
      usage: ./tracetrack chaos --docks N --seconds S --seed X [--data DIR] [--settle-seconds T]
        --docks N           dock processes, 1-16 (each behind its own fault proxy)
        --seconds S         how long to scan and inject faults, 5-86400
        --seed X            chooses every scan and fault (a long); the same seed, the same schedule
        --data DIR          an empty or new folder for the hub, the docks and their logs (default: a temporary one,
                            deleted after a clean run)
        --settle-seconds T  how long the healed fleet may take to go quiet before a dock is stuck (default 90)
        --restore-backups   also back docks up and restore them later (DESIGN invariant 6; off by default)
      prints one JSON line; exit 0 when nothing was lost, applied twice, over a limit, diverged or stuck, 1 otherwise,
      64 for a bad flag, 70 when the run itself could not be carried out""";

  public ChaosOptions {
    if (docks < 1 || docks > 16) {
      throw new IllegalArgumentException("--docks must be 1-16, not " + docks);
    }
    if (seconds < 5 || seconds > 86_400) {
      throw new IllegalArgumentException("--seconds must be 5-86400, not " + seconds);
    }
    if (settle.isNegative() || settle.isZero()) {
      throw new IllegalArgumentException("--settle-seconds must be positive");
    }
  }

  /** Parses the flags; throws {@link IllegalArgumentException} with a message for the person. */
  public static ChaosOptions parse(String... args) {
    Integer docks = null;
    Integer seconds = null;
    Long seed = null;
    Path data = null;
    int settle = 90;
    Path edgeJar = Path.of(System.getProperty("edge.jar", "edge-node/target/edge-node.jar"));
    Path hubJar = Path.of(System.getProperty("hub.jar", "central-hub/target/central-hub.jar"));
    boolean restores = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--restore-backups")) {
        restores = true;
        continue;
      }
      if (!flag.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--docks" -> docks = integer(flag, value);
        case "--seconds" -> seconds = integer(flag, value);
        case "--seed" -> {
          try {
            seed = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number (a long), not '" + value + "'");
          }
        }
        case "--data" -> data = Path.of(value).toAbsolutePath();
        case "--settle-seconds" -> settle = integer(flag, value);
        case "--edge-jar" -> edgeJar = Path.of(value);
        case "--hub-jar" -> hubJar = Path.of(value);
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (docks == null || seconds == null || seed == null) {
      throw new IllegalArgumentException("--docks, --seconds and --seed are required");
    }
    if (data != null && Files.isDirectory(data)) {
      try (var entries = Files.list(data)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException("--data " + data + " is not empty: a run needs a fresh folder");
        }
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--data " + data + " cannot be read: " + e.getMessage());
      }
    }
    return new ChaosOptions(docks, seconds, seed, data, Duration.ofSeconds(settle), edgeJar.toAbsolutePath(),
        hubJar.toAbsolutePath(), restores);
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, not '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "--docks %d --seconds %d --seed %d%s", docks, seconds, seed,
        restores ? " --restore-backups" : "");
  }
}
