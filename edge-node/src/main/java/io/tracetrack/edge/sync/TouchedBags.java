package io.tracetrack.edge.sync;

import io.tracetrack.sync.Op;
import java.util.List;

/** Which bags an op is about: what a rebase after it, and a conflict's record of it, name. */
final class TouchedBags {

  private TouchedBags() {}

  /** The bags an op touches: both ends of a link or unlink, the parent otherwise. */
  static List<String> of(Op op) {
    return switch (op) {
      case Op.CreateParent c -> List.of(c.parent());
      case Op.Link l -> List.of(l.parent(), l.child());
      case Op.Unlink u -> List.of(u.parent(), u.child());
      case Op.Finish f -> List.of(f.parent());
    };
  }
}
