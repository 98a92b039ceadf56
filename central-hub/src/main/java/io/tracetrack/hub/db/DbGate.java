package io.tracetrack.hub.db;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.ApiProblem;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Fair, bounded admission to the pool: a request that needs a connection waits for one of
 * {@code permits} (the pool's size) in arrival order, for at most the queue deadline, and past it
 * is refused with a 503 {@link ErrorCode#DATABASE_BUSY} and {@code Retry-After} before it has done
 * anything. Why not Hikari's own wait: it hands a returned connection to whichever waiter wins the
 * race, not the oldest, so with 200 threads on 20 connections some wait ten times the median (the
 * 968 ms p99 of issue #9), and its timeout (30 s) is a hang, not an answer.
 *
 * <p>A thread that already holds a connection through the gate and asks for another (a read inside
 * a transaction through {@code db.dsl()}) is not queued again: waiting behind itself for a permit
 * it holds could deadlock the pool once every permit is held by such a thread. Its extra
 * connection comes straight from the pool, as before the gate.
 */
public final class DbGate {

  /** What an operator expects for 1,000 users on one hub: a few seconds, then an honest 503. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(3);
  /** Seconds a refused client is told to wait: the queue drains in well under that at pool speed. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final Permits permits;
  /** Permits in all; changed only by {@link #resize}. */
  private volatile int size;
  private volatile long deadlineNanos;
  private final LongAdder timeouts = new LongAdder();
  private volatile LongConsumer waitObserver = nanos -> { };
  /**
   * This thread's connections through the gate now ([0]) and its depth inside {@link #unqueued}
   * ([1]); absent when both are 0.
   */
  private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[2]);

  DbGate(int size, Duration deadline) {
    if (size < 1) {
      throw new IllegalArgumentException("the gate needs at least one permit, got " + size);
    }
    this.size = size;
    this.permits = new Permits(size);
    deadline(deadline);
  }

  /** Sets how long a request may wait for a connection before it is refused; more than zero. */
  public void deadline(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the queue deadline must be more than zero, got " + deadline);
    }
    this.deadlineNanos = deadline.toNanos();
  }

  public Duration deadline() {
    return Duration.ofNanos(deadlineNanos);
  }

  /** Permits in all: the pool's size. */
  public int size() {
    return size;
  }

  /**
   * Changes the permits in all to {@code size} (the pool's new size): more are free at once; fewer
   * are taken back as the connections in use now are given back, so nobody in flight is disturbed.
   */
  synchronized void resize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("the gate needs at least one permit, got " + size);
    }
    int change = size - this.size;
    if (change > 0) {
      permits.release(change);
    } else if (change < 0) {
      permits.take(-change);
    }
    this.size = size;
  }

  /** A fair semaphore whose permits can be taken away while they are held (they may go below zero). */
  private static final class Permits extends Semaphore {
    Permits(int permits) {
      super(permits, true);
    }

    void take(int n) {
      reducePermits(n);
    }
  }

  /** Requests waiting for a connection now (an estimate, as {@link Semaphore#getQueueLength}). */
  public int queueLength() {
    return permits.getQueueLength();
  }

  /** Connections handed out through the gate now. */
  public int inUse() {
    return size - permits.availablePermits();
  }

  /** Requests refused at the deadline since start. */
  public long timeouts() {
    return timeouts.sum();
  }

  /** Told each wait's length in nanoseconds (admitted or refused), for the wait-time histogram. */
  public void observeWaits(LongConsumer observer) {
    this.waitObserver = Objects.requireNonNull(observer, "observer");
  }

  /** {@code pool} behind this gate. */
  DataSource guard(DataSource pool) {
    return new Gated(pool);
  }

  /**
   * Runs {@code work} with its connections taken straight from the pool, not queued: for work that
   * must not be refused because a write before it has committed already (evicting the read caches
   * after that commit), and that is quick. It may still wait for a free connection in the pool.
   */
  public void unqueued(Runnable work) {
    int[] mine = held.get();
    mine[1]++;
    try {
      work.run();
    } finally {
      if (--mine[1] == 0 && mine[0] == 0) {
        held.remove();
      }
    }
  }

  /**
   * Takes a permit, or none for a nested or unqueued use; throws the 503 past the deadline.
   *
   * @return whether a permit was taken (the connection gives it back when it closes)
   */
  private boolean enter() {
    int[] mine = held.get();
    if (mine[0] > 0 || mine[1] > 0) {
      mine[0]++;
      return false;
    }
    long start = System.nanoTime();
    boolean admitted;
    try {
      admitted = permits.tryAcquire(deadlineNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a database connection", e);
    }
    waitObserver.accept(System.nanoTime() - start);
    if (!admitted) {
      timeouts.increment();
      held.remove();
      throw busy();
    }
    mine[0] = 1;
    return true;
  }

  private void leave(boolean permit) {
    int[] mine = held.get();
    if (--mine[0] == 0 && mine[1] == 0) {
      held.remove();
    }
    if (permit) {
      permits.release();
    }
  }

  private ApiProblem busy() {
    return new ApiProblem(503, ErrorCode.DATABASE_BUSY,
        "every database connection stayed busy for " + deadline().toMillis() + " ms; nothing was done, try again",
        Map.of("retryAfterSeconds", RETRY_AFTER_SECONDS), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
  }

  /** The pool seen through the gate: each connection holds its permit until it is closed. */
  private final class Gated implements DataSource {
    private final DataSource pool;

    Gated(DataSource pool) {
      this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
      boolean permit = enter();
      Connection c;
      try {
        c = pool.getConnection();
      } catch (SQLException | RuntimeException | Error e) {
        leave(permit);
        throw e;
      }
      return wrap(c, permit);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the hub's pool has one user");
    }

    /**
     * {@code c}, giving the permit back when it is first closed. A delegating class (jOOQ's
     * {@link org.jooq.tools.jdbc.DefaultConnection}), not a reflective proxy: every statement of
     * every request goes through it.
     */
    private Connection wrap(Connection c, boolean permit) {
      return new org.jooq.tools.jdbc.DefaultConnection(c) {
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() throws SQLException {
          if (!closed.compareAndSet(false, true)) {
            return;
          }
          try {
            c.close();
          } finally {
            leave(permit);
          }
        }

        @Override
        public boolean isClosed() throws SQLException {
          return closed.get() || c.isClosed();
        }
      };
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return pool.isWrapperFor(iface);
    }
  }
}
