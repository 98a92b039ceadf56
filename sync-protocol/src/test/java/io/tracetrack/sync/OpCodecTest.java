package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Golden fixtures under {@code golden/v1/} are the released wire format: they never change. A
 * failing golden test means the codec broke compatibility, not that the fixture needs updating.
 */
class OpCodecTest {

  private static final OpCodec CODEC = new OpCodec();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OpEnvelope envelope(long seq, long wall, int logical, String station, Op op) {
    return new OpEnvelope(new OpId("edge-7f3a9c", seq), new Hlc(wall, logical), "asha", "DOCK-1", station, op);
  }

  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of("create-parent.json", envelope(1, 1795337619123L, 0, "station-1", new Op.CreateParent("P1001-3", 3, 3))),
        Arguments.of("create-parent-sb.json", envelope(5, 1795337619999L, 0, "station-1", new Op.CreateParent("SB12345", null, 30))),
        Arguments.of("link.json", envelope(2, 1795337619123L, 1, "station-1", new Op.Link("P1001-3", "C1"))),
        Arguments.of("unlink.json", envelope(3, 1795337620500L, 0, "terminal-2", new Op.Unlink("P1001-3", "C1", Op.UnlinkReason.UNDO))),
        Arguments.of("finish.json", envelope(4, 1795337621000L, 2, "station-1", new Op.Finish("P1001-3", 2))));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = OpCodecTest.class.getResourceAsStream("/golden/v1/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decode_golden_givesTheOp(String fixture, OpEnvelope expected) throws IOException {
    assertThat(CODEC.decode(golden(fixture))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encode_op_givesTheGoldenJson(String fixture, OpEnvelope op) throws IOException {
    assertThat(JSON.readTree(CODEC.encode(op))).isEqualTo(JSON.readTree(golden(fixture)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void roundTrip_isIdentity(String fixture, OpEnvelope op) {
    assertThat(CODEC.decode(CODEC.encode(op))).isEqualTo(op);
  }

  /**
   * The text with {@code target} replaced; fails when {@code target} is absent, so a fixture whose
   * layout changed cannot turn a case into a copy of the valid input that passes for the wrong reason.
   */
  private static String edited(String text, String target, String replacement) {
    assertThat(text).as("text to edit").contains(target);
    return text.replace(target, replacement);
  }

  @Test
  void unknownFields_areTolerated() throws IOException {
    String withExtra = edited(golden("link.json"), "\"v\" : 1,", "\"v\" : 1, \"addedInV1_1\" : {\"x\": [1,2]},");
    withExtra = edited(withExtra, "\"type\" : \"LINK\",", "\"type\" : \"LINK\", \"note\" : \"added later\",");
    assertThat(JSON.readTree(withExtra).has("addedInV1_1")).isTrue();
    assertThat(CODEC.decode(withExtra))
        .isEqualTo(envelope(2, 1795337619123L, 1, "station-1", new Op.Link("P1001-3", "C1")));
  }

  @Test
  void edited_targetMissing_fails() {
    assertThatThrownBy(() -> edited("{\"v\":1}", "\"v\" : 1", "x")).isInstanceOf(AssertionError.class);
  }

  static Stream<Arguments> hostile() {
    String link = "{\"v\":1,\"id\":{\"edge\":\"e1\",\"seq\":1},\"hlc\":{\"wall\":1,\"logical\":0},"
        + "\"actor\":\"a\",\"dock\":\"d\",\"station\":\"s\",\"op\":{\"type\":\"LINK\",\"parent\":\"P1-3\",\"child\":\"C1\"}}";
    return Stream.of(
        Arguments.of("empty", "", ErrorCode.MALFORMED_JSON),
        Arguments.of("truncated", link.substring(0, 40), ErrorCode.MALFORMED_JSON),
        Arguments.of("not an object", "[1,2,3]", ErrorCode.INVALID_FIELD),
        Arguments.of("null", "null", ErrorCode.INVALID_FIELD),
        Arguments.of("version 2", edited(link, "\"v\":1", "\"v\":2"), ErrorCode.UNSUPPORTED_VERSION),
        Arguments.of("version as string", edited(link, "\"v\":1", "\"v\":\"1\""), ErrorCode.INVALID_FIELD),
        Arguments.of("missing version", edited(link, "\"v\":1,", ""), ErrorCode.MISSING_FIELD),
        Arguments.of("seq zero", edited(link, "\"seq\":1", "\"seq\":0"), ErrorCode.INVALID_FIELD),
        Arguments.of("seq fraction", edited(link, "\"seq\":1", "\"seq\":1.5"), ErrorCode.INVALID_FIELD),
        Arguments.of("seq huge", edited(link, "\"seq\":1", "\"seq\":99999999999999999999"), ErrorCode.INVALID_FIELD),
        Arguments.of("seq too many digits", edited(link, "\"seq\":1", "\"seq\":" + "9".repeat(40)), ErrorCode.TOO_LARGE),
        Arguments.of("negative wall", edited(link, "\"wall\":1", "\"wall\":-1"), ErrorCode.INVALID_FIELD),
        Arguments.of("edge id with slash", edited(link, "\"e1\"", "\"../etc\""), ErrorCode.INVALID_FIELD),
        Arguments.of("unknown type", edited(link, "LINK", "DROP_TABLE"), ErrorCode.UNKNOWN_OP_TYPE),
        Arguments.of("child null", edited(link, "\"C1\"", "null"), ErrorCode.MISSING_FIELD),
        Arguments.of("child number", edited(link, "\"C1\"", "7"), ErrorCode.INVALID_FIELD),
        Arguments.of("actor blank", edited(link, "\"actor\":\"a\"", "\"actor\":\" \""), ErrorCode.INVALID_FIELD),
        Arguments.of("deep nesting", "{\"v\":1,\"x\":" + "[".repeat(500) + "]".repeat(500) + "}", ErrorCode.TOO_LARGE),
        Arguments.of("huge string", edited(link, "\"a\"", "\"" + "a".repeat(5000) + "\""), ErrorCode.TOO_LARGE),
        Arguments.of("huge document", link + " ".repeat(OpCodec.MAX_BYTES), ErrorCode.TOO_LARGE),
        Arguments.of("bad unlink reason", edited(link, "\"type\":\"LINK\"", "\"type\":\"UNLINK\",\"reason\":\"WHIM\""), ErrorCode.INVALID_FIELD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void decode_hostileInput_isRefusedWithAStableCode(String name, String json, ErrorCode code) {
    assertThatThrownBy(() -> CODEC.decode(json))
        .isInstanceOf(CodecException.class)
        .satisfies(e -> assertThat(((CodecException) e).code()).isEqualTo(code));
  }
}
