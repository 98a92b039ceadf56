package io.tracetrack.sync;

import java.util.List;

/**
 * An answer to {@code GET /api/v1/sync/changes?after=n}: entries after {@code n}, in position order.
 *
 * @param next the cursor to read on from (the last entry's position, or {@code n} if none)
 * @param head the newest position the hub holds: {@code next < head} means more is waiting
 */
public record ChangePage(List<ChangeEntry> entries, long next, long head) {

  public ChangePage {
    entries = List.copyOf(entries);
  }
}
