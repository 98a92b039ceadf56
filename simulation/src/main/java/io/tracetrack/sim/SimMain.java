package io.tracetrack.sim;

import io.tracetrack.web.cli.Cli;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  /** The flags, as picocli reads them; {@link #options()} checks them. */
  @Command(name = "simulate", description = "Runs seeds S..S+N-1 of the product's own hub and dock code under seeded faults; "
      + "prints one JSON line.",
      footer = {"", "Exit codes: 0 no seed broke an invariant; 1 one did (the first failing seed's steps on standard error); "
          + "64 bad flags."})
  static final class Flags {
    @Mixin Cli.HelpFlag help;

    @Option(names = "--seeds", paramLabel = "N", description = "how many seeds (default 100)")
    long seeds = 100;

    @Option(names = "--seed", paramLabel = "S", description = "the first seed (default 1)")
    long seed = 1;

    @Option(names = "--pg", description = "the hub on the embedded PostgreSQL (default H2)")
    boolean pg;

    @Option(names = "--trace", description = "every step of every seed on standard error (one thread)")
    boolean trace;

    @Option(names = "--each-kind", description = "triage: each fault kind alone, and none, over the same seeds")
    boolean eachKind;

    @Option(names = "--faults", paramLabel = "KIND,KIND", completionCandidates = Kinds.class,
        description = "fault kinds (default all but finalize): ${COMPLETION-CANDIDATES}")
    String faults;

    @Option(names = "--steps", paramLabel = "K", description = "steps per seed (default " + Simulation.Config.DEFAULT_STEPS + ")")
    int steps = Simulation.Config.DEFAULT_STEPS;

    @Option(names = "--threads", paramLabel = "T", description = "seeds run at once (default: 2, or 1 on one core)")
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    Flags options() {
      positive("--seeds", seeds);
      positive("--steps", steps);
      positive("--threads", threads);
      faultKinds();
      return this;
    }

    Set<FaultKind> faultKinds() {
      return faults == null ? FaultKind.standard() : FaultKind.parseList(faults);
    }
  }

  /** The fault kinds' names, for help and completion. */
  static final class Kinds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return List.of(FaultKind.names().split(",")).iterator();
    }
  }

  static int run(String[] args) {
    Flags flags;
    try {
      switch (Cli.parse(Cli.commandLine(new Flags(), Map.of(), Map.of()), args, parsed -> ((Flags) parsed.commandSpec().userObject())
          .options())) {
        case Cli.Parsed.Print<Flags> print -> {
          System.out.print(print.text());
          return 0;
        }
        case Cli.Parsed.Run<Flags> run -> flags = run.config();
      }
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      return 64;
    }
    Set<FaultKind> faults = flags.faultKinds();
    long seeds = flags.seeds;
    long seed = flags.seed;
    boolean pg = flags.pg;
    boolean trace = flags.trace;
    int steps = flags.steps;
    int threads = flags.threads;
    if (flags.eachKind) {
      return eachKind(pg, trace ? 1 : threads, seed, seeds, faults, steps);
    }
    Simulation.Config config = new Simulation.Config(faults, steps, true);
    Runner.Summary summary;
    try (Runner.Workers workers = new Runner.Workers(pg, trace ? 1 : threads)) {
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

  /** Triage: every fault kind alone (and none at all) over the same seeds, one line each. */
  private static int eachKind(boolean pg, int threads, long seed, long seeds, Set<FaultKind> faults, int steps) {
    try (Runner.Workers workers = new Runner.Workers(pg, threads)) {
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
  }

  private static void positive(String flag, long n) {
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be 1 or more: " + n);
    }
  }
}
