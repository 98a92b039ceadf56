package io.tracetrack.sim;

import io.tracetrack.edge.db.EdgeDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Runs seeds {@code from .. from+count-1}, on {@code threads} threads, each with a hub database
 * of its own (seeds share nothing but the migrated edge template file), and adds them up.
 */
final class Runner {

  /** What a run of many seeds came to. */
  record Summary(long seeds, long steps, Map<FaultKind, Long> faults, long violations, Simulation.Result firstFailing,
      long failingSeeds, List<Long> failing, List<Simulation.Result> failedResults) {

    /** The one JSON line of {@code ./tracetrack simulate}. */
    String json() {
      StringBuilder f = new StringBuilder("{");
      for (FaultKind k : FaultKind.values()) {
        f.append(f.length() > 1 ? "," : "").append('"').append(k.wire).append("\":").append(faults.getOrDefault(k, 0L));
      }
      f.append('}');
      return String.format(Locale.ROOT, "{\"seeds\":%d,\"steps\":%d,\"faults\":%s,\"violations\":%d,\"firstFailingSeed\":%s}",
          seeds, steps, f, violations, firstFailing == null ? "null" : Long.toString(firstFailing.seed()));
    }
  }

  private Runner() {}

  /** Quiets the product's logging (Flyway, Hikari, the sync's warnings): the simulation speaks through its result. */
  static void quietLogs() {
    LogManager.getLogManager().reset();
    Logger.getLogger("").setLevel(Level.OFF);
  }

  /** A scratch folder: on tmpfs when there is one (SQLite's fsyncs cost nothing there). */
  static Path scratch(String prefix) {
    try {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix)
          : Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Summary run(long from, long count, Simulation.Config config, boolean postgres, int threads) {
    try (Workers workers = new Workers(postgres, threads)) {
      return workers.run(from, count, config);
    }
  }

  /**
   * The simulation threads and what each keeps between runs: a hub database with its baseline, the
   * docks' open databases, a scratch folder. Opening them is the slow part (migrations, Argon2
   * hashes of the baseline users); a seed then costs only its own steps.
   */
  static final class Workers implements AutoCloseable {
    private final Path root;
    private final Path template;
    private final List<SimHub> hubs = new ArrayList<>();
    private final List<DockSlots> slots = new ArrayList<>();

    Workers(boolean postgres, int threads) {
      quietLogs();
      root = scratch("tt-sim-");
      template = root.resolve("template.db");
      EdgeDatabase.open(template, Duration.ofSeconds(5)).close();
      List<Thread> starting = new ArrayList<>();
      SimHub[] opened = new SimHub[threads];
      Throwable[] failed = new Throwable[1];
      for (int t = 0; t < threads; t++) {
        int me = t;
        Path dir = root.resolve("w" + t);
        slots.add(new DockSlots(dir.resolve("slots"), template));
        starting.add(Thread.ofPlatform().start(() -> {
          try {
            opened[me] = postgres ? SimHub.postgres(dir.resolve("hub")) : SimHub.h2(dir.resolve("hub"));
          } catch (Throwable e) {
            failed[0] = e;
          }
        }));
      }
      join(starting);
      for (SimHub h : opened) {
        if (h != null) {
          hubs.add(h);
        }
      }
      if (failed[0] != null) {
        close();
        throw new IllegalStateException("cannot open the simulation's hub database", failed[0]);
      }
    }

    Summary run(long from, long count, Simulation.Config config) {
      int threads = hubs.size();
      AtomicLong next = new AtomicLong(from);
      List<Simulation.Result> failed = new ArrayList<>();
      long[] steps = new long[threads];
      List<Map<FaultKind, Long>> counts = new ArrayList<>();
      List<Thread> running = new ArrayList<>();
      List<Throwable> crashed = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        Map<FaultKind, Long> mine = new EnumMap<>(FaultKind.class);
        counts.add(mine);
        running.add(Thread.ofPlatform().name("sim-" + t).start(() -> {
          try {
            long seed;
            while ((seed = next.getAndIncrement()) < from + count) {
              Simulation.Result r = Simulation.run(seed, config, hubs.get(me), root.resolve("w" + me).resolve("seed"),
                  slots.get(me));
              steps[me] += r.steps();
              r.faults().forEach((k, n) -> mine.merge(k, (long) n, Long::sum));
              if (r.failed()) {
                synchronized (failed) {
                  failed.add(r);
                }
              }
            }
          } catch (Throwable e) {
            synchronized (crashed) {
              crashed.add(e);
            }
          }
        }));
      }
      join(running);
      if (!crashed.isEmpty()) {
        throw new IllegalStateException("a simulation thread failed", crashed.getFirst());
      }
      Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
      counts.forEach(m -> m.forEach((k, n) -> faults.merge(k, n, Long::sum)));
      failed.sort(java.util.Comparator.comparingLong(Simulation.Result::seed));
      long violations = failed.stream().mapToLong(r -> r.violations().size()).sum();
      long total = 0;
      for (long s : steps) {
        total += s;
      }
      return new Summary(count, total, faults, violations, failed.isEmpty() ? null : failed.getFirst(), failed.size(),
          failed.stream().map(Simulation.Result::seed).toList(), List.copyOf(failed));
    }

    /** One seed alone, on the first thread's hub: what a replay runs. */
    Simulation.Result one(long seed, Simulation.Config config) {
      return Simulation.run(seed, config, hubs.getFirst(), root.resolve("w0").resolve("seed"), slots.getFirst());
    }

    private static void join(List<Thread> threads) {
      try {
        for (Thread t : threads) {
          t.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      slots.forEach(DockSlots::close);
      hubs.forEach(SimHub::close);
      Simulation.deleteTree(root);
    }
  }

  /** A failing seed as a reader wants it: how to replay it, what broke, and every step. */
  static String report(Simulation.Result r) {
    StringBuilder b = new StringBuilder();
    b.append("seed ").append(r.seed()).append(r.failed() ? " failed" : " held every invariant").append(" (replay: ./tracetrack simulate --seeds 1 --seed ").append(r.seed())
        .append(")\n");
    r.violations().forEach(v -> b.append("  violation: ").append(v).append('\n'));
    b.append("steps:\n");
    r.trace().forEach(t -> b.append(t).append('\n'));
    return b.toString();
  }
}
