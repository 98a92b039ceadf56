package io.tracetrack.edge.sync;

import io.tracetrack.sync.SnapshotLine;

/**
 * Takes a snapshot's lines in order for {@link SnapshotLoad}, which writes them: a Begin line
 * first and only once, no line after the End line, and an End line that names the Begin line's
 * cursor and the number of lines that came. Only a stream that passed all of it is put in force;
 * one that stopped short leaves the replica in force as it was.
 */
final class SnapshotStream implements SyncStore.SnapshotLoader {

  private final SnapshotLoad load;
  private SnapshotLine.Begin begin;
  private SnapshotLine.End end;
  private long loaded;

  SnapshotStream(SnapshotLoad load) {
    this.load = load;
  }

  @Override
  public void accept(SnapshotLine line) {
    if (end != null) {
      throw new IllegalStateException("a snapshot line after its End line");
    }
    if (begin == null && !(line instanceof SnapshotLine.Begin)) {
      throw new IllegalStateException("a snapshot must start with its Begin line");
    }
    switch (line) {
      case SnapshotLine.Begin b -> {
        if (begin != null) {
          throw new IllegalStateException("a second Begin line");
        }
        begin = b;
        load.begin();
      }
      case SnapshotLine.BagRow b -> {
        loaded++;
        load.bag(b);
      }
      case SnapshotLine.UserRow u -> {
        load.user(u.user());
        loaded++;
      }
      case SnapshotLine.ConflictRow c -> {
        load.conflict(c);
        loaded++;
      }
      case SnapshotLine.End e -> {
        if (e.cursor() != begin.cursor() || e.lines() != loaded) {
          throw new IllegalStateException("snapshot End says cursor " + e.cursor() + " and " + e.lines()
              + " lines; Begin said cursor " + begin.cursor() + " and " + loaded + " lines came");
        }
        end = e;
      }
    }
  }

  @Override
  public SyncStore.Progress progress() {
    return new SyncStore.Progress(loaded, begin == null ? 0 : begin.bags() + begin.users() + begin.conflicts());
  }

  @Override
  public void finish() {
    if (end == null) {
      throw new IllegalStateException("the snapshot stopped short (" + loaded + " of " + progress().total()
          + " lines, no End line): the replica in force is unchanged");
    }
    load.finish(end.cursor());
  }

  @Override
  public void close() {
    load.close();
  }
}
