package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.testing.SourceLiterals;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One vocabulary on the wire: no main source of the hub spells an error code or an audit action as
 * a string (nor the start of one, {@code "PROMOTION_" + x}); it passes {@link ErrorCode} and
 * {@link AuditAction} constants, whose names golden files freeze.
 */
class NoCodeLiteralsTest {

  /** Literals equal to a name but meaning something else; none so far. Say why for each one added. */
  private static final Set<String> UNRELATED = Set.of();

  @Test
  void mainSources_spellNoErrorCodeOrAuditActionAsAString() {
    Set<String> names = Stream.concat(Arrays.stream(ErrorCode.values()), Arrays.stream(AuditAction.values()))
        .map(Enum::name).collect(Collectors.toSet());
    assertThat(SourceLiterals.offences(Path.of("src/main/java"), names, UNRELATED)).isEmpty();
  }
}
