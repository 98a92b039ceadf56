package io.tracetrack.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latencies of one measured run, and the figures reported from them. */
final class Samples {

  private final long[] nanos;
  private int size;
  private long wallNanos;

  Samples(int capacity) {
    this.nanos = new long[capacity];
  }

  void add(long latencyNanos) {
    nanos[size++] = latencyNanos;
  }

  void wall(long totalNanos) {
    this.wallNanos = totalNanos;
  }

  int count() {
    return size;
  }

  double perSecond() {
    return size / (wallNanos / 1e9);
  }

  double percentileMillis(double p) {
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
  }

  String row(String name, double baselinePerSecond) {
    return String.format(Locale.ROOT, "| %s | %d | %,.0f | %.3f | %.3f | %.2f× |", name, size, perSecond(),
        percentileMillis(50), percentileMillis(99), perSecond() / baselinePerSecond);
  }
}
