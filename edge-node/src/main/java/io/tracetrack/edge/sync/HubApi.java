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

    /**
     * No usable answer: worth trying again later, nothing was lost.
     *
     * @param retryAfter how long the hub asked to be left alone (Retry-After of a 429 or 503), or null
     */
    record Unreachable<T>(String why, java.time.Duration retryAfter) implements Result<T> {
      public Unreachable(String why) {
        this(why, null);
      }
    }
  }

  /** A change page, or the hub saying it no longer holds the cursor asked for. */
  public sealed interface Pulled {
    record Page(ChangePage page) implements Pulled {}

    record SnapshotRequired(String detail) implements Pulled {}

    /**
     * The hub answered, but not with a page this dock can read (an unreadable entry broke the
     * page's JSON): the hub's fault, not the network's. The dock reports it as a pull error at its
     * cursor and recovers through a snapshot.
     */
    record Unreadable(String reason) implements Pulled {}
  }

  /**
   * The hub's {@code GET /api/v1/sync/hello}: who it takes this dock for.
   *
   * @param area the dock's area, or null
   * @param lastSeq the last seq the hub holds from this edge, or null from a hub that does not say
   */
  record Hello(String dock, String area, String edgeId, java.time.Instant hubTime, Long lastSeq) {}

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

  /**
   * {@code POST /api/v1/sync/receipts}: a receipt this dock closed; answers the hub's number for it.
   * A hub without receiving answers 404 {@code NOT_FOUND} (one without the bill: {@code BILL_NOT_FOUND}).
   */
  default Result<Long> receipt(io.tracetrack.sync.ReceiptReport receipt) {
    return new Result.Refused<>(404, ErrorCode.NOT_FOUND.name(), "this hub does not take receipts");
  }

  /**
   * {@code GET /api/v1/sync/hello}: called when the worker starts and when the hub is reachable
   * again. A hub without it answers 404 (a refusal the caller takes as "nothing to learn").
   */
  default Result<Hello> hello() {
    return new Result.Refused<>(404, ErrorCode.NOT_FOUND.name(), "this hub has no hello");
  }
}
