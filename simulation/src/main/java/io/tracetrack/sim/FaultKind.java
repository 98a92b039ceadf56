package io.tracetrack.sim;

import java.util.EnumSet;
import java.util.Set;

/**
 * The faults a seed may inject, each switchable ({@code --faults kind,kind}). The names are the
 * command line's and the JSON line's.
 */
enum FaultKind {
  /** A request lost on the way to the hub, or its reply lost on the way back (after the hub acted). */
  DROP("drop"),
  /** A request delivered twice: at once and again later (the second one out of order). */
  DUPLICATE("duplicate"),
  /** A request held in the network and delivered later, after newer ones; the dock's call times out. */
  DELAY("delay"),
  /** A dock's process dies and starts again on the same folder (only what was committed survives). */
  CRASH("crash"),
  /** New hub objects on the same database (an instance restart). */
  HUB_RESTART("hubRestart"),
  /** A dock cut off from the hub for a while (any length). */
  PARTITION("partition"),
  /** A dock's database copied aside and later put back (an operator restores a backup). */
  RESTORE("restore"),
  /** The hub prunes its change log, between calls or in the middle of a reader's call. */
  PRUNE("prune"),
  /** A dock's clock a day ahead or behind for a while. */
  CLOCK_SKEW("clockSkew"),
  /** An admin moves a user to the other area. */
  USER_MOVE("userMove"),
  /** An admin disables a user (and may enable them again). */
  USER_DISABLE("userDisable"),
  /** An admin revokes a dock; later the dock is enrolled again with a new code. */
  REVOKE("revoke"),
  /** A dock's data folder copied to set up a second dock. */
  FOLDER_COPY("folderCopy"),
  /** Docks scan bags of the other area too. */
  CROSS_AREA("crossArea"),
  /** Dock, station and user names at their maximum length (64). */
  MAX_NAMES("maxNames"),
  /** An admin resolves an open conflict: MOVE, KEEP or DISMISS. */
  RESOLVE("resolve"),
  /** A malformed row in the change log, put there with SQL. */
  BAD_CHANGE("badChange"),
  /**
   * A biller puts a parent on a bill and finalizes it: docks must then be refused links to it, and
   * nothing on it may change (DESIGN invariant 4). Not in the standard mix (it would reshuffle the
   * standard seeds, whose catches are recorded); CI runs it in a run of its own.
   */
  FINALIZE("finalize");

  /** The standard mix: every kind but {@link #FINALIZE}. */
  static Set<FaultKind> standard() {
    return EnumSet.complementOf(EnumSet.of(FINALIZE));
  }

  final String wire;

  FaultKind(String wire) {
    this.wire = wire;
  }

  static FaultKind parse(String name) {
    for (FaultKind k : values()) {
      if (k.wire.equalsIgnoreCase(name.strip()) || k.name().equalsIgnoreCase(name.strip())) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fault kind '" + name + "' (known: " + names() + ")");
  }

  static Set<FaultKind> parseList(String list) {
    Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        kinds.add(parse(part));
      }
    }
    return kinds;
  }

  static String names() {
    StringBuilder b = new StringBuilder();
    for (FaultKind k : values()) {
      b.append(b.isEmpty() ? "" : ",").append(k.wire);
    }
    return b.toString();
  }
}
