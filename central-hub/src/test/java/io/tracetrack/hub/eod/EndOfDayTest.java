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
      s.send("POST", "/api/v1/bills/EOD0001/parents", "{\"parent\":\"P300-3\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller");
      s.send("POST", "/api/v1/bills/EOD0001/finalize", "{\"shortClose\":false}", "biller");
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      JsonNode eod = HubTestServer.json(s.send("GET", "/api/v1/eod?date=" + today + "&tz=UTC", null, "biller"));
      assertThat(eod.get("billsByStatus").get("FINALIZED").asLong()).isEqualTo(1);
      assertThat(eod.get("billsByUser").get("bella").asLong()).isEqualTo(1);
      assertThat(eod.get("bills").get(0).get("children").asLong()).isEqualTo(3);
      assertThat(eod.get("bills").get(0).get("actualKg").asDouble()).isEqualTo(3.0);
      assertThat(eod.get("bills").get(0).get("expectedKg").asDouble()).as("P300-3: 3 children at 1 kg").isEqualTo(3.0);
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void dayRoute_inTheDeploymentsZone_asJsonCsvAndXlsx_withTheErrorRateFromRefusedScans(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind, "--zone", "Asia/Kolkata")) {
      // 20:00 UTC on 22 Nov is 01:30 on 23 Nov in Kolkata: the deployment's day, not UTC's.
      // Tokens are signed on the hub's clock, so the callers sign in after it is set.
      s.clock.set(java.time.Instant.parse("2026-11-22T20:00:00Z"));
      String admin = s.tokenFor("ada", io.tracetrack.model.Role.ADMIN, null);
      String biller = s.tokenFor("bert", io.tracetrack.model.Role.BILLER, null);
      String dispatcher = s.tokenFor("dina", io.tracetrack.model.Role.DISPATCHER, "NORTH");
      String json = "application/json";
      s.send("POST", "/api/v1/bags", dispatcher, json, "{\"code\":\"P400-3\"}");
      s.send("POST", "/api/v1/links", dispatcher, json, "{\"parent\":\"P400-3\",\"child\":\"C401\"}");
      s.send("POST", "/api/v1/links", dispatcher, json, "{\"parent\":\"P400-3\",\"child\":\"C402\"}");
      s.send("POST", "/api/v1/links", admin, json, "{\"parent\":\"P400-3\",\"child\":\"C403\"}");
      s.send("POST", "/api/v1/bills", biller, json,
          "{\"id\":\"EOD0002\",\"destination\":\"=1+2\",\"vehicle\":\"KA01\",\"capacity\":1}");
      refusedScan(s, 1, "2026-11-22T20:05:00Z");
      refusedScan(s, 2, "2026-11-22T18:00:00Z"); // 23:30 on the 22nd in Kolkata: the day before

      var dayRes = s.send("GET", "/api/v1/eod/2026-11-23", biller, null, null);
      assertThat(dayRes.status()).as(dayRes.text()).isEqualTo(200);
      JsonNode day = dayRes.json();
      assertThat(day.get("zone").asText()).isEqualTo("Asia/Kolkata");
      assertThat(day.get("parentsCreated").asLong()).isEqualTo(1);
      assertThat(day.get("childrenLinked").asLong()).isEqualTo(3);
      assertThat(day.get("scansByDispatcher").get("dina").asLong()).isEqualTo(2);
      assertThat(day.get("billsByStatus").get("OPEN").asLong()).isEqualTo(1);
      assertThat(day.get("billsByUser").get("bert").asLong()).isEqualTo(1);
      assertThat(day.get("bills").get(0).get("destination").asText()).isEqualTo("=1+2");
      assertThat(day.get("refusedScans").asLong()).isEqualTo(1);
      assertThat(day.get("errorRate").asDouble()).isEqualTo(1.0 / 4);
      JsonNode before = s.send("GET", "/api/v1/eod/2026-11-22", biller, null, null).json();
      assertThat(before.get("refusedScans").asLong()).isEqualTo(1);
      assertThat(before.get("parentsCreated").asLong()).isZero();

      var csvRes = s.send("GET", "/api/v1/eod/2026-11-23.csv", biller, null, null);
      assertThat(csvRes.contentType()).startsWith("text/csv");
      var csvRows = io.tracetrack.hub.io.ExportFormatsTestAccess.csv(csvRes.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] xlsx = xlsxBytes(s, "/api/v1/eod/2026-11-23.xlsx", admin);
      assertThat(io.tracetrack.hub.io.ExportFormatsTestAccess.xlsx(xlsx, csvRows.getFirst().size()))
          .isEqualTo(io.tracetrack.hub.io.ExportFormatsTestAccess.numbersNormalised(csvRows));
      assertThat(csvRows).contains(List.of("totals", "children linked", "3", "", "", "", "", "", "", "", ""));
      assertThat(csvRows).anySatisfy(r -> assertThat(r.subList(0, 6)).containsExactly("bill", "EOD0002", "", "OPEN", "bert", "'=1+2"));

      for (String bad : List.of("2026-13-01", "yesterday", "2026-11-23.pdf", "2026-11-23.csv.xlsx", "%3Cscript%3E")) {
        var res = s.send("GET", "/api/v1/eod/" + bad, admin, null, null);
        assertThat(res.status()).as(bad).isEqualTo(400);
        assertThat(res.json().get("code").asText()).isEqualTo("INVALID_FILTER");
      }
      assertThat(s.send("GET", "/api/v1/eod/2026-11-23.xlsx", dispatcher, null, null).status()).isEqualTo(403);
      assertThat(s.send("GET", "/api/v1/eod/2026-11-23.csv", null, null, null).status()).isEqualTo(401);
    }
  }

  private static byte[] xlsxBytes(HubTestServer s, String path, String token) throws Exception {
    var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(s.uri(path))
        .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue(io.tracetrack.hub.io.ExportFormat.XLSX.contentType());
    return res.body();
  }

  /** A dock's scan the hub refused on sync, as the sync ingest records it. */
  private static void refusedScan(HubTestServer s, int seq, String at) {
    var c = io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;
    s.db.dsl().insertInto(c).set(c.CODE, "CHILD_ALREADY_LINKED").set(c.MESSAGE, "already on another parent")
        .set(c.DOCK, "dock-1").set(c.EDGE_ID, "edge-1").set(c.OP_SEQ, (long) seq).set(c.OP_TYPE, "LINK")
        .set(c.OP_JSON, "{}").set(c.ACTOR, "nina").set(c.STATION, "s1").set(c.HLC_WALL, 1L).set(c.HLC_LOGICAL, 0)
        .set(c.HUB_AT, java.time.OffsetDateTime.parse(at)).execute();
  }
}
