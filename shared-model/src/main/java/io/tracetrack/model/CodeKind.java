package io.tracetrack.model;

import java.util.Objects;

/** What a normalised code is under the deployment's {@link CodeGrammar}. */
public sealed interface CodeKind {

  /**
   * A parent bag code.
   *
   * @param code the code
   * @param expectedCount the count printed in the code ({@code P123-10} → 10), or {@code null}
   * @param limit children it may hold: the expected count, else {@link ParentLimits#MAX_CHILDREN}
   */
  record Parent(String code, Integer expectedCount, int limit) implements CodeKind {
    public Parent {
      Objects.requireNonNull(code, "code");
      if (limit < 1 || limit > ParentLimits.MAX_CHILDREN) {
        throw new IllegalArgumentException("limit must be 1.." + ParentLimits.MAX_CHILDREN + ": " + limit);
      }
      if (expectedCount != null && expectedCount != limit) {
        throw new IllegalArgumentException("limit must equal the expected count when there is one");
      }
    }
  }

  /** A child bag code. */
  record Child(String code) implements CodeKind {
    public Child {
      Objects.requireNonNull(code, "code");
    }
  }

  /** A printed station command (UNDO, FINISH, CANCEL). */
  record Command(StationCommand command) implements CodeKind {
    public Command {
      Objects.requireNonNull(command, "command");
    }
  }

  /** Valid characters, but not a code this deployment knows. */
  record NotACode(Rejection rejection) implements CodeKind {
    public NotACode {
      Objects.requireNonNull(rejection, "rejection");
    }
  }
}
