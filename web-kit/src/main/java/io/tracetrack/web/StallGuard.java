package io.tracetrack.web;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts off a client that stalls in the middle of a request: after the request line, while the
 * headers arrive ({@link Http1ConnectionListener} callbacks), and while a handler reads the body
 * ({@link #during}).
 *
 * <p>Why this exists: Helidon 4.3 applies no read timeout to the sockets it accepts (its
 * {@code ConnectionConfig.readTimeout} only reaches client sockets), and its idle-connection check
 * interrupts a connection only while it waits for a request line. A client that sends
 * {@code POST / HTTP/1.1} and then one header byte a minute, or a Content-Length and half the
 * body, held a connection and its thread for as long as it liked (seen: minutes). A blocking
 * socket read on a virtual thread ends when the thread is interrupted (the JDK closes the socket),
 * so a deadline that interrupts the connection's own thread is all it takes; the interrupt is
 * cleared again if it lands after the read finished, so no handler ever sees a stray one.
 */
public final class StallGuard implements Http1ConnectionListener {

  /**
   * How late a deadline may fire. Deadlines are seconds long; arming one is on every request's
   * path, so it must cost next to nothing: a set insert, with no timer queue to reorder and no
   * timer thread woken (a {@code ScheduledThreadPoolExecutor} woke its thread for each of the two
   * deadlines a request arms, which on two cores showed in the scan's latency).
   */
  static final Duration RESOLUTION = Duration.ofMillis(25);

  /** Every armed deadline of the JVM; one daemon thread sweeps it while it is not empty. */
  private static final Set<Deadline> PENDING = ConcurrentHashMap.newKeySet();
  private static final Sweeper SWEEPER = new Sweeper();
  private static final ThreadLocal<Deadline> HEADERS = new ThreadLocal<>();

  private final Duration timeout;

  /** @param timeout how long the headers of one request may take to arrive after its request line */
  public StallGuard(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    // called on the connection's thread, right before it reads the headers
    Deadline earlier = HEADERS.get();
    if (earlier != null) {
      earlier.disarm(); // a request whose headers were refused before the headers callback
    }
    HEADERS.set(arm(timeout));
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    Deadline deadline = HEADERS.get();
    HEADERS.remove();
    if (deadline != null) {
      deadline.disarm();
    }
  }

  /** A read that may block on the client, with a deadline. */
  @FunctionalInterface
  public interface Read<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code read} on this thread; if it is still running after {@code timeout}, the thread is
   * interrupted, which closes the socket under a blocked read and makes it throw.
   *
   * @throws Stalled when the deadline passed (whatever the read threw then is its cause)
   */
  public static <T, E extends Exception> T during(Duration timeout, Read<T, E> read) throws E {
    Deadline deadline = arm(timeout);
    try {
      T value = read.run();
      if (!deadline.disarm()) {
        throw new Stalled(timeout, null);
      }
      return value;
    } catch (RuntimeException | Error e) {
      if (!deadline.disarm() && !(e instanceof Stalled)) {
        throw new Stalled(timeout, e);
      }
      throw e;
    } catch (Exception e) {
      if (!deadline.disarm()) {
        throw new Stalled(timeout, e);
      }
      throw e;
    }
  }

  /** The client did not send in time; the connection is closed. */
  public static final class Stalled extends RuntimeException {
    Stalled(Duration timeout, Throwable cause) {
      super("the client sent nothing for " + timeout.toMillis() + " ms; connection closed", cause);
    }
  }

  private static Deadline arm(Duration timeout) {
    Deadline deadline = new Deadline(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
    PENDING.add(deadline);
    SWEEPER.wake();
    return deadline;
  }

  /** Deadlines armed and neither disarmed nor fired yet (for tests: none may leak). */
  static int pending() {
    return PENDING.size();
  }

  /** Fires the deadlines that are due, every {@link #RESOLUTION}; parks while none is armed. */
  private static final class Sweeper implements Runnable {
    private final Thread thread = Thread.ofPlatform().daemon().name("stall-guard").unstarted(this);
    private volatile boolean idle;

    Sweeper() {
      thread.start();
    }

    /** After an arm: the thread parks only while the set is empty, so wake it if it may be. */
    void wake() {
      if (idle) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      while (true) {
        if (PENDING.isEmpty()) {
          idle = true;
          // an arm after this check finds idle set and unparks: park then returns at once
          if (PENDING.isEmpty()) {
            LockSupport.park(this);
          }
          idle = false;
          continue;
        }
        LockSupport.parkNanos(this, RESOLUTION.toNanos());
        long now = System.nanoTime();
        for (Deadline d : PENDING) {
          if (now - d.due >= 0) {
            d.fire();
          }
        }
      }
    }
  }

  /** Armed until either the read finishes (disarm) or the time is up (fire): exactly one wins. */
  private static final class Deadline {
    private static final int ARMED = 0;
    private static final int DONE = 1;
    private static final int FIRED = 2;

    private final Thread thread;
    private final long due;
    private final AtomicInteger state = new AtomicInteger(ARMED);

    Deadline(Thread thread, long due) {
      this.thread = thread;
      this.due = due;
    }

    void fire() {
      PENDING.remove(this);
      if (state.compareAndSet(ARMED, FIRED)) {
        thread.interrupt();
      }
    }

    /** True when the read beat the deadline; otherwise clears the interrupt it caused. */
    boolean disarm() {
      if (state.compareAndSet(ARMED, DONE)) {
        PENDING.remove(this);
        return true;
      }
      if (state.get() == FIRED && Thread.currentThread() == thread) {
        Thread.interrupted();
      }
      return state.get() == DONE;
    }
  }
}
