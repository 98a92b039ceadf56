package io.tracetrack.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** F-SCAN 4: undo removes the most recent link made at a station within the last hour. */
public final class UndoRules {

  /** How far back an undo may reach. */
  public static final Duration UNDO_WINDOW = Duration.ofHours(1);

  private UndoRules() {}

  /**
   * Whether the link made at {@code linkedAt} may still be undone at {@code now}.
   *
   * @param childCode the child of that link, named in the message
   */
  public static Optional<Rejection> check(String childCode, Instant linkedAt, Instant now) {
    // a clock that went backwards makes the link look recent, which is the harmless reading
    if (Duration.between(linkedAt, now).compareTo(UNDO_WINDOW) > 0) {
      return Optional.of(
          Rejection.of(
              ErrorCode.UNDO_WINDOW_EXPIRED,
              "The last link here (" + childCode + ") is more than an hour old; undo is not allowed",
              childCode));
    }
    return Optional.empty();
  }

  /** The rejection when a station has made no link it could undo. */
  public static Rejection nothingToUndo() {
    return Rejection.of(ErrorCode.NOTHING_TO_UNDO, "Nothing to undo at this station");
  }
}
