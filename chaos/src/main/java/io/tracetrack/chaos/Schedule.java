package io.tracetrack.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, drawn from the seed alone before anything starts: the same seed gives the
 * same kills, hub kills and partitions at the same offsets. Faults fall between 10 % and 70 % of the
 * run (hub kills before 40 %), and every partition has ended by 85 %, so the docks also work on a
 * healthy network before the end.
 */
record Schedule(List<Fault> faults) {

  enum Kind { EDGE_KILL, HUB_KILL, PARTITION, RESTORE }

  /**
   * One fault.
   *
   * @param atMs offset from the start of the run
   * @param kind what happens
   * @param dock the dock's index (EDGE_KILL, PARTITION), else -1
   * @param durationMs how long the dock stays down or cut off; for a hub kill, how long it stays down;
   *     for a restore, how long after its backup the dock is restored from it
   * @param withPostgres a hub kill takes its PostgreSQL with it (else the JVM alone dies)
   */
  record Fault(long atMs, Kind kind, int dock, long durationMs, boolean withPostgres) {}

  static Schedule of(long seed, int docks, int seconds) {
    return of(seed, docks, seconds, false);
  }

  /**
   * With {@code restores}, also backups restored later (drawn from a source of their own, so the
   * other faults of a seed stay what they are without them).
   */
  static Schedule of(long seed, int docks, int seconds, boolean restores) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    long run = seconds * 1000L;
    long from = run / 10;
    long to = run * 7 / 10;
    int hubKills = Math.max(1, seconds / 60);
    int edgeKills = Math.max(1, seconds * docks / 40);
    int partitions = Math.max(2, seconds * docks / 60);
    long longestCut = Math.max(1500, Math.min(run * 15 / 100, 20_000));
    List<Fault> faults = new ArrayList<>();
    // a restarted hub replays PostgreSQL's log before it serves (seconds): its kills come early enough
    // that it has long been back when the run ends
    long hubTo = run * 4 / 10;
    for (int i = 0; i < hubKills; i++) {
      faults.add(new Fault(between(r, from, hubTo), Kind.HUB_KILL, -1, r.nextInt(2000), r.nextBoolean()));
    }
    for (int i = 0; i < edgeKills; i++) {
      faults.add(new Fault(between(r, from, to), Kind.EDGE_KILL, r.nextInt(docks), 200 + r.nextInt(2800), false));
    }
    for (int i = 0; i < partitions; i++) {
      faults.add(new Fault(between(r, from, to), Kind.PARTITION, r.nextInt(docks), between(r, 1000, longestCut), false));
    }
    if (restores) {
      Random b = new Random(seed ^ 0xB4C5B4C5L);
      for (int i = 0; i < Math.max(1, seconds * docks / 120); i++) {
        faults.add(new Fault(between(b, from, run * 6 / 10), Kind.RESTORE, b.nextInt(docks),
            between(b, 2000, Math.max(2500, run * 15 / 100)), false));
      }
    }
    faults.sort(Comparator.comparingLong(Fault::atMs));
    return new Schedule(List.copyOf(faults));
  }

  private static long between(Random r, long from, long to) {
    return from + (long) (r.nextDouble() * (to - from));
  }
}
