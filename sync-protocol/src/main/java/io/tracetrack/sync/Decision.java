package io.tracetrack.sync;

import io.tracetrack.model.Rejection;
import java.util.List;
import java.util.Objects;

/** The Reconciler's verdict on one op. */
public sealed interface Decision {

  /**
   * Apply these effects. An empty list is a valid no-op (a parent that already exists).
   *
   * @param note a conflict worth recording although the op stands (a different expected count
   *     for the same code), or {@code null}
   */
  record Accepted(List<Effect> effects, Rejection note) implements Decision {
    public Accepted {
      effects = List.copyOf(effects);
    }

    public static Accepted of(Effect... effects) {
      return new Accepted(List.of(effects), null);
    }
  }

  /** Refused; nothing changes. */
  record Rejected(Rejection rejection) implements Decision {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }
  }
}
