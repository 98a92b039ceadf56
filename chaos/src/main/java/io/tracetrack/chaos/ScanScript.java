package io.tracetrack.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What one dock's scanner sends, drawn from the seed and the dock's number only (never from the
 * answers), so a seed replays the same scans. Parents and children of its own; a small pool of
 * parents and children every dock scans, so docks link the same child to different parents and fill
 * the same parents past their limits while cut off; UNDO; FINISH scanned twice (ask, confirm); and
 * reopening an earlier parent. A dock's own parents expect 1–6 children, so they fill up often.
 */
final class ScanScript {

  static final String UNDO = "CMD-UNDO";
  static final String FINISH = "CMD-FINISH";
  static final int SHARED_PARENTS = 6;
  static final int SHARED_CHILDREN = 24;
  /** The shared parents' expected counts: small ones fill up at once, large ones collect the same child from two docks. */
  private static final int[] SHARED_COUNTS = {2, 3, 4, 10, 20, 30};

  private final Random random;
  private final int dockNo;
  private final List<String> parents = new ArrayList<>();
  private int nextParent;
  private int nextChild;

  /** One step: the codes scanned one after the other, then a pause. */
  record Step(List<String> codes, long thinkMs) {}

  ScanScript(long seed, int dockIndex) {
    this.random = new Random(seed * 1_000_003L + dockIndex + 1);
    this.dockNo = dockIndex + 1;
  }

  Step next() {
    int roll = random.nextInt(100);
    List<String> codes;
    if (roll < 10 || parents.isEmpty()) {
      String parent = String.format(Locale.ROOT, "P%d%06d-%d", dockNo, nextParent++, 1 + random.nextInt(6));
      parents.add(parent);
      codes = List.of(parent);
    } else if (roll < 15) {
      int i = random.nextInt(SHARED_PARENTS);
      codes = List.of(String.format(Locale.ROOT, "P0%03d-%d", i, SHARED_COUNTS[i]));
    } else if (roll < 20) {
      codes = List.of(parents.get(random.nextInt(parents.size())));
    } else if (roll < 72) {
      codes = List.of(String.format(Locale.ROOT, "C%d%06d", dockNo, nextChild++));
    } else if (roll < 86) {
      codes = List.of(String.format(Locale.ROOT, "C0%03d", random.nextInt(SHARED_CHILDREN)));
    } else if (roll < 94) {
      codes = List.of(UNDO);
    } else {
      codes = List.of(FINISH, FINISH);
    }
    return new Step(codes, 20 + random.nextInt(80));
  }
}
