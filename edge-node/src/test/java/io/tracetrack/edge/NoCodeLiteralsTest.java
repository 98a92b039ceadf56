package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.testing.SourceLiterals;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One vocabulary on the wire: no main source of the edge spells an error code as a string (a
 * sign-in refusal, a scan reason, a problem); it passes {@link ErrorCode} constants, whose names a
 * golden file freezes.
 */
class NoCodeLiteralsTest {

  /** Literals equal to a code but meaning something else; none so far. Say why for each one added. */
  private static final Set<String> UNRELATED = Set.of();

  @Test
  void mainSources_spellNoErrorCodeAsAString() {
    Set<String> names = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(SourceLiterals.offences(Path.of("src/main/java"), names, UNRELATED)).isEmpty();
  }
}
