package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.testing.SourceLiterals;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The kit answers with {@link ErrorCode} constants only: no code spelled as a string in its sources. */
class NoCodeLiteralsTest {

  @Test
  void mainSources_spellNoErrorCodeAsAString() {
    Set<String> names = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(SourceLiterals.offences(Path.of("src/main/java"), names, Set.of())).isEmpty();
  }
}
