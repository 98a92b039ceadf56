package io.tracetrack.edge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.edge.TestEdge;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalCaptureTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestEdge edge;

  @BeforeEach
  void open() {
    edge = new TestEdge(dir);
  }

  @AfterEach
  void close() {
    edge.close();
  }

  private List<JsonNode> feed(byte[] input) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TerminalCapture(edge.scans, "t1", "asha").run(new ByteArrayInputStream(input), new PrintStream(out, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private List<JsonNode> feed(String input) throws Exception {
    return feed(input.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void issueExample_threeLinksCompleteParentC4Rejected() throws Exception {
    List<JsonNode> out = feed("P1001-3\nC1\nC2\nC3\nC4\n");
    assertThat(out).hasSize(5);
    assertThat(out).extracting(n -> n.get("accepted").asBoolean()).containsExactly(true, true, true, true, false);
    assertThat(out.get(3).get("complete").asBoolean()).isTrue();
    assertThat(out.get(4).get("code").asText()).isEqualTo("C4");
    assertThat(out.get(4).get("reason").asText()).isEqualTo("PARENT_COMPLETE");
    for (JsonNode n : out) {
      assertThat(n.has("parent")).isTrue();
      assertThat(n.has("count")).isTrue();
      assertThat(n.has("limit")).isTrue();
    }
  }

  @Test
  void crLfTabAndMissingFinalNewline_frameScansLikeAScanner() throws Exception {
    List<JsonNode> out = feed("p5-5\r\nc1\tc2\rc3");
    assertThat(out).extracting(n -> n.get("code").asText()).containsExactly("P5-5", "C1", "C2", "C3");
    assertThat(out).allSatisfy(n -> assertThat(n.get("accepted").asBoolean()).isTrue());
  }

  @Test
  void emptyLine_isAnsweredAsEmpty() throws Exception {
    List<JsonNode> out = feed("\n\nP5-5\n");
    assertThat(out).extracting(n -> n.get("detail").asText()).startsWith("EMPTY", "EMPTY");
    assertThat(out.get(2).get("accepted").asBoolean()).isTrue();
  }

  @Test
  void invalidUtf8AndAHugeLine_areRejected_andTheNextScanWorks() throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes("P5-5\n".getBytes(StandardCharsets.US_ASCII));
    in.writeBytes(new byte[] {'C', (byte) 0xC3, (byte) 0x28, '1', '\n'});
    in.writeBytes(("C" + "1".repeat(2_000_000) + "\n").getBytes(StandardCharsets.US_ASCII));
    in.writeBytes("C7\n".getBytes(StandardCharsets.US_ASCII));
    List<JsonNode> out = feed(in.toByteArray());
    assertThat(out).hasSize(4);
    assertThat(out.get(1).get("detail").asText()).isEqualTo("INVALID_CHARACTER");
    assertThat(out.get(2).get("detail").asText()).isEqualTo("TOO_LONG");
    assertThat(out.get(3).get("accepted").asBoolean()).isTrue();
    assertThat(edge.count("select count(*) from bag")).isEqualTo(2);
  }
}
