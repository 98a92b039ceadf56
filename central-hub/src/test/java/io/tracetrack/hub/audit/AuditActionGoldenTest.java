package io.tracetrack.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Audit action names are stored in hash-chained entries and read by integrators, so they are frozen
 * in {@code golden/audit-actions.txt} with the entity type each is recorded under: a released line
 * may never change or disappear, and a new action is only accepted with its line in the file.
 */
class AuditActionGoldenTest {

  private static List<String[]> golden() throws IOException {
    try (InputStream in = AuditActionGoldenTest.class.getResourceAsStream("/golden/audit-actions.txt")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).toList();
    }
  }

  private static Map<String, String> released() throws IOException {
    Map<String, String> released = new LinkedHashMap<>();
    for (String[] line : golden()) {
      assertThat(line).as("a line is NAME ENTITY").hasSize(2);
      assertThat(released.put(line[0], line[1])).as("listed twice: " + line[0]).isNull();
    }
    return released;
  }

  @Test
  void everyReleasedAction_isStillAConstant_withItsEntity() throws IOException {
    Map<String, String> actual = Arrays.stream(AuditAction.values())
        .collect(Collectors.toMap(Enum::name, a -> a.entity().name()));
    assertThat(actual).as("a released audit action was renamed, removed or moved to another entity: restore it")
        .containsAllEntriesOf(released());
  }

  @Test
  void everyConstant_isListedInTheGoldenFile() throws IOException {
    Map<String, String> released = released();
    assertThat(Arrays.stream(AuditAction.values()).map(Enum::name))
        .as("a new audit action must be added to golden/audit-actions.txt too (once added, it is frozen)")
        .allMatch(released::containsKey);
  }

  @Test
  void everyName_isEntityThenPastTense_andFormerNamesAreNotCurrentNames() {
    for (AuditAction a : AuditAction.values()) {
      assertThat(a.name()).as("<ENTITY>_<PAST_TENSE>").matches("[A-Z]+(_[A-Z]+)*_([A-Z]+ED|RESET)");
      assertThat(a.formerly()).allSatisfy(old -> assertThat(AuditAction.parse(old)).isEmpty());
    }
  }

  @Test
  void parse_anyCase_orEmpty() {
    assertThat(AuditAction.parse("bill_created")).hasValue(AuditAction.BILL_CREATED);
    assertThat(AuditAction.parse("CREATE_BILL")).isEmpty();
    assertThat(AuditAction.parse("")).isEmpty();
  }
}
