package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sync messages' released JSON ({@code golden/wire/v1/}), frozen like the op fixtures: docks
 * of one release talk to hubs of another. And what a hub must refuse in a push before it touches
 * anything: each hostile batch is refused whole, with a stable code.
 */
class WireCodecTest {

  private static final WireCodec CODEC = new WireCodec();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EDGE = "edge-7f3a9c";

  private static OpEnvelope op(long seq, Op op) {
    return new OpEnvelope(new OpId(EDGE, seq), new Hlc(1795337619123L, (int) seq), "asha", "DOCK-1", "station-1", op);
  }

  private static PushBatch batch(List<OpEnvelope> ops) {
    return new PushBatch(EDGE, "DOCK-1", new Hlc(1795337620000L, 0), 3, 1795337619123L, "0.1.0", ops);
  }

  static final PushBatch PUSH = batch(List.of(op(1, new Op.CreateParent("P1001-3", 3, 3)), op(2, new Op.Link("P1001-3", "C1")),
      op(3, new Op.Unlink("P1001-3", "C1", Op.UnlinkReason.UNDO))));

  static final PushReply REPLY = new PushReply(2, Instant.parse("2026-12-01T10:15:30Z"), List.of(
      OpOutcome.applied(1),
      OpOutcome.rejected(2, ErrorCode.CHILD_ALREADY_LINKED, "C1 is already on another parent: P2001-5", 17L),
      OpOutcome.held(4, 3)));

  static final ChangePage PAGE = new ChangePage(List.of(
      new ChangeEntry(41, "link.v1", "C1", Instant.parse("2026-12-01T10:15:30Z"), "edge:edge-b:9", "{\"parent\":\"P2001-5\",\"child\":\"C1\"}"),
      new ChangeEntry(43, "bag.v1", "P7-5", Instant.parse("2026-12-01T10:15:31Z"), "admin",
          "{\"code\":\"P7-5\",\"role\":\"PARENT\",\"expectedCount\":5,\"limit\":5,\"area\":\"NORTH\"}")), 43, 57);

  static final List<SnapshotLine> SNAPSHOT = List.of(
      new SnapshotLine.Begin(57, 2, 1, 0),
      new SnapshotLine.BagRow("P2001-5", "PARENT", 5, 5, 1, null, false, false),
      new SnapshotLine.BagRow("C1", "CHILD", null, 0, 0, "P2001-5", false, false),
      new SnapshotLine.UserRow(new Change.User("asha", "DISPATCHER", "NORTH", true, null)),
      new SnapshotLine.End(57, 4));

  static final ReceiptReport RECEIPT = new ReceiptReport("3f1c2a9e-5b7d-4c1e-9a2f-6d8e0b4c7a11", "BILL0042", "gate-1",
      List.of("P1001-30", "SB12345", "P1002-5"), "dana", Instant.parse("2026-12-06T08:10:00Z"), "dana",
      Instant.parse("2026-12-06T08:15:00Z"), List.of(
          new ReceiptReport.Line("P1001-30", "dana", Instant.parse("2026-12-06T08:11:00Z")),
          new ReceiptReport.Line("P9000-5", "omar", Instant.parse("2026-12-06T08:12:30Z"))));

