package io.tracetrack.hub.write.archfixture;

import io.tracetrack.hub.bag.BagService;

/** A class of the write path reaching up into a feature that writes through it: a cycle in waiting. */
public final class WriteIntoBag {
  String name() {
    return BagService.class.getSimpleName();
  }
}
