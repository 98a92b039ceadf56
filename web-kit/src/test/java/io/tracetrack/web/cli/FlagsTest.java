package io.tracetrack.web.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {

  @ParameterizedTest
  @ValueSource(strings = {"localhost:9092", "kafka-1.internal:9092, kafka-2.internal:9093", "10.0.0.7:19092",
      "[::1]:9092"})
  void hostPorts_takesBrokerLists_withoutTheirBlanks(String value) {
    assertThat(Flags.hostPorts("--kafka", value)).isEqualTo(value.replace(" ", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kafka", "kafka:", ":9092", "kafka:99999", "kafka:9092,", "http://kafka:9092",
      "kafka:9092;rm -rf /", "ka fka:9092", "\u0007:9092"})
  void hostPorts_refusesAnythingElse_namingTheFlag(String value) {
    assertThatThrownBy(() -> Flags.hostPorts("--kafka", value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka must be HOST:PORT").hasMessageNotContaining("\u0007");
  }
}
