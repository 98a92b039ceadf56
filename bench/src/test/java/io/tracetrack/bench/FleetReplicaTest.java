package io.tracetrack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fleet's compact replica holds what a dock's map of code → parent would: its convergence count rests on it. */
class FleetReplicaTest {

  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  private int id(String code) {
    return ids.computeIfAbsent(code, c -> next.getAndIncrement());
  }

  @Test
  void bagsLinksAndUnlinks_endAsTheHubsMapSays() {
    FleetBench.Replica r = new FleetBench.Replica();
    r.bag(id("P1-30"));
    r.bag(id("P2-30"));
    r.link(id("C101"), id("P1-30")); // a link may come for a child the replica has not heard of as a bag
    r.bag(id("C101")); // a bag heard again keeps its parent
    r.link(id("C102"), id("P1-30"));
    r.unlink(id("C102"), id("P2-30")); // not its parent: nothing changes
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "P2-30", "", "C101", "P1-30", "C102", "P1-30"), this::id))).isTrue();
    r.unlink(id("C102"), id("P1-30"));
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "P2-30", "", "C101", "P1-30", "C102", "P1-30"), this::id))).isFalse();
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "P2-30", "", "C101", "P1-30", "C102", ""), this::id))).isTrue();
  }

  @Test
  void aMissingOrExtraBag_orAnotherParent_isNoMatch() {
    FleetBench.Replica r = new FleetBench.Replica();
    r.bag(id("P1-30"));
    r.link(id("C101"), id("P1-30"));
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "C101", "P1-30", "C999", ""), this::id))).isFalse();
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", ""), this::id))).isFalse();
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "C101", ""), this::id))).isFalse();
    for (int i = 0; i < 5000; i++) {
      r.bag(id("B" + i)); // grows past its first array
    }
    assertThat(r.holds(FleetBench.Replica.of(Map.of("P1-30", "", "C101", "P1-30"), this::id))).isFalse();
  }
}
