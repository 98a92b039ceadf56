package io.tracetrack.hub.db;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Background work that one hub instance does at a time: a thread that takes a lease in the
 * database, renews it a third of the way through, and runs rounds of work while it holds it; the
 * others try for the lease every {@link #CLAIM_EVERY}, so when the holder dies another takes over
 * once the lease runs out, and at once when it stops cleanly ({@link #close} gives the lease up).
 * The Kafka relay and the webhook sender run on it; several instances coordinate only through
 * PostgreSQL.
 *
 * <p>A round that fails (the database away, Kafka refusing) is reported and tried again after the
 * backoff for that many failures in a row; a {@link #nudge} (a commit on this instance) ends an
 * idle wait early.
 */
public final class LeasedWork implements AutoCloseable {

  /** How often an instance without the lease tries for it. */
  public static final Duration CLAIM_EVERY = Duration.ofSeconds(1);

  /** The lease's row: taken or renewed until a time, and given up. */
  public interface Lease {
    /** Takes or renews the lease until {@code until}, if it is free, already ours, or ran out before {@code now}. */
    boolean claim(OffsetDateTime now, OffsetDateTime until);

    /** Gives the lease up, if ours. */
    void release();
  }

  /** One round of the work, run while holding the lease. */
  @FunctionalInterface
  public interface Round {
    /** @return how long to wait before the next round (zero: at once; a nudge ends the wait) */
    Duration run() throws Exception;
  }

  private final Lease lease;
  private final Duration leaseFor;
  private final Clock clock;
  private final Round round;
  private final IntFunction<Duration> backoff;
  private final Consumer<Exception> failed;
  private final Semaphore wake = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean holding;

  /**
   * @param name the thread's name
   * @param leaseFor how long a claim holds without renewal: the longest a dead holder's successor waits
   * @param backoff the wait after the n-th failed round in a row (n from 1)
   * @param failed told of each failed round (to log it, to show it)
   */
  public LeasedWork(String name, Lease lease, Duration leaseFor, Clock clock, Round round, IntFunction<Duration> backoff,
      Consumer<Exception> failed) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.leaseFor = Objects.requireNonNull(leaseFor, "leaseFor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.round = Objects.requireNonNull(round, "round");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.failed = Objects.requireNonNull(failed, "failed");
    this.thread = Thread.ofPlatform().daemon().name(Objects.requireNonNull(name, "name")).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Something to do now: the next round starts without waiting out its idle time. */
  public void nudge() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** Whether this instance holds the lease (as of its last claim). */
  public boolean holding() {
    return holding;
  }

  /** Another instance took the lease (a round found out): claim again before the next round. */
  public void lost() {
    holding = false;
  }

  private void run() {
    int failures = 0;
    OffsetDateTime renewAt = OffsetDateTime.MIN;
    while (running) {
      try {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!holding || !now.isBefore(renewAt)) {
          holding = lease.claim(now, now.plus(leaseFor));
          renewAt = now.plus(leaseFor.dividedBy(3));
          if (!holding) {
            sleep(CLAIM_EVERY);
            continue;
          }
        }
        Duration next = round.run();
        failures = 0;
        if (!next.isZero()) {
          sleep(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failures++;
        failed.accept(e);
        try {
          sleep(backoff.apply(failures));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void sleep(Duration d) throws InterruptedException {
    wake.tryAcquire(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the work and gives the lease up, so another instance takes over at once. */
  @Override
  public void close() {
    close(() -> { });
  }

  /** {@link #close()}, running {@code afterStop} once no round runs and before the lease is given up. */
  public void close(Runnable afterStop) {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    afterStop.run();
    try {
      lease.release();
    } catch (RuntimeException e) {
      // the database away: the lease runs out by itself
      java.util.logging.Logger.getLogger(LeasedWork.class.getName())
          .log(java.util.logging.Level.FINE, thread.getName() + ": could not give the lease up; it runs out by itself", e);
    }
  }
}
