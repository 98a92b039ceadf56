package io.tracetrack.edge.sync;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * {@code sync --once}: push everything pending, pull everything new without waiting (a snapshot
 * first if the replica needs one), and say what it came to. The same steps as the
 * {@link SyncWorker}, run once, so it can run beside a serving dock on the same folder (a batch
 * both send is answered DUPLICATE the second time).
 */
public final class SyncOnce {

  /** What one run came to. */
  public sealed interface Outcome {
    /** The line {@code sync --once} prints. */
    record Done(int pushed, int applied, int duplicates, int rejected, long pulled, long pendingOps, int openConflicts)
        implements Outcome {}

    /** The hub could not be reached; whatever was pending still is. */
    record Unreachable(String why) implements Outcome {}

    /** The hub refused this dock (credential revoked or unknown, a request it cannot read). */
    record Refused(int status, String code, String detail, boolean credentialRefused) implements Outcome {}
  }

  private SyncOnce() {}

  public static Outcome run(SyncStore store, HubApi hub, Clock clock, String version, Consumer<String> console) {
    return run(store, hub, clock, version, console, null);
  }

  /**
   * As {@link #run(SyncStore, HubApi, Clock, String, Consumer)}, with push calls run by
   * {@code pushCalls} (null: a virtual thread each, as the product does). The seeded simulator
   * passes a direct executor so a run is deterministic.
   */
  public static Outcome run(SyncStore store, HubApi hub, Clock clock, String version, Consumer<String> console,
      java.util.concurrent.Executor pushCalls) {
    SyncSteps steps = pushCalls == null ? new SyncSteps(store, hub, clock, version, console)
        : new SyncSteps(store, hub, clock, version, console, pushCalls);
    // first who the hub takes this dock for: after a restored backup, scans must go past its last seq
    switch (steps.hello()) {
      case HubClient.Result.Ok<Boolean> ok -> { }
      case HubClient.Result.Refused<Boolean> r -> {
        return refused(r);
      }
      case HubClient.Result.Unreachable<Boolean> u -> {
        return new Outcome.Unreachable(u.why());
      }
    }
    SyncSteps.Pushed pushed;
    switch (steps.pushAll()) {
      case HubClient.Result.Ok<SyncSteps.Pushed>(SyncSteps.Pushed p) -> pushed = p;
      case HubClient.Result.Refused<SyncSteps.Pushed> r -> {
        return refused(r);
      }
      case HubClient.Result.Unreachable<SyncSteps.Pushed> u -> {
        return new Outcome.Unreachable(u.why());
      }
    }
    long pulled;
    switch (steps.pullAll(0)) {
      case HubClient.Result.Ok<Long>(Long p) -> pulled = p;
      case HubClient.Result.Refused<Long> r -> {
        return refused(r);
      }
      case HubClient.Result.Unreachable<Long> u -> {
        return new Outcome.Unreachable(u.why());
      }
    }
    SyncStore.SyncStatus status = store.status(clock.instant());
    return new Outcome.Done(pushed.pushed(), pushed.applied(), pushed.duplicates(), pushed.rejected(), pulled,
        status.pendingOps(), status.openConflicts());
  }

  /**
   * Only the push half: everything pending, as the worker's push loop sends it; {@code pulled} is
   * 0. For a caller that times the halves apart (the benchmark).
   */
  public static Outcome push(SyncStore store, HubApi hub, Clock clock, String version) {
    SyncSteps steps = new SyncSteps(store, hub, clock, version, line -> { });
    return switch (steps.pushAll()) {
      case HubClient.Result.Ok<SyncSteps.Pushed>(SyncSteps.Pushed p) -> {
        SyncStore.SyncStatus status = store.status(clock.instant());
        yield new Outcome.Done(p.pushed(), p.applied(), p.duplicates(), p.rejected(), 0, status.pendingOps(),
            status.openConflicts());
      }
      case HubClient.Result.Refused<SyncSteps.Pushed> r -> refused(r);
      case HubClient.Result.Unreachable<SyncSteps.Pushed> u -> new Outcome.Unreachable(u.why());
    };
  }

  private static Outcome refused(HubClient.Result.Refused<?> r) {
    return new Outcome.Refused(r.status(), r.code(), r.detail(), r.credentialRefused());
  }
}
