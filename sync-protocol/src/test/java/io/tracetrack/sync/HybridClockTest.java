package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import io.tracetrack.testing.Gen;
import io.tracetrack.testing.Property;
import org.junit.jupiter.api.Test;

class HybridClockTest {

  private static final Duration SKEW = Duration.ofSeconds(60);

  @Test
  void tick_physicalAhead_takesPhysicalTime() {
    assertThat(HybridClock.tick(new Hlc(1000, 5), 2000)).isEqualTo(new Hlc(2000, 0));
  }

  @Test
  void tick_sameMillisecond_countsLogically() {
    assertThat(HybridClock.tick(new Hlc(1000, 5), 1000)).isEqualTo(new Hlc(1000, 6));
  }

  @Test
  void tick_physicalClockWentBackwards_staysMonotonic() {
    Hlc last = new Hlc(5000, 0);
    Hlc next = HybridClock.tick(last, 1000);
    assertThat(next).isEqualTo(new Hlc(5000, 1));
    assertThat(next.isAfter(last)).isTrue();
  }

  @Test
  void tick_logicalCounterExhausted_borrowsAMillisecond() {
    assertThat(HybridClock.tick(new Hlc(1000, Integer.MAX_VALUE), 1000)).isEqualTo(new Hlc(1001, 0));
  }

  @Test
  void receive_remoteSlightlyAhead_adoptsRemoteWallAndCounts() {
    HybridClock.Receive r = HybridClock.receive(new Hlc(1000, 0), new Hlc(1500, 3), 1200, SKEW);
    assertThat(r).isEqualTo(new HybridClock.Receive.Advanced(new Hlc(1500, 4)));
  }

  @Test
  void receive_sameWallEverywhere_takesMaxLogicalPlusOne() {
    HybridClock.Receive r = HybridClock.receive(new Hlc(1000, 7), new Hlc(1000, 2), 1000, SKEW);
    assertThat(r).isEqualTo(new HybridClock.Receive.Advanced(new Hlc(1000, 8)));
  }

  @Test
  void receive_remoteBehind_keepsOwnTime() {
    HybridClock.Receive r = HybridClock.receive(new Hlc(1000, 0), new Hlc(10, 99), 3000, SKEW);
    assertThat(r).isEqualTo(new HybridClock.Receive.Advanced(new Hlc(3000, 0)));
  }

  @Test
  void receive_remoteTooFarAhead_isReportedAndDoesNotMoveTheClock() {
    long now = 1_000_000;
    HybridClock.Receive r = HybridClock.receive(new Hlc(now, 0), new Hlc(now + 61_000, 0), now, SKEW);
    assertThat(r).isEqualTo(new HybridClock.Receive.TooFarAhead(Duration.ofMillis(61_000)));
  }

  @Test
  void tick_isStrictlyMonotonic_whateverThePhysicalClockDoes() {
    Property.check(1000, random -> {
      List<Long> physical = Gen.listOf(random, 1, 200, r -> Gen.longBetween(r, 0, 10_000));
      Hlc last = Hlc.ZERO;
      for (long now : physical) {
        Hlc next = HybridClock.tick(last, now);
        assertThat(next.isAfter(last)).as("%s after %s at %d", next, last, now).isTrue();
        assertThat(next.wallMillis()).isGreaterThanOrEqualTo(now);
        last = next;
      }
    });
  }

  @Test
  void receive_resultIsAfterBothStamps_whenAccepted() {
    Property.check(1000, random -> {
      long lastWall = Gen.longBetween(random, 0, 100_000);
      long remoteWall = Gen.longBetween(random, 0, 100_000);
      long now = Gen.longBetween(random, 0, 100_000);
      Hlc last = new Hlc(lastWall, 1);
      Hlc remote = new Hlc(remoteWall, 2);
      if (HybridClock.receive(last, remote, now, SKEW) instanceof HybridClock.Receive.Advanced(Hlc next)) {
        assertThat(next.isAfter(last)).isTrue();
        assertThat(next.isAfter(remote)).isTrue();
        assertThat(next.wallMillis()).isGreaterThanOrEqualTo(now);
      } else {
        assertThat(remoteWall - now).isGreaterThan(SKEW.toMillis());
      }
    });
  }
}
