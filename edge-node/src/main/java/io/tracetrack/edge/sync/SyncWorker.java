package io.tracetrack.edge.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The background sync of a serving dock: a push loop and a pull loop, each on its own virtual
 * thread, so a long poll of the pull never holds back a push. It is never on the scan path: a scan
 * commits locally and calls {@link #nudge()}, which only releases a permit; the push loop wakes
 * and sends. Unreachable hub: capped exponential backoff with full jitter, for as long as it takes
 * (days); a refused credential: a long pause, with the reason in the status, instead of hammering
 * the hub with a credential it will never take.
 */
public final class SyncWorker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SyncWorker.class.getName());

  /** A long poll waits this long for something new before it answers empty. */
  public static final int LONG_POLL_MS = 25_000;
  /** Without a nudge the push loop still looks every tick (a gap the hub held, a missed nudge). */
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(30);
  /** After a refusal (revoked, unknown credential, a batch the hub cannot read) the loop waits this long. */
  public static final Duration REFUSED_PAUSE = Duration.ofMinutes(5);
  /** An empty long poll that came back at once (a hub that does not wait) must not spin the loop. */
  static final Duration EMPTY_POLL_PAUSE = Duration.ofMillis(250);
  /** The longest Retry-After honoured: a hub asking for more is waited out this long, then asked again. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** How the loops wait between rounds: the real one sleeps, a test's records. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** What a loop does after a round. */
  sealed interface Next {
    /** Caught up: wait for a nudge or the tick. */
    record Idle() implements Next {}

    /** Go on at once. */
    record Again() implements Next {}

    /** Wait this long, then go on. */
    record Retry(Duration after) implements Next {}
  }

  private final SyncSteps steps;
  private final Backoff pushBackoff;
  private final Backoff pullBackoff;
  private final Sleeper sleeper;
  private final Duration tick;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running;
  /** Guards {@link #pushBackingOff}: the pull loop may cut a push backoff short only while it sleeps. */
  private final Object pushSleep = new Object();
  private boolean pushBackingOff;
  /**
   * Guards the pull loop's state as the push loop sees it: whether it sleeps out a backoff, whether
   * it waits in a long poll, and the outage count when that poll began. A poll that began before
   * the hub was last found unreachable may hang on a dead connection: once the hub answers again
   * it is cut, and the pull loop asks anew at once.
   */
  private final Object pullState = new Object();
  private boolean pullBackingOff;
  private boolean pullPolling;
  private long pollOutage;
  private boolean pollCut;
  /** How many times the hub was found unreachable; a poll begun before the latest one is stale. */
  private long outages;
  /**
   * Hello is due: at start, and after the hub was unreachable. While it is due the push loop asks
   * for it (a cheap call) every backoff, pending ops or not, so a heal is noticed within about
   * {@link Backoff#CAP}, never after a stale long poll times out.
   */
  private volatile boolean helloDue = true;
  private Thread pushThread;
  private Thread pullThread;

  /**
   * @param random the jitter's source (a seeded one in tests)
   * @param console where bootstrap progress goes (the serving dock's standard output)
   */
  public SyncWorker(SyncStore store, HubApi hub, Clock clock, String version, RandomGenerator random, Sleeper sleeper,
      Duration tick, Consumer<String> console) {
    this.steps = new SyncSteps(store, hub, clock, version, console);
    this.pushBackoff = Backoff.standard(random);
    this.pullBackoff = Backoff.standard(random);
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.tick = Objects.requireNonNull(tick, "tick");
  }

  /** A worker that really sleeps, with the default tick. */
  public static SyncWorker standard(SyncStore store, HubApi hub, Clock clock, String version, Consumer<String> console) {
    return new SyncWorker(store, hub, clock, version, RandomGenerator.getDefault(), Thread::sleep, DEFAULT_TICK, console);
  }

  /** Starts both loops. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    // both threads exist before either runs: each loop reaches for the other's thread (to cut a
    // stale poll or a backoff), and one started before the other was assigned would find null
    // and leave a poll hung on a dead connection (seen under load in SyncRepairTest.Heal)
    pushThread = Thread.ofVirtual().name("sync-push").unstarted(() -> loop("push", this::pushRound, true));
    pullThread = Thread.ofVirtual().name("sync-pull").unstarted(() -> loop("pull", this::pullRound, false));
    pushThread.start();
    pullThread.start();
  }

  /**
   * A new op was committed: push soon. Cheap and never blocking, so the scan path can call it after
   * every commit; a nudge while a push runs makes the loop look once more after it.
   */
  public void nudge() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** The snapshot being loaded right now, if one is (for status and the station page). */
  public Optional<SyncStore.Progress> bootstrap() {
    return steps.bootstrap();
  }

  /** Stops both loops: a push or poll under way is interrupted; nothing is lost (the outbox keeps it). */
  @Override
  public void close() {
    Thread push;
    Thread pull;
    synchronized (this) {
      running = false;
      push = pushThread;
      pull = pullThread;
    }
    for (Thread t : new Thread[] {push, pull}) {
      if (t != null) {
        t.interrupt();
      }
    }
    for (Thread t : new Thread[] {push, pull}) {
      if (t != null) {
        try {
          t.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void loop(String name, java.util.function.Supplier<Next> round, boolean wakesOnNudge) {
    while (running) {
      Next next;
      try {
        next = round.get();
      } catch (RuntimeException e) {
        // a store failure (the disk, a lock held too long): log it and retry later; the loop must live on
        LOG.log(Level.WARNING, "sync " + name + " failed; retrying", e);
        next = new Next.Retry((wakesOnNudge ? pushBackoff : pullBackoff).next());
      }
      try {
        switch (next) {
          case Next.Idle idle -> {
            if (wakesOnNudge) {
              wake.tryAcquire(tick.toMillis(), TimeUnit.MILLISECONDS);
              wake.drainPermits();
            }
          }
          case Next.Again again -> { }
          case Next.Retry retry -> {
            if (wakesOnNudge) {
              backOffPush(retry.after());
            } else {
              // a refusal's pause is not cut short: the hub answered, and said no
              backOffPull(retry.after(), !retry.after().equals(REFUSED_PAUSE));
            }
          }
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  /**
   * The push loop's backoff after a failure. The pull loop cuts it short when it reaches the hub
   * again ({@link #hubReached}): a dock whose hub was down for an hour must not wait out a minute of
   * backoff with its scans pending once the hub is back. Only the sleep itself is interrupted, never
   * a push under way (the flag is set and cleared under the lock the pull loop interrupts under).
   */
  private void backOffPush(Duration after) throws InterruptedException {
    synchronized (pushSleep) {
      pushBackingOff = true;
    }
    try {
      sleeper.sleep(after);
    } finally {
      synchronized (pushSleep) {
        pushBackingOff = false;
        // an interrupt that came as the sleep ended must not hit the next push's HTTP call
        if (Thread.interrupted() && !running) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The pull loop's backoff; the push loop cuts it short when it reaches the hub again. */
  private void backOffPull(Duration after, boolean cuttable) throws InterruptedException {
    synchronized (pullState) {
      pullBackingOff = cuttable;
    }
    try {
      sleeper.sleep(after);
    } finally {
      synchronized (pullState) {
        pullBackingOff = false;
        if (Thread.interrupted() && !running) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The hub was found unreachable (by either loop): hello is due, and a poll begun before now is stale. */
  private void hubLost() {
    synchronized (pullState) {
      outages++;
    }
    if (!helloDue) {
      helloDue = true;
      nudge();
    }
  }

  /**
   * The push loop reached the hub again: a pull sleeping out a backoff goes now, and a long poll
   * begun before the outage (it may hang on a connection the partition killed) is cut.
   */
  private void hubReachedByPush() {
    synchronized (pullState) {
      if (pullThread != null && (pullBackingOff || (pullPolling && pollOutage < outages))) {
        pollCut = pullPolling;
        pullThread.interrupt();
      }
    }
  }

  /** The pull loop reached the hub: a push waiting out a backoff goes now. */
  private void hubReached() {
    synchronized (pushSleep) {
      if (pushBackingOff && pushThread != null) {
        pushThread.interrupt();
      }
    }
  }

  /** One round of the push loop: hello when due, everything pending, then what to do next. */
  Next pushRound() {
    wake.drainPermits();
    if (helloDue) {
      switch (steps.hello()) {
        case HubClient.Result.Ok<Boolean> ok -> {
          helloDue = false;
          hubReachedByPush();
        }
        case HubClient.Result.Refused<Boolean> r -> {
          return refused(r);
        }
        case HubClient.Result.Unreachable<Boolean> u -> {
          hubLost();
          return retry(pushBackoff, u);
        }
      }
    }
    return switch (steps.pushAll()) {
      case HubClient.Result.Ok<SyncSteps.Pushed>(SyncSteps.Pushed pushed) -> {
        pushBackoff.reset();
        if (pushed.pushed() > 0) {
          hubReachedByPush(); // only a push that reached the hub says it answers
        }
        yield new Next.Idle();
      }
      case HubClient.Result.Refused<SyncSteps.Pushed> r -> refused(r);
      case HubClient.Result.Unreachable<SyncSteps.Pushed> u -> {
        hubLost();
        yield retry(pushBackoff, u);
      }
    };
  }

  /** One round of the pull loop: a long poll, then everything up to the head. */
  Next pullRound() {
    synchronized (pullState) {
      pullPolling = true;
      pollOutage = outages;
      pollCut = false;
    }
    HubClient.Result<Long> pulled;
    boolean cut;
    try {
      pulled = steps.pullAll(LONG_POLL_MS);
    } finally {
      synchronized (pullState) {
        pullPolling = false;
        cut = pollCut;
        pollCut = false;
        if (cut) {
          Thread.interrupted(); // the cut was for the poll, not for whatever comes next
        }
      }
    }
    return switch (pulled) {
      case HubClient.Result.Ok<Long>(Long n) -> {
        pullBackoff.reset();
        hubReached();
        yield n == 0 ? new Next.Retry(EMPTY_POLL_PAUSE) : new Next.Again();
      }
      case HubClient.Result.Refused<Long> r -> refused(r);
      // a stale poll cut because the hub answers again: ask anew at once
      case HubClient.Result.Unreachable<Long> u when cut -> new Next.Again();
      case HubClient.Result.Unreachable<Long> u -> {
        hubLost();
        yield retry(pullBackoff, u);
      }
    };
  }

  /**
   * The wait after no usable answer: the backoff (full jitter, at most {@link Backoff#CAP}), or
   * longer when the hub asked for it (Retry-After on a 429 or 503), up to {@link #MAX_RETRY_AFTER}.
   */
  private static Next retry(Backoff backoff, HubClient.Result.Unreachable<?> u) {
    Duration wait = backoff.next();
    if (u.retryAfter() != null) {
      Duration asked = u.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : u.retryAfter();
      wait = asked.compareTo(wait) > 0 ? asked : wait;
    }
    return new Next.Retry(wait);
  }

  private Next refused(HubClient.Result.Refused<?> r) {
    LOG.warning("sync: " + r.detail() + "; next try in " + REFUSED_PAUSE.toMinutes() + " min");
    return new Next.Retry(REFUSED_PAUSE);
  }
}
