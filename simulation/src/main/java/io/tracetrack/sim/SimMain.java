package io.tracetrack.sim;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./tracetrack simulate --seeds N [--seed S] [--pg] [--faults kind,kind] [--steps K] [--threads T] [--trace]}:
 * runs seeds S..S+N-1 and prints one JSON line. Exit 0 when no seed broke an invariant, 1 when one
 * did (the first failing seed's steps go to standard error), 64 for bad flags.
 */
public final class SimMain {

  private SimMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    long seeds = 100;
    long seed = 1;
    boolean pg = false;
    boolean trace = false;
    boolean eachKind = false;
    Set<FaultKind> faults = FaultKind.standard();
    int steps = Simulation.Config.DEFAULT_STEPS;
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--seeds" -> seeds = positive(a, value(args, ++i));
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--pg" -> pg = true;
          case "--trace" -> trace = true;
          case "--each-kind" -> eachKind = true;
          case "--faults" -> faults = FaultKind.parseList(value(args, ++i));
          case "--steps" -> steps = (int) positive(a, value(args, ++i));
          case "--threads" -> threads = (int) positive(a, value(args, ++i));
          case "-h", "--help" -> {
            System.out.println(usage());
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown flag " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.err.println(usage());
      return 64;
    }
    Simulation.Config config = new Simulation.Config(faults, steps, true);
    Runner.Summary summary;
    try (Runner.Workers workers = new Runner.Workers(pg, trace ? 1 : threads)) {
      if (eachKind) {
        // triage: every fault kind alone (and none at all) over the same seeds, one line each
        List<Set<FaultKind>> runs = new java.util.ArrayList<>();
        runs.add(EnumSet.noneOf(FaultKind.class));
        for (FaultKind k : faults) {
          runs.add(EnumSet.of(k));
        }
        for (Set<FaultKind> kinds : runs) {
          Runner.Summary s = workers.run(seed, seeds, new Simulation.Config(kinds, steps, true));
          System.err.println("== " + (kinds.isEmpty() ? "none" : kinds.iterator().next().wire) + ": " + s.failingSeeds()
              + " of " + seeds + " seeds failed " + s.failing());
          s.failedResults().stream().limit(3).forEach(r -> System.err.println("   seed " + r.seed() + ": "
              + r.violations().getFirst().substring(0, Math.min(300, r.violations().getFirst().length()))));
        }
        return 0;
      }
      if (trace) {
        for (long s = seed; s < seed + seeds; s++) {
          Simulation.Result one = workers.one(s, config);
          System.err.println(Runner.report(one));
        }
      }
      summary = workers.run(seed, seeds, config);
    }
    System.out.println(summary.json());
    if (Boolean.getBoolean("sim.listAll")) {
      summary.failedResults().forEach(r -> r.violations().forEach(v -> System.err.println("seed " + r.seed() + ": " + v)));
    }
    if (Boolean.getBoolean("sim.list")) {
      summary.failedResults().forEach(r -> System.err.println("seed " + r.seed() + ": " + r.violations().getFirst()));
    }
    if (Boolean.getBoolean("sim.timing")) {
      System.err.println("ms in reset, docks, steps, quiescence: " + Simulation.TIMING);
    }
    if (summary.firstFailing() != null) {
      System.err.println(summary.failingSeeds() + " of " + seeds + " seeds failed: " + summary.failing());
      System.err.print(Runner.report(summary.firstFailing()));
      return 1;
    }
    return 0;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static long positive(String flag, String text) {
    long n = Long.parseLong(text);
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be 1 or more: " + n);
    }
    return n;
  }

  static String usage() {
    return "usage: ./tracetrack simulate --seeds N [--seed S] [--pg] [--faults kind,kind] [--steps K] [--threads T] [--trace]\n"
        + "  runs seeds S..S+N-1 (S defaults to 1) of the product's own hub and dock code under seeded faults\n"
        + "  fault kinds (default all but finalize): " + FaultKind.names();
  }
}
