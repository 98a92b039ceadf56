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
