package io.tracetrack.sync;

import java.util.Objects;

/**
 * One line of a snapshot ({@code GET /api/v1/sync/snapshot}, newline-delimited JSON): what a new
 * dock, or one whose cursor the hub no longer holds, loads before it follows the change log. A
 * snapshot is whole only if it ends with {@link End}; a dock discards one that stops short.
 */
public sealed interface SnapshotLine {

  /** First line: the change-log position the snapshot is consistent with, and what follows. */
  record Begin(long cursor, long bags, long users, long conflicts) implements SnapshotLine {}

  /**
   * A bag as the hub holds it (a dock's replica needs no more).
   *
   * @param area the bag's dispatch area, or null when the hub does not say (an older hub): the dock
   *     refuses scans onto another area's parent only when it knows
   */
  record BagRow(String code, String role, Integer expectedCount, int limit, int childCount, String parent,
      boolean finished, boolean onFinalizedBill, String area) implements SnapshotLine {
    public BagRow {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(role, "role");
    }

    /** A row without its area (as hubs before 2026-12 wrote it). */
    public BagRow(String code, String role, Integer expectedCount, int limit, int childCount, String parent,
        boolean finished, boolean onFinalizedBill) {
      this(code, role, expectedCount, limit, childCount, parent, finished, onFinalizedBill, null);
    }
  }

  /** A user of the dock's area. */
  record UserRow(Change.User user) implements SnapshotLine {
    public UserRow {
      Objects.requireNonNull(user, "user");
    }
  }

  /** A conflict of this dock, and its state ({@code OPEN}, or the action that closed it). */
  record ConflictRow(Change.ConflictOpened conflict, String status) implements SnapshotLine {
    public ConflictRow {
      Objects.requireNonNull(conflict, "conflict");
      Objects.requireNonNull(status, "status");
    }
  }

  /** Last line: the same cursor as {@link Begin}, and how many lines came between. */
  record End(long cursor, long lines) implements SnapshotLine {}
}
