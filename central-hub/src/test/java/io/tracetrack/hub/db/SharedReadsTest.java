package io.tracetrack.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SharedReadsTest {

  @Test
  void manyConcurrentRequests_shareFewReads_andEachGetsItsOwnKey() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch firstReadHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SharedReads<Integer, String> shared = new SharedReads<>("test", keys -> {
      if (reads.incrementAndGet() == 1) {
        firstReadHeld.countDown();
        await(release);
      }
      Map<Integer, String> m = new HashMap<>();
      keys.forEach(k -> m.put(k, "v" + k));
      return m;
    });
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> first = pool.submit(() -> shared.get(0));
      firstReadHeld.await();
      // 200 requests arrive while the first read runs: they all wait for one read after it
      List<Future<String>> rest = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        int k = i % 50;
        rest.add(pool.submit(() -> shared.get(k)));
      }
      Thread.sleep(100);
      release.countDown();
      assertThat(first.get()).isEqualTo("v0");
      for (int i = 0; i < rest.size(); i++) {
        assertThat(rest.get(i).get()).isEqualTo("v" + ((i + 1) % 50));
      }
    }
    assertThat(reads.get()).isBetween(2, 3);
  }

  @Test
  void aRequest_neverGetsAReadThatStartedBeforeIt() throws Exception {
    // the value moves on while reads run; a caller that moved it and then asks must see its move
    AtomicLong value = new AtomicLong();
    SharedReads<Boolean, Long> head = new SharedReads<>("test", k -> {
      long v = value.get();
      sleep(2);
      return Map.of(Boolean.TRUE, v);
    });
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 40; i++) {
            long mine = value.incrementAndGet();
            assertThat(head.get(Boolean.TRUE)).isGreaterThanOrEqualTo(mine);
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
    }
  }

  @Test
  void aFailedRead_isThrownToItsCallers_andTheNextReadWorks() {
    AtomicInteger calls = new AtomicInteger();
    SharedReads<String, String> shared = new SharedReads<>("test", keys -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("database away");
      }
      return Map.of("known", "row");
    });
    assertThatThrownBy(() -> shared.get("known")).isInstanceOf(IllegalStateException.class).hasMessage("database away");
    assertThat(shared.get("known")).isEqualTo("row");
    assertThat(shared.get("unknown")).isNull();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
