package io.tracetrack.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PoolSizeTest {

  @Test
  void guidance_isCoresTimesTwoPlusOne_neverBelowThree() {
    assertThat(PoolSize.forCores(1)).isEqualTo(3);
    assertThat(PoolSize.forCores(2)).isEqualTo(5);
    assertThat(PoolSize.forCores(16)).isEqualTo(33);
    assertThatThrownBy(() -> PoolSize.forCores(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void poolSizeFlag_wins_overDbCores_andTheMachine() {
    PoolSize p = PoolSize.choose(OptionalInt.of(40), OptionalInt.of(8), "jdbc:postgresql://db.example/t", 2);
    assertThat(p.connections()).isEqualTo(40);
    assertThat(p.reason()).isEqualTo("--pool-size");
    assertThat(p.shared()).as("the operator's size is this instance's own").isFalse();
  }

  @Test
  void aSizeFromCores_isTheDatabases_sharedByItsInstances() {
    assertThat(PoolSize.choose(OptionalInt.empty(), OptionalInt.of(8), "jdbc:postgresql://db.example/t", 2).shared()).isTrue();
    assertThat(PoolSize.choose(OptionalInt.empty(), OptionalInt.empty(), null, 2).shared()).isTrue();
    assertThat(PoolSize.share(17, 1)).isEqualTo(17);
    assertThat(PoolSize.share(17, 2)).as("rounded down: together within the budget").isEqualTo(8);
    assertThat(PoolSize.share(17, 4)).isEqualTo(4);
    assertThat(PoolSize.share(17, 10)).as("never below three").isEqualTo(3);
    assertThat(PoolSize.share(5, 2)).isEqualTo(3);
    assertThatThrownBy(() -> PoolSize.share(5, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dbCores_sizeTheRemoteDatabasesPool() {
    PoolSize p = PoolSize.choose(OptionalInt.empty(), OptionalInt.of(8), "jdbc:postgresql://db.example/t", 2);
    assertThat(p.connections()).isEqualTo(17);
    assertThat(p.reason()).contains("--db-cores 8");
  }

  @Test
  void embeddedOrLoopback_useThisMachinesCores() {
    assertThat(PoolSize.choose(OptionalInt.empty(), OptionalInt.empty(), null, 2).connections()).isEqualTo(5);
    for (String url : new String[] {"jdbc:postgresql://localhost:5432/t", "jdbc:postgresql://127.0.0.1/t",
        "jdbc:postgresql://[::1]:5432/t", "jdbc:postgresql:///t", "jdbc:postgresql:t"}) {
      PoolSize p = PoolSize.choose(OptionalInt.empty(), OptionalInt.empty(), url, 4);
      assertThat(p.connections()).as(url).isEqualTo(9);
      assertThat(p.reason()).as(url).contains("loopback").doesNotContain("--db-cores");
    }
  }

  @Test
  void aRemoteDatabaseWithoutDbCores_saysWhatToGive() {
    for (String url : new String[] {"jdbc:postgresql://db.example:5432/t", "jdbc:postgresql://10.0.0.5/t",
        "jdbc:postgresql://h1,h2/t", "jdbc:postgresql://%zz/t"}) {
      PoolSize p = PoolSize.choose(OptionalInt.empty(), OptionalInt.empty(), url, 2);
      assertThat(p.connections()).as(url).isEqualTo(5);
      assertThat(p.reason()).as(url).contains("--db-cores");
    }
  }
}
