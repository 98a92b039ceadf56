package io.tracetrack.hub.log.archfixture;

import io.tracetrack.hub.sync.Docks;

/** A class of the change-log package reaching up into a feature: the bottom depending on the top. */
public final class LogIntoSync {
  String name() {
    return Docks.class.getSimpleName();
  }
}
