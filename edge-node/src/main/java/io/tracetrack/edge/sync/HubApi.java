package io.tracetrack.edge.sync;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The dock's side of the sync API, as the sync loop sees it: the one seam between the loop
 * ({@link SyncSteps}, {@link SyncWorker}, {@code sync --once}) and the way calls reach a hub. The
 * product speaks HTTP ({@link HubClient}); the seeded simulator in the {@code simulation} module
 * delivers the same calls through a simulated network to the hub's own classes in the same JVM.
 * Nothing here throws for the network: every call answers a {@link Result}.
 */
public interface HubApi {

  /** What a call came to. */
  public sealed interface Result<T> {
    record Ok<T>(T value) implements Result<T> {}

    /**
     * The hub refused the call (a 4xx but 429, with its problem code): a revoked dock
     * ({@code DOCK_REVOKED}), a credential it does not know ({@code UNAUTHENTICATED}), a request it
     * cannot read. Sending the same again will not help.
     */
    record Refused<T>(int status, String code, String detail) implements Result<T> {
      /** The credential itself is no good: the dock must be enrolled again. */
      public boolean credentialRefused() {
        return ErrorCode.DOCK_REVOKED.name().equals(code) || ErrorCode.UNAUTHENTICATED.name().equals(code);
      }
    }

    /** No usable answer: worth trying again later, nothing was lost. */
    record Unreachable<T>(String why) implements Result<T> {}
  }

  /** A change page, or the hub saying it no longer holds the cursor asked for. */
  public sealed interface Pulled {
    record Page(ChangePage page) implements Pulled {}

    record SnapshotRequired(String detail) implements Pulled {}
  }

  /** The hub this talks to (for messages). */
  URI hub();

  /** {@code POST /api/v1/sync/push}: the hub's outcome of each op. */
  Result<PushReply> push(PushBatch batch);

  /** {@code GET /api/v1/sync/changes}: entries after {@code after}; {@code waitMs > 0} long-polls. */
  Result<Pulled> changes(long after, int limit, int waitMs);

  /** {@code GET /api/v1/sync/snapshot}, streamed line by line to {@code lines}; answers the lines taken. */
  Result<Long> snapshot(Consumer<SnapshotLine> lines);

  /** {@code POST /api/v1/sync/conflicts/{id}/ack}. */
  Result<Long> ack(long conflictId);
}
