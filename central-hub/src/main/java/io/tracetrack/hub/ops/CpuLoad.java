package io.tracetrack.hub.ops;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * How busy the machine's CPUs (or the container's share of them) have been lately, 0 to 1: the
 * JDK's {@code OperatingSystemMXBean.getCpuLoad}, read at most every {@link #EVERY_NANOS} and
 * smoothed, so a caller on a hot path pays a volatile read. The JDK reports the time since the
 * previous reading by anyone (the metrics' {@code system_cpu_usage} reads it too), so one reading
 * may cover a short span: the smoothing takes the edge off that.
 */
public final class CpuLoad implements DoubleSupplier {

  static final long EVERY_NANOS = 500_000_000L;
  /** Weight of a new reading: the last few seconds count. */
  static final double WEIGHT = 0.3;

  private final DoubleSupplier reading;
  private final java.util.function.LongSupplier nanoTime;
  private final java.util.concurrent.locks.ReentrantLock sampling = new java.util.concurrent.locks.ReentrantLock();
  private volatile double smoothed;
  private volatile long sampledAt;

  /** The JDK's reading of the system's (or the container's) CPU load; a negative reading (unknown) counts as idle. */
  public static CpuLoad system() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    DoubleSupplier reading = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun::getCpuLoad : () -> -1;
    return new CpuLoad(reading, System::nanoTime);
  }

  CpuLoad(DoubleSupplier reading, java.util.function.LongSupplier nanoTime) {
    this.reading = reading;
    this.nanoTime = nanoTime;
    this.sampledAt = nanoTime.getAsLong() - EVERY_NANOS;
  }

  @Override
  public double getAsDouble() {
    long now = nanoTime.getAsLong();
    // one caller samples; the others take the last value rather than wait for it
    if (now - sampledAt >= EVERY_NANOS && sampling.tryLock()) {
      try {
        if (now - sampledAt >= EVERY_NANOS) {
          double r = reading.getAsDouble();
          double load = Double.isNaN(r) || r < 0 ? 0 : Math.min(1, r);
          smoothed = smoothed + WEIGHT * (load - smoothed);
          sampledAt = now;
        }
      } finally {
        sampling.unlock();
      }
    }
    return smoothed;
  }
}
