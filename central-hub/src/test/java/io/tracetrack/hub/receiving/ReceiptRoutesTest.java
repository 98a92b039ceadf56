package io.tracetrack.hub.receiving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import io.tracetrack.sync.ReceiptReport;
import io.tracetrack.sync.WireCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Receiving at the hub over real HTTP and a real database: {@code POST /api/v1/sync/receipts} from
 * an enrolled dock records a receipt once per key, judged against the bill (received, missing,
 * extra), logs {@code bill.received.v1} for the hub only, and {@code GET /api/v1/bills/{id}/receipts}
 * shows it to billers; hostile receipts change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReceiptRoutesTest {

  private static final WireCodec WIRE = new WireCodec();
  private final String kind;
  private HubTestServer hub;
  private String biller;
  private String admin;
  private String credential;
  private final AtomicInteger next = new AtomicInteger();

  ReceiptRoutesTest(String kind) {
    this.kind = kind;
  }

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start(kind);
    biller = hub.tokenFor("rcbiller", Role.BILLER, null);
    admin = hub.adminToken();
    HubTestServer.Answer dock = hub.send("POST", "/api/v1/docks", admin, "application/json",
        "{\"name\":\"DEST-1\",\"area\":\"NORTH\"}");
    assertThat(dock.status()).as(dock.text()).isEqualTo(201);
    HubTestServer.Answer enrolled = hub.send("POST", "/api/v1/sync/enroll", null, "application/json",
        "{\"code\":\"" + dock.json().get("enrollmentCode").asText() + "\",\"edgeId\":\"edge-dest-1\"}");
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    credential = enrolled.json().get("credential").asText();
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  /** A finalized bill of the parents given, created at the desk. */
  private String bill(String... parents) {
    String id = "RCV" + kind.toUpperCase(java.util.Locale.ROOT) + next.incrementAndGet();
    assertThat(hub.send("POST", "/api/v1/bills", biller, "application/json", "{\"id\":\"" + id
        + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12 AB 1234\",\"capacity\":" + parents.length + "}").status()).isEqualTo(201);
    for (String p : parents) {
      HubTestServer.Answer added = hub.send("POST", "/api/v1/bills/" + id + "/parents", biller, "application/json",
          "{\"parent\":\"" + p + "\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}");
      assertThat(added.status()).as(added.text()).isEqualTo(200);
    }
    assertThat(hub.send("POST", "/api/v1/bills/" + id + "/finalize", biller, "application/json", "{}").status()).isEqualTo(200);
    return id;
  }

  private ReceiptReport receipt(String key, String bill, List<String> manifest, String... scanned) {
    Instant at = hub.clock.instant();
    return new ReceiptReport(key, bill, "gate-1", manifest, "dana", at.minusSeconds(300), "dana", at,
        java.util.Arrays.stream(scanned).map(c -> new ReceiptReport.Line(c, c.startsWith("P9") ? "omar" : "dana",
            at.minusSeconds(60))).toList());
  }

  private HubTestServer.Answer send(String body) {
    return hub.send("POST", "/api/v1/sync/receipts", credential, "application/json", body);
  }

  private long count(String sql) {
    return ((Number) hub.db.dsl().fetchValue(sql)).longValue();
  }

  @Test
  void aReceipt_isJudgedAgainstTheBill_recordedOnce_andShownOnTheBill() {
    String id = bill("P9101-5", "P9102-5", "P9103-5");
    String body = WIRE.encode(receipt("k-" + id, id, List.of("P9101-5", "P9102-5", "P9103-5"), "P9102-5", "P9900-5"));

    HubTestServer.Answer first = send(body);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.json().get("duplicate").asBoolean()).isFalse();
    JsonNode r = first.json().get("receipt");
    assertThat(r.get("dock").asText()).isEqualTo("DEST-1");
    assertThat(r.get("received").findValuesAsText("code")).containsExactly("P9102-5");
    assertThat(r.get("missing")).extracting(JsonNode::asText).containsExactly("P9101-5", "P9103-5");
    assertThat(r.get("extra").get(0).get("code").asText()).isEqualTo("P9900-5");
    assertThat(r.get("extra").get(0).get("by").asText()).isEqualTo("omar");
    assertThat(r.get("manifestDiffers").asBoolean()).isFalse();

    long logged = count("select count(*) from change_log where type = 'bill.received.v1'");
    HubTestServer.Answer again = send(body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("receipt").get("id").asLong()).isEqualTo(r.get("id").asLong());
    assertThat(count("select count(*) from change_log where type = 'bill.received.v1'")).isEqualTo(logged);

    HubTestServer.Answer shown = hub.send("GET", "/api/v1/bills/" + id + "/receipts", biller, null, null);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().get("receipts")).hasSize(1);
    assertThat(shown.json().get("receipts").get(0).get("closedBy").asText()).isEqualTo("dana");
    assertThat(shown.json().get("receipts").get(0).get("received").get(0).get("at").asText()).isNotEmpty();
  }

  @Test
  void theLogEntry_isForTheHubOnly_noDockHearsIt() {
    String id = bill("P9201-5");
    assertThat(send(WIRE.encode(receipt("k-" + id, id, List.of("P9201-5"), "P9201-5"))).status()).isEqualTo(200);
    JsonNode entry = null;
    for (var row : hub.db.dsl().fetch("select payload, hub_only from change_log where type = 'bill.received.v1' "
        + "and entity_key = ?", id)) {
      assertThat(row.get(1, Boolean.class)).isTrue();
      entry = parse(row.get(0, String.class));
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("received").get(0).asText()).isEqualTo("P9201-5");
    HubTestServer.Answer page = hub.send("GET", "/api/v1/sync/changes?after=0&limit=1000", credential, null, null);
    assertThat(page.text()).doesNotContain("bill.received.v1");
  }

  @Test
  void aManifestPrintedBeforeTheBillChanged_isFlagged() {
    String id = bill("P9301-5", "P9302-5");
    HubTestServer.Answer res = send(WIRE.encode(receipt("k-" + id, id, List.of("P9301-5"), "P9301-5")));
    assertThat(res.json().get("receipt").get("manifestDiffers").asBoolean()).isTrue();
    assertThat(res.json().get("receipt").get("missing")).extracting(JsonNode::asText).containsExactly("P9302-5");
  }

  @Test
  void anUnknownBill_is404_andNothingIsRecorded() {
    long before = count("select count(*) from bill_receipt");
    HubTestServer.Answer res = send(WIRE.encode(receipt("k-nobill", "NOSUCHBILL1", List.of("P1-5"), "P1-5")));
    assertThat(res.status()).isEqualTo(404);
    assertThat(res.json().get("code").asText()).isEqualTo("BILL_NOT_FOUND");
    assertThat(count("select count(*) from bill_receipt")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[]", "{\"v\":1}", "{\"v\":2,\"key\":\"k\"}",
      "{\"v\":1,\"key\":\"k\",\"bill\":\"b\",\"station\":\"s\",\"manifest\":[],\"openedBy\":\"a\",\"openedAt\":\"x\","
          + "\"closedBy\":\"a\",\"closedAt\":\"2026-01-01T00:00:00Z\",\"scans\":[]}"})
  void aHostileReceipt_is400_andChangesNothing(String body) {
    long before = count("select count(*) from bill_receipt") + count("select count(*) from change_log");
    HubTestServer.Answer res = send(body);
    assertThat(res.status()).as(res.text()).isEqualTo(400);
    assertThat(res.contentType()).startsWith("application/problem+json");
    assertThat(count("select count(*) from bill_receipt") + count("select count(*) from change_log")).isEqualTo(before);
  }

  @Test
  void aReceiptFrom1970_isRefused() {
    String id = bill("P9401-5");
    ReceiptReport old = new ReceiptReport("k-old", id, "gate-1", List.of(), "dana", Instant.EPOCH, "dana",
        Instant.EPOCH.plus(Duration.ofMinutes(1)), List.of());
    HubTestServer.Answer res = send(WIRE.encode(old));
    assertThat(res.status()).isEqualTo(400);
    assertThat(res.json().get("code").asText()).isEqualTo("INVALID_FIELD");
  }

  @Test
  void onlyADock_sendsReceipts_onlyBillersReadThem() throws Exception {
    String id = bill("P9501-5");
    String body = WIRE.encode(receipt("k-" + id, id, List.of("P9501-5")));
    assertThat(hub.send("POST", "/api/v1/sync/receipts", null, "application/json", body).status()).isEqualTo(401);
    assertThat(hub.send("POST", "/api/v1/sync/receipts", biller, "application/json", body).status()).isEqualTo(401);
    assertThat(hub.send("POST", "/api/v1/sync/receipts", credential, "text/plain", body).status()).isEqualTo(415);
    String dispatcher = hub.tokenFor("rcdisp", Role.DISPATCHER, "NORTH");
    assertThat(hub.send("GET", "/api/v1/bills/" + id + "/receipts", dispatcher, null, null).status()).isEqualTo(403);
    assertThat(hub.send("GET", "/api/v1/bills/NOSUCH99/receipts", biller, null, null).status()).isEqualTo(404);
    assertThat(count("select count(*) from bill_receipt where bill_id = '" + id + "'")).isZero();
  }

  private static JsonNode parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
