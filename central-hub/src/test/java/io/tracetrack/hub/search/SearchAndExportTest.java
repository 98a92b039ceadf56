package io.tracetrack.hub.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.io.SafeCsv;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Search and export over real HTTP, on H2 and on PostgreSQL. */
class SearchAndExportTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static void seed(HubTestServer s) throws Exception {
    s.send("POST", "/api/v1/bags", "{\"code\":\"P100-5\"}", "admin");
    s.send("POST", "/api/v1/bags", "{\"code\":\"P101-5\"}", "admin");
    for (int i = 0; i < 5; i++) {
      s.send("POST", "/api/v1/links", "{\"parent\":\"P100-5\",\"child\":\"C10" + i + "\"}", "admin");
    }
    for (int i = 0; i < 3; i++) {
      s.send("POST", "/api/v1/bags", "{\"code\":\"C20" + i + "\"}", "admin");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void search_exactFirst_thenPrefixPagesByKeyset_andDidYouMeanOnAMiss(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      seed(s);
      JsonNode first = HubTestServer.json(s.send("GET", "/api/v1/search?q=p100-5", null, "admin"));
      assertThat(first.get("exact").get("code").asText()).isEqualTo("P100-5");
      JsonNode page1 = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&limit=3", null, "admin"));
      assertThat(page1.get("results")).hasSize(3);
      List<String> all = new ArrayList<>();
      page1.get("results").forEach(n -> all.add(n.get("code").asText()));
      String next = page1.get("next").asText();
      JsonNode page2 = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&limit=3&after=" + next, null, "admin"));
      page2.get("results").forEach(n -> all.add(n.get("code").asText()));
      JsonNode page3 = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&limit=3&after=" + page2.get("next").asText(), null, "admin"));
      page3.get("results").forEach(n -> all.add(n.get("code").asText()));
      assertThat(all).containsExactly("C100", "C101", "C102", "C103", "C104", "C200", "C201", "C202");
      JsonNode unlinked = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&linked=false", null, "admin"));
      assertThat(unlinked.get("results")).extracting(n -> n.get("code").asText()).containsExactly("C200", "C201", "C202");
      JsonNode miss = HubTestServer.json(s.send("GET", "/api/v1/search?q=C109", null, "admin"));
      assertThat(miss.get("results")).isEmpty();
      assertThat(miss.get("didYouMean")).extracting(JsonNode::asText).contains("C100");
      assertThat(s.send("GET", "/api/v1/search?q=%3Cscript%3E", null, "admin").statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/search?q=C&limit=500", null, "admin").statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/search?q=C&from=yesterday", null, "admin").statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/search?q=C%25", null, "admin").statusCode()).isEqualTo(400);
      JsonNode dispatcher = HubTestServer.json(s.send("GET", "/api/v1/search?q=P", null, "dispatcher"));
      assertThat(dispatcher.get("results")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void export_streamsEveryRowAsCsv(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      seed(s);
      HttpResponse<String> bags = s.send("GET", "/api/v1/exports/bags.csv", null, "biller");
      assertThat(bags.statusCode()).isEqualTo(200);
      assertThat(bags.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
      String[] lines = bags.body().split("\r\n");
      assertThat(lines[0]).startsWith("code,role,");
      assertThat(lines).hasSize(1 + 10);
      s.send("POST", "/api/v1/bills", "{\"id\":\"=HACK01\",\"destination\":\"=cmd|' /C calc'!A0\",\"vehicle\":\"V1\",\"capacity\":2}", "biller");
      s.send("POST", "/api/v1/bills", "{\"id\":\"BILL77\",\"destination\":\"=cmd|' /C calc'!A0\",\"vehicle\":\"@V1\",\"capacity\":2}", "biller");
      s.send("POST", "/api/v1/bills/BILL77/parents", "{\"parent\":\"P100-5\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller");
      HttpResponse<String> bills = s.send("GET", "/api/v1/exports/bills.csv", null, "biller");
      assertThat(bills.statusCode()).isEqualTo(200);
      assertThat(bills.body()).contains("BILL77").contains("'=cmd").contains("'@V1").doesNotContain(",=cmd");
      assertThat(bills.body().split("\r\n")[1]).contains(",1,5,"); // one parent holding five children
      assertThat(s.send("GET", "/api/v1/exports/bills.csv", null, "dispatcher").statusCode()).isEqualTo(403);
      JsonNode billedKids = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&billed=true", null, "admin"));
      assertThat(billedKids.get("results")).extracting(n -> n.get("code").asText()).containsExactly("C100", "C101", "C102", "C103", "C104");
      JsonNode unbilled = HubTestServer.json(s.send("GET", "/api/v1/search?q=P&billed=false", null, "admin"));
      assertThat(unbilled.get("results")).extracting(n -> n.get("code").asText()).containsExactly("P101-5");
      JsonNode bag = HubTestServer.json(s.send("GET", "/api/v1/bags/C101", null, "admin"));
      assertThat(bag.get("bill").asText()).isEqualTo("BILL77");
      JsonNode found = HubTestServer.json(s.send("GET", "/api/v1/search?q=bill", null, "admin"));
      assertThat(found.get("bills")).extracting(n -> n.get("id").asText()).containsExactly("BILL77");
      JsonNode people = HubTestServer.json(s.send("GET", "/api/v1/search?q=be", null, "admin"));
      assertThat(people.get("users")).extracting(n -> n.get("username").asText()).containsExactly("bella");
      HttpResponse<String> scans = s.send("GET", "/api/v1/exports/scans.csv", null, "admin");
      assertThat(scans.body().split("\r\n")).hasSizeGreaterThan(5);
      assertThat(s.send("GET", "/api/v1/exports/bags.csv", null, null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void cellsASpreadsheetWouldRun_areEscaped() {
    assertThat(SafeCsv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("'=HYPERLINK(\"http://evil\")");
    assertThat(SafeCsv.cell("+1")).isEqualTo("'+1");
    assertThat(SafeCsv.cell("-2")).isEqualTo("'-2");
    assertThat(SafeCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(SafeCsv.cell("\tx")).isEqualTo("'\tx");
    assertThat(SafeCsv.cell("\rx")).isEqualTo("'\rx");
    assertThat(SafeCsv.cell("P1-3")).isEqualTo("P1-3");
    assertThat(SafeCsv.cell(null)).isEmpty();
    assertThat(SafeCsv.cell(42)).isEqualTo("42");
  }

  @org.junit.jupiter.api.Test
  void aCursorNotGivenOut_isRefused_notRestartedAtPageOne() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      seed(s);
      for (String after : new String[] {"garbage", "C", "P100-5", "%20", "C1%27--"}) {
        var res = s.send("GET", "/api/v1/search?q=C&limit=3&after=" + after, null, "admin");
        assertThat(res.statusCode()).as(after).isEqualTo(400);
        assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("INVALID_CURSOR");
      }
      // a cursor it gave out still pages on
      String next = HubTestServer.json(s.send("GET", "/api/v1/search?q=C&limit=3", null, "admin")).get("next").asText();
      assertThat(s.send("GET", "/api/v1/search?q=C&limit=3&after=" + next, null, "admin").statusCode()).isEqualTo(200);
    }
  }

  @org.junit.jupiter.api.Test
  void badDatesAndLimits_sayWhatIsExpected_inOurWords() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      for (String query : new String[] {"from=notadate", "to=2026-13-45", "from=2026-11-22T25:00:00Z", "limit=abc", "limit=99999999999"}) {
        var res = s.send("GET", "/api/v1/search?q=C&" + query, null, "admin");
        assertThat(res.statusCode()).as(query).isEqualTo(400);
        var problem = HubTestServer.json(res);
        assertThat(problem.get("code").asText()).isEqualTo("INVALID_FILTER");
        String detail = problem.get("detail").asText();
        assertThat(detail).as(query).doesNotContain("Text '", "could not be parsed", "For input string", "java.", "Exception");
        if (query.startsWith("from") || query.startsWith("to")) {
          assertThat(detail).contains("2026-11-22");
        }
      }
      // a plain date is taken as its start, UTC
      assertThat(s.send("GET", "/api/v1/search?q=C&from=2026-11-22", null, "admin").statusCode()).isEqualTo(200);
    }
  }
}
