package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Change-log types and payloads are what docks act on, so both are frozen: the wire names in
 * {@code golden/change-types.txt}, and one payload per type in {@code golden/changes/v1/<type>.json}.
 * A failing test here means a released name or shape changed, not that the fixture needs updating.
 */
class ChangeTypeGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, String> released() throws IOException {
    try (InputStream in = ChangeTypeGoldenTest.class.getResourceAsStream("/golden/change-types.txt")) {
      assertThat(in).isNotNull();
      Map<String, String> released = new LinkedHashMap<>();
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).forEach(line -> {
            assertThat(line).as("a line is CONSTANT wire-name").hasSize(2);
            assertThat(released.put(line[0], line[1])).as("listed twice: " + line[0]).isNull();
          });
      return released;
    }
  }

  @Test
  void everyReleasedType_isStillAConstant_withItsWireName() throws IOException {
    Map<String, String> actual = Arrays.stream(ChangeType.values())
        .collect(Collectors.toMap(Enum::name, ChangeType::wire));
    assertThat(actual).as("a released change type was renamed or removed: restore it").containsAllEntriesOf(released());
  }

  @Test
  void everyConstant_isListedInTheGoldenFile() throws IOException {
    assertThat(Arrays.stream(ChangeType.values()).map(Enum::name))
        .as("a new change type must be added to golden/change-types.txt too (once added, it is frozen)")
        .allMatch(released()::containsKey);
  }

  @Test
  void wireNames_areDottedLowerCaseWithAVersion_andParseBack() {
    for (ChangeType t : ChangeType.values()) {
      assertThat(t.wire()).matches("[a-z]+(\\.[a-z]+)*\\.v[1-9][0-9]*");
      assertThat(ChangeType.ofWire(t.wire())).hasValue(t);
    }
    assertThat(ChangeType.ofWire("link.v9")).isEmpty();
    assertThat(ChangeType.ofWire("LINK.V1")).isEmpty();
  }

  static Stream<Change> changes() {
    return Stream.of(
        new Change.Bag("P1001-3", "PARENT", 3, 3, "NORTH"),
        new Change.Link("P1001-3", "C1"),
        new Change.Unlink("P1001-3", "C1", "CORRECTION"),
        new Change.Finish("P1001-3", 2),
        new Change.BillFinalized("BILL0001", true, List.of("P1-5", "P2-5")),
        new Change.BillReopened("BILL0001", List.of("P1-5", "P2-5")),
        new Change.BillParentAdded("BILL0001", "P1-5"),
        new Change.BillParentRemoved("BILL0001", "P1-5"),
        new Change.User("asha", "DISPATCHER", "NORTH", true, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"),
        new Change.ConflictOpened(17, "CHILD_ALREADY_LINKED", "C1 is already on another parent: P1001-3", "DOCK-2",
            "edge-b", 42, "LINK", "P2001-5", "C1", "ravi", "station-1", 1795337619123L, 0, "2026-12-01T10:15:30Z",
            "P1001-3", "DOCK-1", "asha", "2026-12-01T10:14:02Z", false),
        new Change.ConflictResolved(17, "DOCK-2", "MOVE", "admin", "2026-12-01T11:00:00Z"),
        new Change.BillReceived("BILL0042", 3, "DOCK-9", "gate-1", "dana", "2026-12-06T08:15:00Z",
            List.of("P1001-30", "SB12345"), List.of("P1002-5"), List.of("P9000-5")));
  }

  @Test
  void everyType_hasAGoldenPayload() {
    assertThat(changes().map(Change::type)).containsExactlyInAnyOrder(ChangeType.values());
  }

  @ParameterizedTest
  @MethodSource("changes")
  void payload_readsBackAsTheSameChange(Change change) {
    WireCodec codec = new WireCodec();
    ChangeEntry entry = new ChangeEntry(1, change.type().wire(), change.key(), java.time.Instant.EPOCH, "test",
        codec.payload(change));
    assertThat(codec.change(entry)).hasValue(change);
  }

  @ParameterizedTest
  @MethodSource("changes")
  void payload_isTheGoldenJson(Change change) throws IOException {
    String name = "/golden/changes/v1/" + change.type().wire() + ".json";
    try (InputStream in = ChangeTypeGoldenTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      assertThat(JSON.readTree(new WireCodec().payload(change))).isEqualTo(JSON.readTree(in));
    }
  }
}
