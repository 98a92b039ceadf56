package io.tracetrack.hub.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every export as CSV and as XLSX over real HTTP, on H2 and PostgreSQL: the two hold the same cells. */
class ExportFormatsTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static void seed(HubTestServer s) throws Exception {
    s.send("POST", "/api/v1/bags", "{\"code\":\"P100-5\"}", "admin");
    s.send("POST", "/api/v1/bags", "{\"code\":\"P101-5\"}", "dispatcher");
    for (int i = 0; i < 5; i++) {
      s.send("POST", "/api/v1/links", "{\"parent\":\"P100-5\",\"child\":\"C10" + i + "\"}", "admin");
    }
    s.send("POST", "/api/v1/links", "{\"parent\":\"P101-5\",\"child\":\"C200\"}", "dispatcher");
    s.send("POST", "/api/v1/bills", "{\"id\":\"BILL77\",\"destination\":\"=cmd|' /C calc'!A0\",\"vehicle\":\"@V1\",\"capacity\":2}",
        "biller");
    s.send("POST", "/api/v1/bills/BILL77/parents", "{\"parent\":\"P100-5\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller");
    s.send("POST", "/api/v1/bills", "{\"id\":\"BILL78\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":1}", "biller");
  }

  static byte[] bytes(HubTestServer s, String path, String who) throws Exception {
    HttpResponse<byte[]> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.hub.server().port() + path))
        .header("Authorization", "Bearer " + s.tokens.get(who)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.statusCode()).as(path).isEqualTo(200);
    return res.body();
  }

  /** The CSV's rows, header first. */
  static List<List<String>> csv(byte[] body) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    for (CSVRecord r : CSVFormat.RFC4180.parse(new StringReader(new String(body, java.nio.charset.StandardCharsets.UTF_8)))) {
      rows.add(r.toList());
    }
    return rows;
  }

  /** The first sheet's rows as text, header first; numbers as their plain decimal, booleans as true/false. */
  static List<List<String>> xlsx(byte[] body, int width) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(body))) {
      Sheet sheet = book.getSheetAt(0);
      for (Row row : sheet) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < width; i++) {
          Cell c = row.getCell(i);
          cells.add(c == null ? "" : switch (c.getCellType()) {
            case NUMERIC -> BigDecimal.valueOf(c.getNumericCellValue()).stripTrailingZeros().toPlainString();
            case BOOLEAN -> Boolean.toString(c.getBooleanCellValue());
            case STRING -> c.getStringCellValue();
            default -> throw new AssertionError("unexpected cell type " + c.getCellType() + " at " + c.getAddress());
          });
        }
        rows.add(cells);
      }
    }
    return rows;
  }

  /** CSV numbers as XLSX shows them (5 and 5.0 are one number). */
  static List<List<String>> numbersNormalised(List<List<String>> rows) {
    return rows.stream().map(r -> r.stream().map(cell -> {
      if (cell.matches("-?\\d+(\\.\\d+)?")) {
        return new BigDecimal(cell).stripTrailingZeros().toPlainString();
      }
      return cell;
    }).toList()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyExport_xlsxHoldsTheSameCellsAsTheCsv(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      seed(s);
      for (String export : List.of("bags", "scans", "bills", "user-activity")) {
        List<List<String>> csv = csv(bytes(s, "/api/v1/exports/" + export + ".csv", "admin"));
        List<List<String>> xlsx = xlsx(bytes(s, "/api/v1/exports/" + export + ".xlsx", "admin"), csv.getFirst().size());
        assertThat(csv).as(export).hasSizeGreaterThan(1);
        assertThat(xlsx).as(export).isEqualTo(numbersNormalised(csv));
      }
      List<List<String>> activity = csv(bytes(s, "/api/v1/exports/user-activity.csv", "admin"));
      List<String> admin = activity.stream().filter(r -> r.getFirst().equals("admin")).findFirst().orElseThrow();
      // username, role, area, disabled, scans, links, undos, parents_created, bills_created, bills_finalized, last_scan_at
      assertThat(admin.subList(0, 10)).containsExactly("admin", "ADMIN", "", "false", "6", "5", "0", "1", "0", "0");
      List<String> bella = activity.stream().filter(r -> r.getFirst().equals("bella")).findFirst().orElseThrow();
      assertThat(bella.get(8)).isEqualTo("2");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void cellsASpreadsheetWouldRun_areTextInTheSheet_escapedAsInTheCsv(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      seed(s);
      try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(bytes(s, "/api/v1/exports/bills.xlsx", "biller")))) {
        Row bill = book.getSheetAt(0).getRow(1);
        assertThat(bill.getCell(0).getStringCellValue()).isEqualTo("BILL77");
        assertThat(bill.getCell(2).getCellType()).isEqualTo(CellType.STRING);
        assertThat(bill.getCell(2).getStringCellValue()).isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(bill.getCell(3).getStringCellValue()).isEqualTo("'@V1");
        assertThat(bill.getCell(5).getCellType()).isEqualTo(CellType.NUMERIC);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void filters_narrowEachExport_andDispatchersKeepToTheirArea(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      seed(s);
      assertThat(csv(bytes(s, "/api/v1/exports/bags.csv?status=parent", "admin")).stream().skip(1).map(List::getFirst))
          .containsExactly("P100-5", "P101-5");
      assertThat(csv(bytes(s, "/api/v1/exports/bills.xlsx".replace("xlsx", "csv") + "?status=OPEN", "biller")))
          .hasSize(3);
      String today = java.time.LocalDate.ofInstant(s.clock.instant(), java.time.ZoneId.systemDefault()).toString();
      assertThat(csv(bytes(s, "/api/v1/exports/scans.csv?from=" + today + "&to=" + today + "&status=LINK", "admin")))
          .hasSize(1 + 6);
      assertThat(csv(bytes(s, "/api/v1/exports/scans.csv?to=2020-01-01", "admin"))).hasSize(1);
      // nina's area is NORTH: her own parent and child only, whatever she asks for
      assertThat(csv(bytes(s, "/api/v1/exports/bags.csv", "dispatcher")).stream().skip(1).map(List::getFirst))
          .containsExactly("C200", "P101-5");
      assertThat(xlsx(bytes(s, "/api/v1/exports/bags.xlsx?area=NORTH", "dispatcher"), 1)).hasSize(3);
      assertThat(s.send("GET", "/api/v1/exports/bags.xlsx?area=SOUTH", null, "dispatcher").statusCode()).isEqualTo(403);
      assertThat(csv(bytes(s, "/api/v1/exports/bags.csv", "dispatcher-south"))).hasSize(1);
      assertThat(s.send("GET", "/api/v1/exports/bills.xlsx", null, "dispatcher").statusCode()).isEqualTo(403);
      assertThat(s.send("GET", "/api/v1/exports/user-activity.xlsx", null, "biller").statusCode()).isEqualTo(403);
      assertThat(s.send("GET", "/api/v1/exports/user-activity.csv", null, "dispatcher").statusCode()).isEqualTo(403);
      assertThat(s.send("GET", "/api/v1/exports/bags.xlsx", null, null).statusCode()).isEqualTo(401);
    }
  }

  @Nested
  class HostileFilters {

    @Test
    void badFilters_are400InvalidFilter_sayingWhatIsExpected() throws Exception {
      try (HubTestServer s = HubTestServer.start("h2")) {
        for (String query : List.of("bags.xlsx?from=yesterday", "bags.csv?to=2026-13-45", "bills.xlsx?status=PAID",
            "scans.csv?status=DROP%20TABLE", "bags.csv?colour=red", "bags.xlsx?area=north%27--", "bills.csv?area=NORTH",
            "bags.csv?from=2026-12-02&to=2026-12-01", "bags.csv?status=PARENT&status=CHILD",
            "user-activity.xlsx?from=2026-11-22T25:00", "bags.csv?%3Cscript%3E=1")) {
          var res = s.send("GET", "/api/v1/exports/" + query, null, "admin");
          assertThat(res.statusCode()).as(query).isEqualTo(400);
          JsonNode problem = HubTestServer.json(res);
          assertThat(problem.get("code").asText()).as(query).isEqualTo("INVALID_FILTER");
          assertThat(problem.get("detail").asText()).as(query).doesNotContain("<script>", "Exception", "java.");
        }
      }
    }
  }
}
