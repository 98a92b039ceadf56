package io.tracetrack.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhooks over real HTTP both ways: a hub on H2 registers them, and real endpoints on 127.0.0.1
 * (named by {@code --webhook-allowed-hosts}) are posted every matching commit, signed; endpoints
 * that fail, redirect or time out are retried on the schedule (the test clock moves it), then
 * dead-lettered, without holding up the good one; an admin sends a dead-lettered delivery again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger BILLS = new AtomicInteger();

  private HubTestServer hub;
  private String admin;
  private String biller;

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start("h2", "--webhook-allowed-hosts", "127.0.0.1", "--webhook-timeout-ms", "300");
    admin = hub.adminToken();
    biller = hub.tokenFor("hookbiller", Role.BILLER, null);
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  /** A bill with one new parent: a bag.v1 entry, a bill.parent.added.v1 entry. Returns the parent. */
  private String billWithAParent() {
    int n = BILLS.incrementAndGet();
    String id = String.format("HOOK%04d", n);
    String parent = "P8" + String.format("%03d", n) + "-5";
    assertThat(hub.send("POST", "/api/v1/bills", biller, "application/json", "{\"id\":\"" + id
        + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":2}").status()).isEqualTo(201);
    assertThat(hub.send("POST", "/api/v1/bills/" + id + "/parents", biller, "application/json",
        "{\"parent\":\"" + parent + "\",\"create\":true,\"force\":true,\"reason\":\"desk\"}").status()).isEqualTo(200);
    return parent;
  }

  private JsonNode register(String url, String types) {
    HubTestServer.Answer res = hub.send("POST", "/api/v1/webhooks", admin, "application/json",
        "{\"url\":\"" + url + "\"" + (types == null ? "" : ",\"types\":" + types) + "}");
    assertThat(res.status()).as(res.text()).isEqualTo(201);
    return res.json();
  }

  private HubTestServer.Answer get(String path) {
    return hub.send("GET", path, admin, null, null);
  }

  private static String hmac(String secret, String id, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyCommitAfterRegistering_isPostedOnce_asASignedCloudEvent() throws Exception {
    try (Receiver endpoint = new Receiver(Receiver.Mode.OK)) {
      JsonNode made = register(endpoint.url(), null);
      String secret = made.get("secret").asText();
      assertThat(secret).startsWith("whsec_");
      long from = made.get("position").asLong();
      String parent = billWithAParent();

      HubTestServer.eventually(Duration.ofSeconds(10), () -> (int) endpoint.received.stream()
          .filter(r -> r.body().contains(parent)).count() >= 1 ? 1 : 0, 1);
      long head = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
      HubTestServer.eventually(Duration.ofSeconds(10), () -> endpoint.received.size() >= head - from ? 1 : 0, 1);
      List<Long> ids = new ArrayList<>();
      for (Receiver.Received r : endpoint.received) {
        JsonNode event = JSON.readTree(r.body());
        assertThat(r.header("webhook-id")).isEqualTo(event.get("id").asText());
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("webhook-signature")).as("signed with the secret given at registration")
            .isEqualTo(hmac(secret, r.header("webhook-id"), r.header("webhook-timestamp"), r.body()));
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        ids.add(event.get("id").asLong());
      }
      assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > from).contains(head);
      assertThat(JSON.writeValueAsString(get("/api/v1/webhooks").json())).as("no secret in a listing")
          .contains(made.get("id").asText()).doesNotContain(secret);
      assertThat(get("/api/v1/webhooks/" + made.get("id").asText()).json().get("deliveries").get("DELIVERED").asInt())
          .isEqualTo(endpoint.received.size());
      assertThat(hub.send("DELETE", "/api/v1/webhooks/" + made.get("id").asText(), admin, null, null).status()).isEqualTo(204);
    }
  }

  @Test
  void aWebhookForSomeTypes_isSentThoseOnly() throws Exception {
    try (Receiver endpoint = new Receiver(Receiver.Mode.OK)) {
      JsonNode made = register(endpoint.url(), "[\"bag.v1\", \"io.tracetrack.bag.v1\"]");
      assertThat(made.get("types")).hasSize(1);
      assertThat(made.get("types").get(0).asText()).isEqualTo("io.tracetrack.bag.v1");
      String parent = billWithAParent();
      billWithAParent();
      HubTestServer.eventually(Duration.ofSeconds(10), () -> endpoint.received.size() >= 2 ? 1 : 0, 1);
      Thread.sleep(500); // anything else would have come by now
      assertThat(endpoint.received).hasSize(2).allSatisfy(r -> assertThat(r.body()).contains("\"type\":\"io.tracetrack.bag.v1\""));
      assertThat(endpoint.received.getFirst().body()).contains(parent);
      hub.send("DELETE", "/api/v1/webhooks/" + made.get("id").asText(), admin, null, null);
    }
  }

  @Test
  void failingEndpoints_areRetriedThenDeadLettered_neverHoldingUpTheGoodOne_andAnAdminSendsOneAgain() throws Exception {
    try (Receiver good = new Receiver(Receiver.Mode.OK); Receiver broken = new Receiver(Receiver.Mode.FAIL_500);
        Receiver redirecting = new Receiver(Receiver.Mode.REDIRECT); Receiver slow = new Receiver(Receiver.Mode.SLOW)) {
      String types = "[\"bag.v1\"]";
      JsonNode goodHook = register(good.url(), types);
      JsonNode brokenHook = register(broken.url(), types);
      JsonNode redirectHook = register(redirecting.url(), types);
      JsonNode slowHook = register(slow.url(), types);
      String parent = billWithAParent();

      HubTestServer.eventually(Duration.ofSeconds(10), () -> good.received.size()
          + (broken.received.isEmpty() ? 0 : 1) + (redirecting.received.isEmpty() ? 0 : 1) + (slow.received.isEmpty() ? 0 : 1), 4);
      assertThat(good.received.getFirst().body()).contains(parent);
      String brokenDelivery = "/api/v1/webhooks/" + brokenHook.get("id").asText() + "/deliveries";
      HubTestServer.Answer listing = get(brokenDelivery);
      assertThat(listing.status()).as(listing.text()).isEqualTo(200);
      HubTestServer.eventually(Duration.ofSeconds(10), () -> get(brokenDelivery).json().get("deliveries").get(0)
          .get("attempts").asInt(), 1);
      JsonNode first = get(brokenDelivery).json().get("deliveries").get(0);
      assertThat(first.get("status").asText()).isEqualTo("PENDING");
      assertThat(first.get("lastStatus").asInt()).isEqualTo(500);
      // pending until its next attempt: asking for it again now is a conflict, not a second copy
      HubTestServer.Answer early = hub.send("POST", brokenDelivery + "/" + first.get("id").asLong() + "/retry", admin, null, null);
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.json().get("code").asText()).isEqualTo("DELIVERY_PENDING");

      // the schedule, moved by the test clock: 6 waits, 7 attempts in all
      for (int attempt = 2; attempt <= WebhookDispatcher.SCHEDULE.size() + 1; attempt++) {
        hub.clock.advance(WebhookDispatcher.SCHEDULE.get(attempt - 2).plusSeconds(1));
        admin = hub.tokenFor("hookadmin" + attempt, Role.ADMIN, null); // hours pass: a token lasts minutes
        int expected = attempt;
        for (JsonNode hook : List.of(brokenHook, redirectHook, slowHook)) {
          String path = "/api/v1/webhooks/" + hook.get("id").asText() + "/deliveries";
          HubTestServer.eventually(Duration.ofSeconds(15), () -> get(path).json().get("deliveries").get(0).get("attempts").asInt(),
              expected);
        }
      }
      assertThat(broken.received).hasSize(7);
      assertThat(redirecting.received).hasSize(7);
      assertThat(good.received).as("the good endpoint was sent its event once, at once").hasSize(1);
      assertThat(broken.received).extracting(r -> r.header("webhook-id")).containsOnly(good.received.getFirst().header("webhook-id"));
      assertThat(broken.received).extracting(r -> r.header("webhook-signature")).as("each attempt signed afresh")
          .doesNotHaveDuplicates();

      JsonNode deadBroken = get(brokenDelivery + "?status=FAILED").json().get("deliveries");
      assertThat(deadBroken).hasSize(1);
      assertThat(deadBroken.get(0).get("lastError").asText()).isEqualTo("answered 500");
      assertThat(deadBroken.get(0).get("nextAttemptAt").isNull()).isTrue();
      JsonNode deadRedirect = get("/api/v1/webhooks/" + redirectHook.get("id").asText() + "/deliveries?status=failed")
          .json().get("deliveries").get(0);
      assertThat(deadRedirect.get("lastStatus").asInt()).isEqualTo(302);
      assertThat(deadRedirect.get("lastError").asText()).contains("redirects are not followed");
      JsonNode deadSlow = get("/api/v1/webhooks/" + slowHook.get("id").asText() + "/deliveries?status=FAILED")
          .json().get("deliveries").get(0);
      assertThat(deadSlow.get("lastError").asText()).contains("no answer within 300 ms");
      assertThat(get(brokenDelivery + "?status=PENDING").json().get("deliveries")).isEmpty();

      // the Health page's figures: three dead letters, the webhooks that have them named
      JsonNode health = get("/api/v1/system/health").json().get("webhooks");
      assertThat(health.get("failed").asInt()).isEqualTo(3);
      assertThat(health.get("failing").findValuesAsText("id")).containsExactlyInAnyOrder(brokenHook.get("id").asText(),
          redirectHook.get("id").asText(), slowHook.get("id").asText());
      assertThat(health.get("failing").findValuesAsText("lastError")).contains("answered 500");

      // mended: an admin sends the dead-lettered delivery again, and it arrives
      broken.mode = Receiver.Mode.OK;
      long id = deadBroken.get(0).get("id").asLong();
      HubTestServer.Answer retry = hub.send("POST", brokenDelivery + "/" + id + "/retry", admin, null, null);
      assertThat(retry.status()).as(retry.text()).isEqualTo(202);
      HubTestServer.eventually(Duration.ofSeconds(10), () -> get(brokenDelivery + "/" + id).json().get("delivery")
          .get("status").asText().equals("DELIVERED") ? 1 : 0, 1);
      JsonNode detail = get(brokenDelivery + "/" + id).json();
      assertThat(detail.get("body").get("data").toString()).contains(parent);
      assertThat(broken.received).hasSize(8);
      assertThat(hub.db.dsl().fetchCount(hub.db.dsl().selectFrom("audit_entry")
          .where("action = 'WEBHOOK_DELIVERY_RETRIED' and entity_id = ?", brokenHook.get("id").asText()))).isOne();
      for (JsonNode hook : List.of(goodHook, brokenHook, redirectHook, slowHook)) {
        hub.send("DELETE", "/api/v1/webhooks/" + hook.get("id").asText(), admin, null, null);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "{}", "{\"url\":5}", "{\"url\":\"file:///etc/passwd\"}",
      "{\"url\":\"http://10.0.0.1/hook\"}", "{\"url\":\"http://169.254.169.254/latest/meta-data\"}",
      "{\"url\":\"http://localhost:8080/hook\"}", "{\"url\":\"https://admin:pw@127.0.0.1/hook\"}",
      "{\"url\":\"http://127.0.0.1/hook\",\"types\":\"bag.v1\"}", "{\"url\":\"http://127.0.0.1/hook\",\"types\":[1]}",
      "{\"url\":\"http://127.0.0.1/hook\",\"types\":[\"io.tracetrack.nope.v1\"]}",
      "{\"url\":\"http://127.0.0.1/hook\",\"secret\":\"whsec_mine\"}", "{\"url\":\"gopher://127.0.0.1/\"}"})
  void hostileBodies_are400WithAStableCode_andWriteNothing(String body) {
    long before = hub.db.dsl().fetchCount(hub.db.dsl().selectFrom("webhook"));
    HubTestServer.Answer res = hub.send("POST", "/api/v1/webhooks", admin, "application/json", body);
    assertThat(res.status()).as(res.text()).isEqualTo(400);
    assertThat(res.json().get("code").asText()).isIn("MALFORMED_JSON", "INVALID_REQUEST", "INVALID_FIELD",
        "WEBHOOK_URL_INVALID", "WEBHOOK_HOST_NOT_ALLOWED", "UNKNOWN_EVENT_TYPE");
    assertThat(hub.db.dsl().fetchCount(hub.db.dsl().selectFrom("webhook"))).isEqualTo(before);
  }

  @Test
  void anOverLongUrl_isWebhookUrlInvalid() {
    HubTestServer.Answer res = hub.send("POST", "/api/v1/webhooks", admin, "application/json",
        "{\"url\":\"http://127.0.0.1/" + "a".repeat(2100) + "\"}");
    assertThat(res.status()).isEqualTo(400);
    assertThat(res.json().get("code").asText()).isEqualTo("WEBHOOK_URL_INVALID");
  }

  @Test
  void onlyAdmins_andUnknownIdsAre404() {
    for (String[] route : new String[][] {{"POST", "/api/v1/webhooks"}, {"GET", "/api/v1/webhooks"},
        {"GET", "/api/v1/webhooks/wh_x"}, {"DELETE", "/api/v1/webhooks/wh_x"}, {"GET", "/api/v1/webhooks/wh_x/deliveries"},
        {"GET", "/api/v1/webhooks/wh_x/deliveries/1"}, {"POST", "/api/v1/webhooks/wh_x/deliveries/1/retry"}}) {
      assertThat(hub.send(route[0], route[1], biller, "application/json", "{}").status()).as(route[1]).isEqualTo(403);
      assertThat(hub.send(route[0], route[1], null, "application/json", "{}").status()).as(route[1]).isEqualTo(401);
    }
    HubTestServer.Answer missing = get("/api/v1/webhooks/wh_nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("code").asText()).isEqualTo("WEBHOOK_NOT_FOUND");
    assertThat(hub.send("DELETE", "/api/v1/webhooks/wh_nope", admin, null, null).status()).isEqualTo(404);
    JsonNode made = register("http://127.0.0.1:1/never", "[\"finish.v1\"]");
    String base = "/api/v1/webhooks/" + made.get("id").asText();
    assertThat(get(base + "/deliveries/99999").json().get("code").asText()).isEqualTo("DELIVERY_NOT_FOUND");
    assertThat(get(base + "/deliveries/abc").status()).isEqualTo(404);
    assertThat(get(base + "/deliveries?status=LOST").json().get("code").asText()).isEqualTo("INVALID_FILTER");
    assertThat(get(base + "/deliveries?limit=0").json().get("code").asText()).isEqualTo("INVALID_QUERY");
    assertThat(hub.send("POST", base + "/deliveries/99999/retry", admin, null, null).status()).isEqualTo(404);
    assertThat(hub.send("DELETE", base, admin, null, null).status()).isEqualTo(204);
    assertThat(get(base).status()).isEqualTo(404);
    assertThat(hub.db.dsl().fetchCount(hub.db.dsl().selectFrom("audit_entry").where("entity_id = ? and action in "
        + "('WEBHOOK_CREATED', 'WEBHOOK_DELETED')", made.get("id").asText()))).isEqualTo(2);
  }
}
