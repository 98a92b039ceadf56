package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StallGuardTest {

  @Test
  void readInTime_returnsItsValue_noInterruptLeftBehind() {
    String value = StallGuard.during(Duration.ofMinutes(1), () -> "body");
    assertThat(value).isEqualTo("body");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void readThatNeverEnds_isInterrupted_reportedAsStalled_interruptCleared() {
    CountDownLatch never = new CountDownLatch(1);
    assertThatThrownBy(() -> StallGuard.during(Duration.ofMillis(50), () -> {
      never.await(); // stands for a socket read that blocks until interrupted
      return "unreachable";
    })).isInstanceOf(StallGuard.Stalled.class).hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).as("the handler thread goes on clean").isFalse();
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void readsInTime_leaveNoDeadlineBehind_andAStallAfterAnIdleSpellIsStillCut() throws Exception {
    // the guard is one per JVM: a server another test class stopped may still have a read armed,
    // which its own timeout (a second or two) ends
    long waitUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (StallGuard.pending() != 0 && System.nanoTime() < waitUntil) {
      Thread.sleep(20);
    }
    assertThat(StallGuard.pending()).as("deadlines armed before this test").isZero();
    for (int i = 0; i < 1000; i++) {
      StallGuard.during(Duration.ofMinutes(1), () -> "body");
    }
    assertThat(StallGuard.pending()).isZero();
    Thread.sleep(StallGuard.RESOLUTION.toMillis() * 4); // the sweeper parks with nothing armed
    CountDownLatch never = new CountDownLatch(1);
    long start = System.nanoTime();
    assertThatThrownBy(() -> StallGuard.during(Duration.ofMillis(50), () -> {
      never.await();
      return "unreachable";
    })).isInstanceOf(StallGuard.Stalled.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(StallGuard.pending()).isZero();
  }

  @Test
  void readFailingOnItsOwn_keepsItsOwnException() {
    assertThatThrownBy(() -> StallGuard.during(Duration.ofMinutes(1), () -> {
      throw new java.io.IOException("reset");
    })).isInstanceOf(java.io.IOException.class).hasMessage("reset");
  }

  @Test
  void nonPositiveTimeout_refused() {
    assertThatThrownBy(() -> new StallGuard(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
