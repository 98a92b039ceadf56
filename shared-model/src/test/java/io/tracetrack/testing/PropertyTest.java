package io.tracetrack.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PropertyTest {

  private String savedSeed;
  private String savedBaseSeed;

  @BeforeEach
  void clearReplay() {
    // a -Dtracetrack.seed given to replay some other test must not change these
    savedSeed = System.clearProperty(Property.SEED);
    savedBaseSeed = System.clearProperty(Property.BASE_SEED);
  }

  @AfterEach
  void restoreReplay() {
    restore(Property.SEED, savedSeed);
    restore(Property.BASE_SEED, savedBaseSeed);
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  void check_runsEveryTry() {
    List<Integer> seen = new ArrayList<>();
    Property.check(250, random -> seen.add(random.nextInt()));
    assertThat(seen).hasSize(250);
  }

  @Test
  void failure_namesTheSeed_andThatSeedReplaysTheSameCase() {
    List<Integer> drawn = new ArrayList<>();
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> Property.check(1000, random -> {
      int n = random.nextInt(100);
      drawn.add(n);
      assertThat(n).isLessThan(90);
    }));
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("-Dtracetrack.seed=");
    Matcher seed = Pattern.compile("with seed (-?[0-9]+)").matcher(failure.getMessage());
    assertThat(seed.find()).isTrue();

    System.setProperty(Property.SEED, seed.group(1));
    List<Integer> replayed = new ArrayList<>();
    assertThatThrownBy(() -> Property.check(1000, random -> {
      int n = random.nextInt(100);
      replayed.add(n);
      assertThat(n).isLessThan(90);
    })).hasMessageContaining("case 1 of 1");
    assertThat(replayed).containsExactly(drawn.getLast());
  }

  @Test
  void baseSeed_replaysTheWholeBatch() {
    System.setProperty(Property.BASE_SEED, "42");
    List<Long> first = new ArrayList<>();
    Property.check(20, random -> first.add(random.nextLong()));
    List<Long> second = new ArrayList<>();
    Property.check(20, random -> second.add(random.nextLong()));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void gen_staysInRange_andReachesBothEnds() {
    Random random = new Random(7);
    boolean sawMin = false;
    boolean sawMax = false;
    for (int i = 0; i < 2000; i++) {
      int n = Gen.intBetween(random, -3, 40);
      assertThat(n).isBetween(-3, 40);
      sawMin |= n == -3;
      sawMax |= n == 40;
    }
    assertThat(sawMin && sawMax).isTrue();
    assertThat(Gen.longBetween(random, Long.MAX_VALUE - 1, Long.MAX_VALUE)).isGreaterThanOrEqualTo(Long.MAX_VALUE - 1);
    assertThat(Gen.stringOf(random, "AB", 3, 3)).matches("[AB]{3}");
  }
}
