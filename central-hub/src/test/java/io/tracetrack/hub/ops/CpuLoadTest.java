package io.tracetrack.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The CPU load the change feed's linger follows: read at most twice a second, smoothed, unknown as idle. Time and readings are the test's. */
class CpuLoadTest {

  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final AtomicInteger reads = new AtomicInteger();
  private volatile double reading;

  private CpuLoad load() {
    return new CpuLoad(() -> {
      reads.incrementAndGet();
      return reading;
    }, now::get);
  }

  @Test
  void readsAtMostEveryHalfSecond_andSmoothsTowardTheReadings() {
    CpuLoad load = load();
    reading = 1.0;
    assertThat(load.getAsDouble()).isCloseTo(CpuLoad.WEIGHT, within(1e-9));
    assertThat(load.getAsDouble()).as("within the half second: no new reading").isCloseTo(CpuLoad.WEIGHT, within(1e-9));
    assertThat(reads).hasValue(1);
    double value = CpuLoad.WEIGHT;
    for (int i = 0; i < 20; i++) {
      now.addAndGet(CpuLoad.EVERY_NANOS);
      value += CpuLoad.WEIGHT * (1.0 - value);
      assertThat(load.getAsDouble()).isCloseTo(value, within(1e-9));
    }
    assertThat(reads).hasValue(21);
    assertThat(load.getAsDouble()).isGreaterThan(0.99);
  }

  @Test
  void anUnknownOrOddReading_countsAsIdleOrFull() {
    CpuLoad load = load();
    reading = -1; // the JDK's "not available"
    assertThat(load.getAsDouble()).isZero();
    now.addAndGet(CpuLoad.EVERY_NANOS);
    reading = Double.NaN;
    assertThat(load.getAsDouble()).isZero();
    now.addAndGet(CpuLoad.EVERY_NANOS);
    reading = 7;
    assertThat(load.getAsDouble()).isCloseTo(CpuLoad.WEIGHT, within(1e-9));
  }

  @Test
  void theSystemsReading_isALoadBetweenZeroAndOne() {
    assertThat(CpuLoad.system().getAsDouble()).isBetween(0.0, 1.0);
  }
}
