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
  void signedInCallers_readTheFeed_anonymousNot() {
    assertThat(get("", null).status()).isEqualTo(401);
    for (String who : List.of("admin", "biller", "dispatcher")) {
      assertThat(get("?limit=1", hub.tokens.get(who)).status()).as(who).isEqualTo(200);
    }
  }

  /** Every event after {@code after} the token's feed gives, page by page, and where its cursor ended. */
  private record Read(List<JsonNode> events, long next) {}

  private Read readAll(long after, String token) {
    List<JsonNode> out = new ArrayList<>();
    long cursor = after;
    for (int pages = 0; pages < 100; pages++) {
      HubTestServer.Answer page = get("?after=" + cursor + "&limit=3", token);
      assertThat(page.status()).as(page.text()).isEqualTo(200);
      page.json().get("events").forEach(out::add);
      long next = page.json().get("next").asLong();
      if (next == cursor) {
        break;
      }
      cursor = next;
    }
    return new Read(out, cursor);
  }

  private static List<String> subjects(Read r) {
    return r.events().stream().map(e -> e.get("subject").asText()).toList();
  }

  private static List<String> types(Read r) {
    return r.events().stream().map(e -> e.get("type").asText()).distinct().toList();
  }

  @Test
  void aDispatchersFeed_isTheirAreasBags_aBillersBagsAndBills_anAdminsEverything() throws Exception {
    long from = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
    assertThat(hub.send("POST", "/api/v1/bags", "{\"code\":\"P7101-5\"}", "dispatcher").statusCode()).isEqualTo(201);
    assertThat(hub.send("POST", "/api/v1/links", "{\"parent\":\"P7101-5\",\"child\":\"C7101\"}", "dispatcher").statusCode())
        .isBetween(200, 201);
    assertThat(hub.send("POST", "/api/v1/bags", "{\"code\":\"P7201-5\"}", "dispatcher-south").statusCode()).isEqualTo(201);
    bill("FEED0009");
    assertThat(hub.send("POST", "/api/v1/users", admin, "application/json",
        "{\"username\":\"feedwatcher\",\"role\":\"BILLER\",\"password\":\"Newbie-Passw0rd!\"}").status()).isEqualTo(201);
    long head = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();

    Read north = readAll(from, hub.tokens.get("dispatcher"));
    assertThat(subjects(north)).containsExactly("P7101-5", "C7101");
    assertThat(types(north)).containsExactly("io.tracetrack.bag.v1", "io.tracetrack.link.v1");
    assertThat(north.next()).as("the cursor steps over what the area does not see").isEqualTo(head);
    Read south = readAll(from, hub.tokens.get("dispatcher-south"));
    assertThat(subjects(south)).containsExactly("P7201-5");
    Read billing = readAll(from, biller);
    assertThat(subjects(billing)).contains("P7101-5", "C7101", "P7201-5", "P90009-5");
    assertThat(types(billing)).contains("io.tracetrack.bill.parent.added.v1").doesNotContain("io.tracetrack.user.v1");
    Read all = readAll(from, admin);
    assertThat(types(all)).contains("io.tracetrack.user.v1");
    assertThat(all.events()).hasSize((int) (head - from));
  }

  @Test
  void aConfinedLongPoll_sleepsThroughOtherAreas_andWakesForItsOwn() throws Exception {
    long head = ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
    CompletableFuture<HubTestServer.Answer> waiting = CompletableFuture.supplyAsync(
        () -> get("?after=" + head + "&wait=20", hub.tokens.get("dispatcher")));
    Thread.sleep(200);
    assertThat(hub.send("POST", "/api/v1/bags", "{\"code\":\"P7202-5\"}", "dispatcher-south").statusCode()).isEqualTo(201);
    Thread.sleep(700);
    assertThat(waiting).as("a SOUTH bag does not wake a NORTH reader").isNotDone();
    assertThat(hub.send("POST", "/api/v1/bags", "{\"code\":\"P7102-5\"}", "dispatcher").statusCode()).isEqualTo(201);
    HubTestServer.Answer answer = waiting.get(15, TimeUnit.SECONDS);
    assertThat(answer.json().get("events")).hasSize(1);
    assertThat(answer.json().get("events").get(0).get("subject").asText()).isEqualTo("P7102-5");
  }

}
