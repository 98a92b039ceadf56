package io.tracetrack.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/events} over real HTTP: the relay's envelopes in log order, paged by {@code
 * next}, long-polled until a commit, refused with a stable code for a bad or pruned cursor, and
 * admins' only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRoutesTest {

  private HubTestServer hub;
  private String admin;
  private String biller;

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start("h2");
    admin = hub.adminToken();
    biller = hub.tokenFor("evfeedbiller", Role.BILLER, null);
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  private void bill(String id) {
    assertThat(hub.send("POST", "/api/v1/bills", biller, "application/json", "{\"id\":\"" + id
        + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":2}").status()).isEqualTo(201);
    assertThat(hub.send("POST", "/api/v1/bills/" + id + "/parents", biller, "application/json",
        "{\"parent\":\"P9" + id.substring(4) + "-5\",\"create\":true,\"force\":true,\"reason\":\"desk\"}").status()).isEqualTo(200);
  }

  private HubTestServer.Answer get(String query, String token) {
    return hub.send("GET", "/api/v1/events" + query, token, null, null);
  }

  @Test
  void theFeed_givesEveryChangeAsACloudEvent_inLogOrder_pagedByNext() {
    bill("FEED0001");
    List<Long> ids = new ArrayList<>();
    // from the oldest entry held (another test here prunes the log)
    long oldest = ((Number) hub.db.dsl().fetchValue("select min(seq) from change_log")).longValue();
    long after = oldest - 1;
    for (int pages = 0; pages < 100; pages++) {
      HubTestServer.Answer page = get("?after=" + after + "&limit=2", admin);
      assertThat(page.status()).as(page.text()).isEqualTo(200);
      JsonNode events = page.json().get("events");
      if (events.isEmpty()) {
        break;
      }
      assertThat(events.size()).isLessThanOrEqualTo(2);
      for (JsonNode e : events) {
        ids.add(Long.parseLong(e.get("id").asText()));
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("type").asText()).startsWith("io.tracetrack.");
        if (e.get("type").asText().equals("io.tracetrack.user.v1")) {
          assertThat(e.get("data").has("passwordHash")).isFalse();
        }
      }
      after = page.json().get("next").asLong();
    }
    long head = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
    assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize((int) (head - oldest + 1)).startsWith(oldest).endsWith(head);
  }

  @Test
  void aLongPoll_answersWhenSomethingIsCommitted() throws Exception {
    long head = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
    CompletableFuture<HubTestServer.Answer> waiting = CompletableFuture.supplyAsync(() -> get("?after=" + head + "&wait=20", admin));
    Thread.sleep(300);
    assertThat(waiting).as("nothing new yet: it waits").isNotDone();
    bill("FEED0002");
    HubTestServer.Answer answer = waiting.get(15, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("events").get(0).get("id").asLong()).isEqualTo(head + 1);
    assertThat(get("?after=" + hub.db.dsl().fetchValue("select last_seq from change_log_head") + "&wait=0", admin)
        .json().get("events")).as("wait=0 answers at once").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"?after=abc", "?after=-1", "?after=99999999", "?after=1e3", "?limit=0", "?limit=1001",
      "?wait=31", "?wait=x"})
  void aBadCursorOrQuery_is400_withAStableCode(String query) {
    HubTestServer.Answer res = get(query, admin);
    assertThat(res.status()).as(res.text()).isEqualTo(400);
    assertThat(res.json().get("code").asText()).isIn("INVALID_CURSOR", "INVALID_QUERY");
  }

  @Test
  void aCursorBelowWhatTheLogHolds_is410_sayingWhereToReadFrom() {
    bill("FEED0003");
    // everything but the newest entry pruned
    hub.db.dsl().execute("delete from change_log where seq < (select last_seq from change_log_head)");
    HubTestServer.Answer res = get("?after=0", admin);
    assertThat(res.status()).isEqualTo(410);
    assertThat(res.json().get("code").asText()).isEqualTo("EVENTS_EXPIRED");
    assertThat(res.json().get("oldest").asLong()).isPositive();
  }

  @Test
  void onlyAdmins_readTheFeed() {
    assertThat(get("", biller).status()).isEqualTo(403);
    assertThat(get("", null).status()).isEqualTo(401);
  }
}
