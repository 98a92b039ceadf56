package io.tracetrack.edge.scan.archfixture;

import io.tracetrack.edge.sync.SyncStore;

/** A class of the scan path reaching into sync: the arrow pointing the wrong way. */
public final class ScanIntoSync {
  String name() {
    return SyncStore.class.getSimpleName();
  }
}
