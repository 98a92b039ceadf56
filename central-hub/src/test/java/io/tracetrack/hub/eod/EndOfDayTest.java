package io.tracetrack.hub.eod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The end-of-day summary over real HTTP, on H2 and PostgreSQL. */
class EndOfDayTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void summary_countsTheDaysBillsParentsLinksAndUndos(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      s.send("POST", "/api/v1/bags", "{\"code\":\"P300-3\"}", "admin");
      s.send("POST", "/api/v1/bags", "{\"code\":\"P301-5\"}", "admin");
      for (String c : List.of("C301", "C302", "C303")) {
        s.send("POST", "/api/v1/links", "{\"parent\":\"P300-3\",\"child\":\"" + c + "\"}", "admin");
      }
      s.send("POST", "/api/v1/links", "{\"parent\":\"P301-5\",\"child\":\"C304\"}", "admin");
      s.send("DELETE", "/api/v1/links/C304?parent=P301-5", null, "admin");
      s.send("POST", "/api/v1/bills", "{\"id\":\"EOD0001\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":1}", "biller");
      s.send("POST", "/api/v1/bills/EOD0001/parents", "{\"parent\":\"P300-3\"}", "biller");
      s.send("POST", "/api/v1/bills/EOD0001/finalize", "{\"shortClose\":false}", "biller");
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      JsonNode eod = HubTestServer.json(s.send("GET", "/api/v1/eod?date=" + today + "&tz=UTC", null, "biller"));
      assertThat(eod.get("billsByStatus").get("FINALIZED").asLong()).isEqualTo(1);
      assertThat(eod.get("billsByUser").get("bella").asLong()).isEqualTo(1);
      assertThat(eod.get("bills").get(0).get("children").asLong()).isEqualTo(3);
      assertThat(eod.get("bills").get(0).get("actualKg").asDouble()).isEqualTo(3.0);
      assertThat(eod.get("bills").get(0).get("expectedKg").asDouble()).isEqualTo(30.0);
      assertThat(eod.get("parentsCreated").asLong()).isEqualTo(2);
      assertThat(eod.get("childrenLinked").asLong()).isEqualTo(3);
      assertThat(eod.get("undos").asLong()).isEqualTo(1);
      assertThat(eod.get("undoRate").asDouble()).isEqualTo(0.25);
      assertThat(eod.get("parentsLeftIncomplete")).extracting(JsonNode::asText).containsExactly("P301-5");
      assertThat(eod.get("scansByDispatcher").get("admin").asLong()).isEqualTo(4);
      JsonNode yesterday = HubTestServer.json(s.send("GET", "/api/v1/eod?date=2020-01-01&tz=Asia/Kolkata", null, "admin"));
      assertThat(yesterday.get("parentsCreated").asLong()).isZero();
      assertThat(java.time.OffsetDateTime.parse(yesterday.get("from").asText()).toInstant())
          .isEqualTo(java.time.Instant.parse("2019-12-31T18:30:00Z"));
      assertThat(s.send("GET", "/api/v1/eod?date=yesterday", null, "admin").statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/eod?tz=Mars/Olympus", null, "admin").statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/eod", null, "dispatcher").statusCode()).isEqualTo(403);
    }
  }
}
