package io.tracetrack.hub.bill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.HubTestServer.Answer;
import io.tracetrack.model.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bill routes over real HTTP against the real hub (Main.Hub on H2): who may call them, the
 * whole life of a bill, and hostile requests, each answered with problem+json and a stable code
 * while nothing changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillRoutesTest {

  private static final String JSON = "application/json";

  private HubTestServer hub;
  private String admin;
  private String biller;
  private String dispatcher;

  /** One request of each route, as any caller would send it. */
  private record Call(String method, String path, String body) {}

  private static final List<Call> EVERY_ROUTE = List.of(
      new Call("POST", "/api/v1/bills", "{\"id\":\"AUTH0001\",\"destination\":\"Delhi\",\"vehicle\":\"MH12\",\"capacity\":5}"),
      new Call("GET", "/api/v1/bills", null),
      new Call("GET", "/api/v1/bills/GUARD001", null),
      new Call("PATCH", "/api/v1/bills/GUARD001", "{\"capacity\":9}"),
      new Call("POST", "/api/v1/bills/GUARD001/parents", "{\"parent\":\"P900-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}"),
      new Call("DELETE", "/api/v1/bills/GUARD001/parents/P901-5", null),
      new Call("POST", "/api/v1/bills/GUARD001/finalize", "{\"shortClose\":true}"),
      new Call("POST", "/api/v1/bills/GUARD001/reopen", null),
      new Call("GET", "/api/v1/bills/GUARD001/manifest", null));

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start("h2");
    admin = hub.adminToken();
    biller = hub.tokenFor("bina", Role.BILLER, null);
    dispatcher = hub.tokenFor("dev", Role.DISPATCHER, "NORTH");
    // a bill every guard test aims at: it must come out of them untouched
    assertThat(call("POST", "/api/v1/bills", admin,
        "{\"id\":\"GUARD001\",\"destination\":\"Delhi\",\"vehicle\":\"MH12\",\"capacity\":1}").status()).isEqualTo(201);
    assertThat(call("POST", "/api/v1/bills/GUARD001/parents", admin, "{\"parent\":\"P901-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}").status())
        .isEqualTo(200);
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  private Answer call(String method, String path, String token, String body) {
    return hub.send(method, path, token, body == null ? null : JSON, body);
  }

  private static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asText()).as(answer.text()).isEqualTo(code);
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
  }

  private String snapshot() {
    return call("GET", "/api/v1/bills/GUARD001", admin, null).text()
        + hub.db.dsl().fetchValue("select count(*) from bill")
        + hub.db.dsl().fetchValue("select count(*) from bill_parent")
        + hub.db.dsl().fetchValue("select count(*) from bag");
  }

  @Test
  void everyRoute_withoutAValidToken_is401AndChangesNothing() {
    String before = snapshot();
    for (Call c : EVERY_ROUTE) {
      assertProblem(call(c.method(), c.path(), null, c.body()), 401, "UNAUTHENTICATED");
      assertProblem(call(c.method(), c.path(), "not.a.token", c.body()), 401, "UNAUTHENTICATED");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void everyRoute_asDispatcher_is403AndChangesNothing() {
    String before = snapshot();
    for (Call c : EVERY_ROUTE) {
      assertProblem(call(c.method(), c.path(), dispatcher, c.body()), 403, "FORBIDDEN");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void billLifecycle_asBiller_everyRouteWorks() {
    Answer created = call("POST", "/api/v1/bills", biller,
        "{\"id\":\" life0001 \",\"destination\":\"Pune <Dock 4>\",\"vehicle\":\"MH14 XY 9\",\"capacity\":3}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    assertThat(created.json().get("id").asText()).isEqualTo("LIFE0001");
    assertThat(created.json().get("destination").asText()).isEqualTo("Pune <Dock 4>");
    assertThat(created.json().get("createdBy").asText()).isEqualTo("bina");

    Answer edited = call("PATCH", "/api/v1/bills/life0001", biller, "{\"capacity\":2,\"vehicle\":\"MH14 XY 10\"}");
    assertThat(edited.status()).as(edited.text()).isEqualTo(200);
    assertThat(edited.json().get("capacity").asInt()).isEqualTo(2);
    assertThat(edited.json().get("vehicle").asText()).isEqualTo("MH14 XY 10");

    assertProblem(call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"P501-5\"}"), 409, "UNKNOWN_PARENT");
    // an empty parent is not ready: refused naming its count, unless the biller says why (issue #16 item 2)
    Answer notReady = call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"P501-5\",\"create\":true}");
    assertProblem(notReady, 409, "PARENT_NOT_READY");
    assertThat(notReady.json().get("detail").asText()).startsWith("P501-5 has 0 of 5 children");
    assertProblem(call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"P501-5\",\"force\":true}"),
        400, "BILL_FIELD_INVALID");
    assertProblem(call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"P501-5\",\"reason\":\"why\"}"),
        400, "BILL_FIELD_INVALID");
    Answer forced = call("POST", "/api/v1/bills/LIFE0001/parents", biller,
        "{\"parent\":\"P501-5\",\"create\":true,\"force\":true,\"reason\":\"typed <at> the desk\"}");
    assertThat(forced.status()).as(forced.text()).isEqualTo(200);
    assertThat(forced.json().get("parents").get(0).get("forcedReason").asText()).isEqualTo("typed <at> the desk");
    assertThat(forced.json().get("warnings").get(0).get("code").asText()).isEqualTo("PARENT_SHORT");
    assertThat(call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"SB50002\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}").status())
        .isEqualTo(200);
    assertProblem(call("POST", "/api/v1/bills/LIFE0001/parents", biller, "{\"parent\":\"P503-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}"),
        409, "BILL_FULL");
    Answer removed = call("DELETE", "/api/v1/bills/LIFE0001/parents/SB50002", biller, null);
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().get("totals").get("parentCount").asInt()).isEqualTo(1);
    assertProblem(call("DELETE", "/api/v1/bills/LIFE0001/parents/SB50002", biller, null), 409, "PARENT_NOT_ON_BILL");

    assertProblem(call("POST", "/api/v1/bills/LIFE0001/finalize", biller, null), 409, "BILL_NOT_READY");
    Answer finalized = call("POST", "/api/v1/bills/LIFE0001/finalize", biller, "{\"shortClose\":true}");
    assertThat(finalized.status()).as(finalized.text()).isEqualTo(200);
    assertThat(finalized.json().get("status").asText()).isEqualTo("FINALIZED");
    assertThat(finalized.json().get("shortClosed").asBoolean()).isTrue();
    assertProblem(call("POST", "/api/v1/links", admin, "{\"parent\":\"P501-5\",\"child\":\"C5011\"}"), 409, "PARENT_FINALIZED");
    assertProblem(call("PATCH", "/api/v1/bills/LIFE0001", biller, "{\"capacity\":5}"), 409, "BILL_FINALIZED");

    Answer manifest = call("GET", "/api/v1/bills/LIFE0001/manifest", biller, null);
    assertThat(manifest.status()).isEqualTo(200);
    assertThat(manifest.json().get("bill").get("id").asText()).isEqualTo("LIFE0001");
    // P501-5's own count at 1 kg a child (it said 30 kg a parent before)
    assertThat(manifest.json().get("bill").get("totals").get("expectedKg").asInt()).isEqualTo(5);
    assertThat(manifest.json().get("bill").get("warnings").get(0).get("message").asText())
        .isEqualTo("P501-5 has 0 of 5 (added anyway: typed <at> the desk)");
    assertThat(manifest.json().get("qr").asText()).isEqualTo("TT1 BILL LIFE0001 N 1 P501-5");

    Answer reopened = call("POST", "/api/v1/bills/LIFE0001/reopen", biller, null);
    assertThat(reopened.status()).isEqualTo(200);
    assertThat(reopened.json().get("status").asText()).isEqualTo("OPEN");
    assertThat(reopened.json().get("reopenedBy").asText()).isEqualTo("bina");
    assertProblem(call("POST", "/api/v1/bills/LIFE0001/reopen", biller, null), 409, "BILL_NOT_FINALIZED");
    assertThat(call("POST", "/api/v1/links", admin, "{\"parent\":\"P501-5\",\"child\":\"C5011\"}").status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/bills/LIFE0001", biller, null).json().get("totals").get("actualKg").asInt())
        .isEqualTo(1);

    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      Answer page = call("GET", "/api/v1/bills?createdBy=bina&limit=1" + (cursor == null ? "" : "&cursor=" + cursor), biller, null);
      assertThat(page.status()).isEqualTo(200);
      page.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
      JsonNode next = page.json().get("nextCursor");
      cursor = next == null || next.isNull() ? null : next.asText();
    } while (cursor != null);
    assertThat(ids).contains("LIFE0001").doesNotContain("GUARD001");
  }

  @Test
  void admin_mayUseTheBillRoutes_andRefusalsAreStableCodes() {
    assertThat(call("POST", "/api/v1/bills", admin,
        "{\"id\":\"ADMN0001\",\"destination\":\"Delhi\",\"vehicle\":\"MH12\",\"capacity\":1}").status()).isEqualTo(201);
    assertProblem(call("POST", "/api/v1/bills", biller,
        "{\"id\":\"admn0001\",\"destination\":\"Delhi\",\"vehicle\":\"MH12\",\"capacity\":1}"), 409, "BILL_EXISTS");
    Answer other = call("POST", "/api/v1/bills/ADMN0001/parents", admin, "{\"parent\":\"P901-5\",\"force\":true,\"reason\":\"typed at the desk\"}");
    assertProblem(other, 409, "PARENT_ON_OTHER_BILL");
    assertThat(other.json().get("otherBill").asText()).isEqualTo("GUARD001");
    assertProblem(call("POST", "/api/v1/bills/ADMN0001/parents", admin, "{\"parent\":\"C12\"}"), 409, "CODE_IS_CHILD");
    assertThat(call("POST", "/api/v1/bills/ADMN0001/parents", admin, "{\"parent\":\"P701-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}").status())
        .isEqualTo(200);
    assertThat(call("POST", "/api/v1/bills/ADMN0001/finalize", admin, "{}").status()).isEqualTo(200);
    assertProblem(call("POST", "/api/v1/bills/ADMN0001/parents", admin, "{\"parent\":\"P702-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}"), 409,
        "BILL_FINALIZED");
    assertThat(call("POST", "/api/v1/bills/ADMN0001/reopen", admin, null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/bills?status=open", admin, null).json().get("items").findValuesAsText("id"))
        .contains("ADMN0001", "GUARD001");
    assertProblem(call("GET", "/api/v1/bills/NOSUCH01", admin, null), 404, "BILL_NOT_FOUND");
    assertProblem(call("GET", "/api/v1/bills/NOSUCH01/manifest", admin, null), 404, "BILL_NOT_FOUND");
    assertProblem(call("POST", "/api/v1/bills/NOSUCH01/finalize", admin, null), 404, "BILL_NOT_FOUND");
    assertProblem(call("DELETE", "/api/v1/bills/NOSUCH01/parents/P1-5", admin, null), 404, "BILL_NOT_FOUND");
  }

  @Test
  void hostileRequests_areProblemsWithStableCodes_andChangeNothing() {
    String before = snapshot();
    record Hostile(String method, String path, String contentType, String body, int status, String code) {}
    String huge = "x".repeat(10_000);
    String nested = "[".repeat(100) + "]".repeat(100);
    List<Hostile> cases = List.of(
        new Hostile("POST", "/api/v1/bills", JSON, "{", 400, "MALFORMED_JSON"),
        new Hostile("POST", "/api/v1/bills", JSON, "", 400, "MALFORMED_JSON"),
        new Hostile("POST", "/api/v1/bills", JSON, "[1,2]", 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", "text/plain", "id=HACK0001", 415, "UNSUPPORTED_MEDIA_TYPE"),
        new Hostile("POST", "/api/v1/bills", JSON, "{\"a\":" + nested + "}", 400, "JSON_LIMIT_EXCEEDED"),
        new Hostile("POST", "/api/v1/bills", JSON, "{\"id\":\"" + "x".repeat(70_000) + "\"}", 413, "BODY_TOO_LARGE"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"<script>alert(1)</script>\"", "\"Delhi\"", "\"MH12\"", "5"), 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"1' OR '1'='1\"", "\"Delhi\"", "\"MH12\"", "5"), 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"GUARD001; DROP TABLE bill\"", "\"Delhi\"", "\"MH12\"", "5"), 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("123456", "\"Delhi\"", "\"MH12\"", "5"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"" + huge + "\"", "\"MH12\"", "5"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"" + "D".repeat(101) + "\"", "\"MH12\"", "5"), 400, "BILL_FIELD_INVALID"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH\\u000012\"", "5"), 400, "BILL_FIELD_INVALID"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "[\"MH12\"]", "5"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "\"5\""), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "5.5"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "1e400"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "99999999999999999999"), 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "0"), 400, "BILL_CAPACITY_INVALID"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "51"), 400, "BILL_CAPACITY_INVALID"),
        new Hostile("POST", "/api/v1/bills", JSON, bill("\"HACK0001\"", "\"Delhi\"", "\"MH12\"", "-1"), 400, "BILL_CAPACITY_INVALID"),
        new Hostile("POST", "/api/v1/bills", JSON, "{\"id\":\"HACK0001\",\"destination\":\"Delhi\",\"vehicle\":\"MH12\"}", 400, "INVALID_REQUEST"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{}", 400, "BILL_FIELD_INVALID"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"capacity\":\"abc\"}", 400, "INVALID_REQUEST"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"capacity\":101}", 400, "BILL_CAPACITY_INVALID"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"capacity\":true}", 400, "INVALID_REQUEST"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"destination\":\"\"}", 400, "BILL_FIELD_INVALID"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"destination\":{\"$ne\":1}}", 400, "INVALID_REQUEST"),
        new Hostile("PATCH", "/api/v1/bills/GUARD001", JSON, "{\"capacity\":0,\"destination\":\"Pune\"}", 400, "BILL_CAPACITY_INVALID"),
        new Hostile("PATCH", "/api/v1/bills/%3Cscript%3E", JSON, "{\"capacity\":5}", 404, "BILL_NOT_FOUND"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":5}", 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":\"P902-5\",\"create\":\"yes\"}", 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":\"<img src=x>\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}", 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":\"P1'--\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}", 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":\"" + huge + "\"}", 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills/GUARD001/parents", JSON, "{\"parent\":\"P902-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}", 409, "BILL_FULL"),
        new Hostile("DELETE", "/api/v1/bills/GUARD001/parents/%3Cb%3E", null, null, 400, "INVALID_CODE"),
        new Hostile("POST", "/api/v1/bills/GUARD001/finalize", JSON, "{\"shortClose\":\"true\"}", 400, "INVALID_REQUEST"),
        new Hostile("POST", "/api/v1/bills/GUARD001/finalize", JSON, "{\"shortClose\":", 400, "MALFORMED_JSON"),
        new Hostile("GET", "/api/v1/bills/%27%20OR%201%3D1--", null, null, 404, "BILL_NOT_FOUND"),
        new Hostile("GET", "/api/v1/bills?limit=201", null, null, 400, "INVALID_REQUEST"),
        new Hostile("GET", "/api/v1/bills?limit=0", null, null, 400, "INVALID_REQUEST"),
        new Hostile("GET", "/api/v1/bills?limit=abc", null, null, 400, "INVALID_REQUEST"),
        new Hostile("GET", "/api/v1/bills?status=DELETED", null, null, 400, "INVALID_REQUEST"),
        new Hostile("GET", "/api/v1/bills?cursor=garbage", null, null, 400, "INVALID_CURSOR"),
        new Hostile("GET", "/api/v1/bills?cursor=" + "A".repeat(500), null, null, 400, "INVALID_CURSOR"));
    for (Hostile h : cases) {
      Answer answer = hub.send(h.method(), h.path(), biller, h.contentType(), h.body());
      assertThat(answer.status()).as(h.method() + " " + h.path() + " " + abbreviate(h.body()) + " → " + answer.text())
          .isEqualTo(h.status());
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("code").asText()).as(abbreviate(h.body())).isEqualTo(h.code());
    }
    assertThat(snapshot()).isEqualTo(before);
    assertThat(call("GET", "/api/v1/bills/GUARD001", biller, null).json().get("capacity").asInt()).isEqualTo(1);
  }

  private static String bill(String id, String destination, String vehicle, String capacity) {
    return "{\"id\":" + id + ",\"destination\":" + destination + ",\"vehicle\":" + vehicle + ",\"capacity\":" + capacity + "}";
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  @Test
  void problemBodies_neverEchoMarkupFromThePath() {
    Answer answer = call("GET", "/api/v1/bills/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", biller, null);
    assertProblem(answer, 404, "BILL_NOT_FOUND");
    assertThat(answer.text()).doesNotContain("<img").doesNotContain("onerror=");
  }
}