  static Stream<Arguments> goldens() {
    return Stream.of(Arguments.of("push.json", PUSH), Arguments.of("push-reply.json", REPLY),
        Arguments.of("change-page.json", PAGE), Arguments.of("receipt.json", RECEIPT));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = WireCodecTest.class.getResourceAsStream("/golden/wire/v1/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String encode(Object message) {
    return switch (message) {
      case PushBatch b -> CODEC.encode(b);
      case PushReply r -> CODEC.encode(r);
      case ChangePage p -> CODEC.encode(p);
      case ReceiptReport r -> CODEC.encode(r);
      default -> throw new IllegalArgumentException(message.toString());
    };
  }

  private static Object decode(String fixture, String json) {
    return switch (fixture) {
      case "push.json" -> CODEC.decodePush(json);
      case "push-reply.json" -> CODEC.decodeReply(json);
      case "receipt.json" -> CODEC.decodeReceipt(json);
      default -> CODEC.decodePage(json);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encode_givesTheGoldenJson(String fixture, Object message) throws IOException {
    assertThat(JSON.readTree(encode(message))).isEqualTo(JSON.readTree(golden(fixture)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decode_golden_givesTheMessage(String fixture, Object message) throws IOException {
    Object decoded = decode(fixture, golden(fixture));
    if (decoded instanceof ChangePage page) {
      // payload text is compared as JSON: whitespace is not part of the contract
      assertThat(page.next()).isEqualTo(PAGE.next());
      assertThat(page.head()).isEqualTo(PAGE.head());
      assertThat(page.entries()).hasSize(PAGE.entries().size());
      for (int i = 0; i < page.entries().size(); i++) {
        ChangeEntry a = page.entries().get(i);
        ChangeEntry b = PAGE.entries().get(i);
        assertThat(List.of(a.seq(), a.type(), a.key(), a.at(), a.origin())).isEqualTo(List.of(b.seq(), b.type(), b.key(), b.at(), b.origin()));
        assertThat(JSON.readTree(a.payload())).isEqualTo(JSON.readTree(b.payload()));
      }
    } else {
      assertThat(decoded).isEqualTo(message);
    }
  }

  @Test
  void changePage_withOneDamagedPayload_staysReadable_andOnlyThatEntryFailsToDecode() {
    ChangePage damaged = new ChangePage(List.of(PAGE.entries().get(0),
        new ChangeEntry(42, "link.v1", "C2", Instant.parse("2026-12-01T10:15:31Z"), "admin", "{\"parent\":\"P2001-5\",}"),
        PAGE.entries().get(1)), 43, 57);

    ChangePage read = CODEC.decodePage(CODEC.encode(damaged));

    assertThat(read.entries()).hasSize(3);
    assertThat(CODEC.change(read.entries().get(0))).contains(new Change.Link("P2001-5", "C1"));
    assertThatThrownBy(() -> CODEC.change(read.entries().get(1))).isInstanceOf(CodecException.class)
        .hasMessageContaining("at 42");
    assertThat(CODEC.change(read.entries().get(2))).isPresent();
  }

  @Test
  void snapshotBagRow_withArea_readsBack_andWithoutItIsNull() {
    SnapshotLine.BagRow south = new SnapshotLine.BagRow("P2001-5", "PARENT", 5, 5, 0, null, false, false, "SOUTH");

    assertThat(CODEC.decodeSnapshotLine(CODEC.encode(south))).isEqualTo(south);
    assertThat(CODEC.encode(new SnapshotLine.BagRow("C1", "CHILD", null, 0, 0, null, false, false))).doesNotContain("area");
    assertThat(((SnapshotLine.BagRow) CODEC.decodeSnapshotLine("{\"kind\":\"bag\",\"code\":\"C1\",\"role\":\"CHILD\","
        + "\"expectedCount\":null,\"limit\":0,\"childCount\":0,\"parent\":null,\"finished\":false,"
        + "\"onFinalizedBill\":false}")).area()).isNull();
  }

  @Test
  void snapshotLines_matchTheGoldenStream_andReadBack() throws IOException {
    List<String> lines = golden("snapshot.ndjson").lines().toList();
    assertThat(lines).hasSize(SNAPSHOT.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(JSON.readTree(CODEC.encode(SNAPSHOT.get(i)))).isEqualTo(JSON.readTree(lines.get(i)));
      assertThat(CODEC.decodeSnapshotLine(lines.get(i))).isEqualTo(SNAPSHOT.get(i));
    }
  }

  @Test
  void aChangeOfATypeThisNodeDoesNotKnow_isSkipped_notRefused() {
    ChangeEntry future = new ChangeEntry(1, "bag.v9", "P1-5", Instant.EPOCH, "admin", "{\"anything\":true}");
    assertThat(CODEC.change(future)).isEmpty();
  }

  @Test
  void aKnownTypeWithTheWrongShape_isRefused() {
    ChangeEntry broken = new ChangeEntry(1, "link.v1", "C1", Instant.EPOCH, "admin", "{\"child\":\"C1\"}");
    assertThatThrownBy(() -> CODEC.change(broken)).isInstanceOf(CodecException.class);
  }

  @Test
  void aFieldAddedByALaterHub_isIgnored() {
    ChangeEntry later = new ChangeEntry(1, "link.v1", "C1", Instant.EPOCH, "admin",
        "{\"parent\":\"P1-5\",\"child\":\"C1\",\"weightKg\":12}");
    assertThat(CODEC.change(later)).hasValue(new Change.Link("P1-5", "C1"));
  }

  static Stream<Arguments> hostilePushes() throws IOException {
    String good = CODEC.encode(PUSH);
    String otherEdgeOp = CODEC.encode(batch(List.of(op(1, new Op.Link("P1-5", "C1")))))
        .replace("\"edge\":\"" + EDGE + "\"", "\"edge\":\"edge-other\"");
    String otherDockOp = CODEC.encode(batch(List.of(op(1, new Op.Link("P1-5", "C1")))))
        .replace("\"dock\":\"DOCK-1\",\"station\"", "\"dock\":\"DOCK-2\",\"station\"");
    List<OpEnvelope> tooMany = new ArrayList<>();
    for (int i = 1; i <= WireCodec.MAX_BATCH + 1; i++) {
      tooMany.add(op(i, new Op.Link("P1-5", "C" + i)));
    }
    return Stream.of(
        Arguments.of("empty", "", ErrorCode.MALFORMED_JSON),
        Arguments.of("not json", "{\"v\":1,", ErrorCode.MALFORMED_JSON),
        Arguments.of("an array", "[]", ErrorCode.INVALID_FIELD),
        Arguments.of("duplicate key", good.replaceFirst("\\{", "{\"edgeId\":\"x\","), ErrorCode.MALFORMED_JSON),
        Arguments.of("version 2", good.replace("\"v\":1,\"edgeId\"", "\"v\":2,\"edgeId\""), ErrorCode.UNSUPPORTED_VERSION),
        Arguments.of("no ops", good.replaceAll(",\"ops\":\\[.*\\]", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("ops not an array", good.replaceAll("\"ops\":\\[.*\\]", "\"ops\":{}"), ErrorCode.INVALID_FIELD),
        Arguments.of("negative backlog", good.replace("\"pendingOps\":3", "\"pendingOps\":-1"), ErrorCode.INVALID_FIELD),
        Arguments.of("clock as text", good.replace("\"clock\":{\"wall\":1795337620000,\"logical\":0}", "\"clock\":\"now\""), ErrorCode.INVALID_FIELD),
        Arguments.of("an op of another edge", otherEdgeOp, ErrorCode.INVALID_FIELD),
        Arguments.of("an op of another dock", otherDockOp, ErrorCode.INVALID_FIELD),
        Arguments.of("seqs descending", CODEC.encode(batch(List.of(op(2, new Op.Link("P1-5", "C1")), op(1, new Op.Link("P1-5", "C2"))))),
            ErrorCode.INVALID_FIELD),
        Arguments.of("seq repeated", CODEC.encode(batch(List.of(op(1, new Op.Link("P1-5", "C1")), op(1, new Op.Link("P1-5", "C2"))))),
            ErrorCode.INVALID_FIELD),
        Arguments.of("unknown op type", good.replace("\"type\":\"LINK\"", "\"type\":\"TELEPORT\""), ErrorCode.UNKNOWN_OP_TYPE),
        Arguments.of("too many ops", CODEC.encode(batch(tooMany)), ErrorCode.TOO_LARGE),
        // under the push's limit, over an op's: a receiver keeps ops in their own form, up to OpCodec.MAX_BYTES
        Arguments.of("an op longer than an op may be", CODEC.encode(batch(List.of(op(1, new Op.Link("P" + "9".repeat(20_000),
            "C1"))))), ErrorCode.INVALID_FIELD),
        Arguments.of("too many bytes", "{\"v\":1,\"pad\":\"" + "x".repeat(WireCodec.MAX_PUSH_BYTES) + "\"}", ErrorCode.TOO_LARGE),
        Arguments.of("deep nesting", "[".repeat(100) + "]".repeat(100), ErrorCode.TOO_LARGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostilePushes")
  void aHostilePush_isRefusedWhole_withAStableCode(String what, String json, ErrorCode code) {
    assertThatThrownBy(() -> CODEC.decodePush(json)).isInstanceOf(CodecException.class)
        .satisfies(e -> assertThat(((CodecException) e).code()).as(what).isEqualTo(code));
  }

  static Stream<Arguments> hostileReceipts() {
    String good = CODEC.encode(RECEIPT);
    String oneScan = "{\"code\":\"P1-5\",\"by\":\"a\",\"at\":\"2026-12-06T08:11:00Z\"}";
    String many = good.replaceAll("\"scans\":\\[.*\\]",
        "\"scans\":[" + String.join(",", java.util.Collections.nCopies(ReceiptReport.MAX_SCANS + 1, oneScan)) + "]");
    return Stream.of(
        Arguments.of("not json", "{\"v\":1,", ErrorCode.MALFORMED_JSON),
        Arguments.of("version 2", good.replace("\"v\":1,", "\"v\":2,"), ErrorCode.UNSUPPORTED_VERSION),
        Arguments.of("no key", good.replaceAll("\"key\":\"[^\"]*\",", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("a key with a slash", good.replace("3f1c2a9e-", "../../"), ErrorCode.INVALID_FIELD),
        Arguments.of("a bill in lower case", good.replace("BILL0042", "bill0042"), ErrorCode.INVALID_FIELD),
        Arguments.of("a scanned code of 65 characters", good.replace("P9000-5", "P" + "9".repeat(64)), ErrorCode.INVALID_FIELD),
        Arguments.of("a parent scanned twice", good.replace("P9000-5", "P1001-30"), ErrorCode.INVALID_FIELD),
        Arguments.of("closed before it opened", good.replace("\"closedAt\":\"2026-12-06T08:15:00Z\"",
            "\"closedAt\":\"2026-12-06T08:00:00Z\""), ErrorCode.INVALID_FIELD),
        Arguments.of("a manifest of numbers", good.replace("\"manifest\":[\"P1001-30\"", "\"manifest\":[7"), ErrorCode.INVALID_FIELD),
        Arguments.of("scans not an array", good.replaceAll("\"scans\":\\[.*\\]", "\"scans\":{}"), ErrorCode.INVALID_FIELD),
        Arguments.of("a control character in the station", good.replace("gate-1", "gate\\u0007"), ErrorCode.INVALID_FIELD),
        Arguments.of("too many scans", many, ErrorCode.TOO_LARGE),
        Arguments.of("too many bytes", "{\"v\":1,\"pad\":\"" + "x".repeat(WireCodec.MAX_RECEIPT_BYTES) + "\"}", ErrorCode.TOO_LARGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReceipts")
  void aHostileReceipt_isRefusedWhole_withAStableCode(String what, String json, ErrorCode code) {
    assertThatThrownBy(() -> CODEC.decodeReceipt(json)).isInstanceOf(CodecException.class)
        .satisfies(e -> assertThat(((CodecException) e).code()).as(what).isEqualTo(code));
  }

  static Stream<Arguments> hostilePages() {
    String good = CODEC.encode(PAGE);
    String entry = "{\"seq\":41,\"type\":\"link.v1\",\"key\":\"C1\",\"at\":\"2026-12-01T10:15:30Z\",\"origin\":\"admin\","
        + "\"payload\":{\"parent\":\"P2001-5\",\"child\":\"C1\"}}";
    java.util.function.Function<String, String> page = entries -> "{\"v\":1,\"next\":43,\"head\":57,\"entries\":[" + entries + "]}";
    return Stream.of(
        Arguments.of("empty", "", ErrorCode.MALFORMED_JSON),
        Arguments.of("blank", "  \n ", ErrorCode.MALFORMED_JSON),
        Arguments.of("cut short", good.substring(0, good.length() / 2), ErrorCode.MALFORMED_JSON),
        Arguments.of("an array", "[1,2]", ErrorCode.INVALID_FIELD),
        Arguments.of("a number", "5", ErrorCode.INVALID_FIELD),
        Arguments.of("an array cut short", "[1,", ErrorCode.MALFORMED_JSON),
        Arguments.of("version 2", good.replace("\"v\":1", "\"v\":2"), ErrorCode.UNSUPPORTED_VERSION),
        Arguments.of("version 2 and a bad entry", page.apply("7").replace("\"v\":1", "\"v\":2"), ErrorCode.UNSUPPORTED_VERSION),
        Arguments.of("no version", good.replace("\"v\":1,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("no entries", "{\"v\":1,\"next\":43,\"head\":57}", ErrorCode.MISSING_FIELD),
        Arguments.of("entries null", "{\"v\":1,\"next\":43,\"head\":57,\"entries\":null}", ErrorCode.MISSING_FIELD),
        Arguments.of("entries an object", "{\"v\":1,\"next\":43,\"head\":57,\"entries\":{}}", ErrorCode.INVALID_FIELD),
        Arguments.of("entries a string", "{\"v\":1,\"next\":43,\"head\":57,\"entries\":\"[]\"}", ErrorCode.INVALID_FIELD),
        Arguments.of("an entry that is a number", page.apply("5"), ErrorCode.INVALID_FIELD),
        Arguments.of("an entry that is null", page.apply("null"), ErrorCode.INVALID_FIELD),
        Arguments.of("an entry without payload", page.apply(entry.replaceAll(",\"payload\":\\{.*}}$", "}")), ErrorCode.MISSING_FIELD),
        Arguments.of("a null payload", page.apply(entry.replaceAll("\"payload\":\\{.*}}$", "\"payload\":null}")), ErrorCode.MISSING_FIELD),
        Arguments.of("a payload array", page.apply(entry.replaceAll("\"payload\":\\{.*}}$", "\"payload\":[1]}")), ErrorCode.INVALID_FIELD),
        Arguments.of("a payload number", page.apply(entry.replaceAll("\"payload\":\\{.*}}$", "\"payload\":7}")), ErrorCode.INVALID_FIELD),
        Arguments.of("a payload that is not JSON", page.apply(entry.replace("\"child\":\"C1\"}", "\"child\":}")), ErrorCode.MALFORMED_JSON),
        Arguments.of("a duplicate key in an entry", page.apply(entry.replace("{\"seq\":41,", "{\"seq\":41,\"seq\":42,")), ErrorCode.MALFORMED_JSON),
        Arguments.of("a duplicate key in a payload", page.apply(entry.replace("\"child\":\"C1\"", "\"child\":\"C1\",\"child\":\"C2\"")),
            ErrorCode.MALFORMED_JSON),
        Arguments.of("a deeply nested payload", page.apply(entry.replace("\"child\":\"C1\"", "\"x\":" + "[".repeat(30) + "]".repeat(30))),
            ErrorCode.TOO_LARGE),
        Arguments.of("seqs descending", page.apply(entry + "," + entry.replace("\"seq\":41", "\"seq\":40")), ErrorCode.INVALID_FIELD),
        Arguments.of("seq as text", page.apply(entry.replace("\"seq\":41", "\"seq\":\"41\"")), ErrorCode.INVALID_FIELD),
        Arguments.of("no seq", page.apply(entry.replace("\"seq\":41,", "")), ErrorCode.MISSING_FIELD),
        Arguments.of("at not an instant", page.apply(entry.replace("2026-12-01T10:15:30Z", "yesterday")), ErrorCode.INVALID_FIELD),
        Arguments.of("a type of 65 characters", page.apply(entry.replace("link.v1", "l".repeat(65))), ErrorCode.INVALID_FIELD),
        Arguments.of("an empty key", page.apply(entry.replace("\"key\":\"C1\"", "\"key\":\"\"")), ErrorCode.INVALID_FIELD),
        Arguments.of("no next", good.replace("\"next\":43,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("head as text", good.replace("\"head\":57", "\"head\":\"57\""), ErrorCode.INVALID_FIELD),
        Arguments.of("too many bytes", "{\"v\":1,\"pad\":\"" + "x".repeat(70 * 1024) + "\"}", ErrorCode.TOO_LARGE));
  }

  /** Each hostile page is refused whole with the code a tree reading gave (the page is streamed now, {@code decodePage}). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostilePages")
  void aHostilePage_isRefusedWhole_withAStableCode(String what, String json, ErrorCode code) {
    assertThatThrownBy(() -> CODEC.decodePage(json)).isInstanceOf(CodecException.class)
        .satisfies(e -> assertThat(((CodecException) e).code()).as(what).isEqualTo(code));
  }

  @Test
  void aPage_keepsEachPayloadAsItCame_escapesAndSpacesIncluded_andAFieldAddedLaterIsIgnored() throws IOException {
    String payload = "{ \"parent\" : \"P2001-5\",\n \"child\":\"C\\u0031\", \"note\":\"a \\\"quoted\\\" } ] word\" }";
    String json = "{\"v\":1,\"later\":{\"x\":[1,2]},\"next\":43,\"head\":57,\"entries\":[{\"seq\":41,\"type\":\"link.v1\","
        + "\"key\":\"C1\",\"at\":\"2026-12-01T10:15:30Z\",\"origin\":\"admin\",\"extra\":true,\"payload\":" + payload + "}]}";

    ChangePage read = CODEC.decodePage(json);

    assertThat(read.entries()).hasSize(1);
    assertThat(read.entries().getFirst().payload()).isEqualTo(payload);
    assertThat(CODEC.change(read.entries().getFirst())).hasValue(new Change.Link("P2001-5", "C1"));
    assertThat(List.of(read.next(), read.head())).containsExactly(43L, 57L);
  }
}
