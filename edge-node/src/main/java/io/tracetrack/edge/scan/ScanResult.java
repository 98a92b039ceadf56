package io.tracetrack.edge.scan;

import io.tracetrack.model.CodeProblem;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.ParentFacts;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.StationCommand;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer to one scan, identical for the page, the JSON endpoint and terminal capture. An
 * ACCEPTED result is only ever built after the transaction holding its effect committed.
 *
 * @param code the normalised code, or {@code null} when the input was not a code
 * @param outcome ACCEPTED, REJECTED, or IGNORED (a scanner bounce)
 * @param accepted {@code outcome == ACCEPTED}, spelled out for scripts
 * @param kind what the code was
 * @param reason stable reason code when not accepted ({@code BOUNCE} for a bounce)
 * @param detail finer reason for INVALID_CODE
 * @param message a sentence for the person at the dock, naming the other bag where there is one
 * @param otherBag the other bag involved, or {@code null}
 * @param parent the parent the station is on after this scan, or {@code null} (parent mode)
 * @param count children on that parent
 * @param limit that parent's limit
 * @param complete that parent is complete
 * @param mode PARENT (next scan should be a parent) or CHILD
 * @param pendingFinish a FINISH awaits its confirmation
 * @param command the command scanned, if any
 * @param at when the scan was taken
 * @param seq the outbox sequence of the op this scan produced, or {@code null}
 */
public record ScanResult(
    String code,
    Outcome outcome,
    boolean accepted,
    Kind kind,
    ErrorCode reason,
    CodeProblem detail,
    String message,
    String otherBag,
    String parent,
    int count,
    int limit,
    boolean complete,
    Mode mode,
    boolean pendingFinish,
    StationCommand command,
    Instant at,
    Long seq) {

  public enum Outcome { ACCEPTED, REJECTED, IGNORED }

  public enum Kind { PARENT, CHILD, COMMAND, INVALID }

  public enum Mode { PARENT, CHILD }

  public ScanResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(at, "at");
    if (accepted != (outcome == Outcome.ACCEPTED)) {
      throw new IllegalArgumentException("accepted must mirror outcome");
    }
  }

  /** Where the station stands, copied into every result so any client can redraw from it. */
  record Progress(String parent, int count, int limit, boolean complete, boolean pendingFinish) {
    static final Progress NONE = new Progress(null, 0, 0, false, false);

    static Progress of(ParentFacts facts, boolean pendingFinish) {
      return new Progress(facts.code(), facts.childCount(), facts.limit(), facts.isComplete(), pendingFinish);
    }

    Mode mode() {
      return parent == null ? Mode.PARENT : Mode.CHILD;
    }
  }

  static ScanResult accepted(String code, Kind kind, StationCommand command, String message, Progress p, Instant at, Long seq) {
    return new ScanResult(code, Outcome.ACCEPTED, true, kind, null, null, message, null, p.parent(), p.count(),
        p.limit(), p.complete(), p.mode(), p.pendingFinish(), command, at, seq);
  }

  static ScanResult rejected(String code, Kind kind, StationCommand command, Rejection r, Progress p, Instant at) {
    return new ScanResult(code, Outcome.REJECTED, false, kind, r.code(), r.detail(), r.message(), r.otherBag(),
        p.parent(), p.count(), p.limit(), p.complete(), p.mode(), p.pendingFinish(), command, at, null);
  }

  static ScanResult bounce(String code, Kind kind, Progress p, Instant at) {
    return new ScanResult(code, Outcome.IGNORED, false, kind, ErrorCode.BOUNCE, null,
        "Scanner bounce: " + code + " again within the bounce window, ignored", null, p.parent(), p.count(),
        p.limit(), p.complete(), p.mode(), p.pendingFinish(), null, at, null);
  }
}
