package io.tracetrack.hub.bag;

import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.sync.ConflictFixture;
import io.tracetrack.model.Role;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /api/v1/bags/{code}} on a real hub and database: the one-statement lookup answers what
 * the three-query one did (children, parent, bill, history) plus the history cursor; and the cached
 * views are never stale after a write on the same hub, whichever path wrote (links, bills, a dock's
 * push, a conflict's MOVE), nor on a second instance after its change-log poll.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LookupTest {

  private static final WireCodec WIRE = new WireCodec();
  /** The fields the bag view had before the one-statement lookup: they must all still be there. */
  private static final Set<String> BAG_FIELDS = Set.of("code", "role", "expectedCount", "limit", "childCount", "complete",
      "parent", "children", "finishedBy", "finishedAt", "bill", "area", "dock", "createdBy", "createdAt", "history");
  private static final Set<String> EVENT_FIELDS = Set.of("at", "kind", "bag", "parent", "actor", "dock", "source");

  private final String kind;
  private HubTestServer s;
  private final AtomicInteger next = new AtomicInteger(100);
  private final HttpClient http = HttpClient.newHttpClient();

  LookupTest(String kind) {
    this.kind = kind;
  }

  @BeforeAll
  void start() throws Exception {
    s = HubTestServer.start(kind);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private JsonNode bag(String code) {
    HubTestServer.Answer a = s.send("GET", "/api/v1/bags/" + code, s.adminToken(), null, null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a.json();
  }

  private JsonNode bill(String id) {
    HubTestServer.Answer a = s.send("GET", "/api/v1/bills/" + id, s.adminToken(), null, null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a.json();
  }

  private HubTestServer.Answer admin(String method, String path, String body) {
    HubTestServer.Answer a = s.send(method, path, s.adminToken(), body == null ? null : "application/json", body);
    assertThat(a.status()).as(method + " " + path + ": " + a.text()).isBetween(200, 201);
    return a;
  }

  private String parent() {
    return "P" + next.incrementAndGet() + "-5";
  }

  private String child() {
    return "C" + next.incrementAndGet();
  }

  private String billId() {
    return "LOOK" + next.incrementAndGet();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private void create(String code) {
    admin("POST", "/api/v1/bags", "{\"code\":\"" + code + "\"}");
  }

  private void link(String parent, String child) {
    admin("POST", "/api/v1/links", "{\"parent\":\"" + parent + "\",\"child\":\"" + child + "\"}");
  }

  /** A new bill {@code id} of capacity 5 with {@code parent} on it. */
  private void billWith(String id, String parent) {
    admin("POST", "/api/v1/bills", "{\"id\":\"" + id + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":5}");
    admin("POST", "/api/v1/bills/" + id + "/parents", "{\"parent\":\"" + parent + "\",\"force\":true,\"reason\":\"loaded by hand\"}");
  }

  @Test
  void parentAndChild_showChildrenParentBillAndHistory_withTheFieldsTheyHadBefore() {
    String p = parent();
    String c1 = child();
    String c2 = child();
    String b = billId();
    create(p);
    link(p, c2);
    link(p, c1);
    billWith(b, p);

    JsonNode parent = bag(p);
    Set<String> fields = new TreeSet<>();
    parent.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsAll(BAG_FIELDS).contains("historyBefore");
    assertThat(parent.get("role").asText()).isEqualTo("PARENT");
    assertThat(texts(parent.get("children"))).containsExactly(c1, c2);
    assertThat(parent.get("childCount").asInt()).isEqualTo(2);
    assertThat(parent.get("parent").isNull()).isTrue();
    assertThat(parent.get("bill").asText()).isEqualTo(b);
    assertThat(parent.get("historyBefore").isNull()).isTrue();
    List<String> kinds = new ArrayList<>();
    parent.get("history").forEach(e -> kinds.add(e.get("kind").asText()));
    // newest first: both links, then the creation
    assertThat(kinds).containsExactly("LINK", "LINK", "CREATE_PARENT");
    JsonNode event = parent.get("history").get(0);
    Set<String> eventFields = new TreeSet<>();
    event.fieldNames().forEachRemaining(eventFields::add);
    assertThat(eventFields).containsAll(EVENT_FIELDS).contains("id");
    assertThat(event.get("bag").asText()).isEqualTo(c1);
    assertThat(event.get("parent").asText()).isEqualTo(p);
    assertThat(event.get("source").asText()).isEqualTo("API");
    assertThat(OffsetDateTime.parse(event.get("at").asText()).toInstant()).isEqualTo(s.clock.instant());

    JsonNode child = bag(c1);
    assertThat(child.get("role").asText()).isEqualTo("CHILD");
    assertThat(child.get("parent").asText()).isEqualTo(p);
    assertThat(child.get("children")).isEmpty();
    assertThat(child.get("bill").asText()).as("a child shows its parent's bill").isEqualTo(b);
    assertThat(child.get("history")).hasSize(1);

    assertThat(s.send("GET", "/api/v1/bags/C404404", s.adminToken(), null, null).status()).isEqualTo(404);
  }

  @Test
  void lookupsReadTogether_answerWhatEachWouldAlone() throws Exception {
    // a billed parent with children and more history than a page, a loose child, an unknown code
    String p = parent();
    String c1 = child();
    String c2 = child();
    String loose = child();
    String b = billId();
    create(p);
    link(p, c1);
    link(p, c2);
    create(loose);
    billWith(b, p);
    OffsetDateTime at = OffsetDateTime.ofInstant(s.clock.instant(), ZoneOffset.UTC);
    for (int i = 0; i < 60; i++) {
      s.db.dsl().insertInto(BAG_EVENT).set(BAG_EVENT.AT, at.plusSeconds(i)).set(BAG_EVENT.KIND, "LINK")
          .set(BAG_EVENT.BAG_CODE, "C8" + i).set(BAG_EVENT.PARENT_CODE, p).set(BAG_EVENT.ACTOR, "admin")
          .set(BAG_EVENT.SOURCE, "API").execute();
    }

    Map<String, BagView> together = BagStore.lookupAll(s.db.dsl(), Set.of(p, c1, c2, loose, "C404405"));

    assertThat(together.keySet()).containsExactlyInAnyOrder(p, c1, c2, loose);
    for (String code : List.of(p, c1, c2, loose)) {
      assertThat(together.get(code)).as(code).isEqualTo(BagStore.lookup(s.db.dsl(), code, null).orElseThrow());
    }
    assertThat(together.get(p).history()).hasSize(BagStore.HISTORY_PAGE);
    assertThat(together.get(p).historyBefore()).isNotNull();
    assertThat(together.get(p).children()).containsExactly(c1, c2);
    assertThat(together.get(c2).bill()).isEqualTo(b);
    assertThat(together.get(loose).parent()).isNull();
  }

  @Test
  void manyLookupsAtOnce_eachGetTheirOwnBag() throws Exception {
    // never looked up before, so none is in memory: they meet in the shared reads (the test fails
    // when a batch answers one bag's lists for another)
    List<String> parents = new ArrayList<>();
    Map<String, String> parentOf = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      String p = parent();
      parents.add(p);
      create(p);
      for (int j = 0; j < 4; j++) {
        String c = child();
        link(p, c);
        parentOf.put(c, p);
      }
    }
    List<String> codes = new ArrayList<>(parentOf.keySet());
    codes.addAll(parents);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (String code : codes) {
        answers.add(pool.submit(() -> {
          go.await();
          return bag(code);
        }));
      }
      go.countDown();
      for (int i = 0; i < codes.size(); i++) {
        String code = codes.get(i);
        JsonNode view = answers.get(i).get();
        assertThat(view.get("code").asText()).isEqualTo(code);
        if (parentOf.containsKey(code)) {
          assertThat(view.get("parent").asText()).isEqualTo(parentOf.get(code));
        } else {
          assertThat(texts(view.get("children"))).hasSize(4)
              .allSatisfy(c -> assertThat(parentOf.get(c)).isEqualTo(code));
        }
      }
    }
  }

  @Test
  void aLongHistory_comesInPagesOf50_withACursor_untilThereIsNoOlderPage() {
    String p = parent();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + p + "\"}");
    OffsetDateTime at = OffsetDateTime.ofInstant(s.clock.instant(), ZoneOffset.UTC);
    for (int i = 0; i < 119; i++) {
      s.db.dsl().insertInto(BAG_EVENT).set(BAG_EVENT.AT, at).set(BAG_EVENT.KIND, "LINK").set(BAG_EVENT.BAG_CODE, "C9" + i)
          .set(BAG_EVENT.PARENT_CODE, p).set(BAG_EVENT.ACTOR, "admin").set(BAG_EVENT.SOURCE, "API").execute();
    }
    List<Long> ids = new ArrayList<>();
    JsonNode page = bag(p);
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      sizes.add(page.get("history").size());
      page.get("history").forEach(e -> ids.add(e.get("id").asLong()));
      if (page.get("historyBefore").isNull()) {
        break;
      }
      assertThat(page.get("historyBefore").asLong()).isEqualTo(ids.getLast());
      page = bag(p + "?historyBefore=" + page.get("historyBefore").asLong());
      assertThat(page.get("code").asText()).isEqualTo(p);
    }
    assertThat(sizes).containsExactly(50, 50, 20);
    assertThat(ids).hasSize(120).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(ids).containsExactlyInAnyOrderElementsOf(s.db.dsl().select(BAG_EVENT.ID).from(BAG_EVENT)
        .where(BAG_EVENT.BAG_CODE.eq(p).or(BAG_EVENT.PARENT_CODE.eq(p))).fetch(BAG_EVENT.ID));

    for (String bad : List.of("abc", "0", "-5", "1.5", "99999999999999999999")) {
      HubTestServer.Answer refused = s.send("GET", "/api/v1/bags/" + p + "?historyBefore=" + bad, s.adminToken(), null, null);
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.json().get("code").asText()).isEqualTo("INVALID_REQUEST");
    }
  }

  @Test
  void aDispatcher_stillSeesOnlyTheirAreasBags_whenTheViewIsInMemory() {
    String p = parent();
    assertThat(s.send("POST", "/api/v1/bags", s.tokens.get("dispatcher"), "application/json", "{\"code\":\"" + p + "\"}").status())
        .isEqualTo(201);
    bag(p); // now in memory
    assertThat(s.send("GET", "/api/v1/bags/" + p, s.tokens.get("dispatcher"), null, null).status()).isEqualTo(200);
    assertThat(s.send("GET", "/api/v1/bags/" + p, s.tokens.get("dispatcher-south"), null, null).status()).isEqualTo(404);
  }

  @Test
  void linkAndUnlink_areSeenAtOnce_byTheNextLookup() {
    String p = parent();
    String c = child();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + p + "\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"" + c + "\"}");
    assertThat(bag(p).get("children")).isEmpty();
    assertThat(bag(c).get("parent").isNull()).isTrue();
    double hits = cacheHits("bag_views");
    assertThat(bag(p).get("children")).isEmpty();
    assertThat(cacheHits("bag_views")).as("the second lookup came from memory").isGreaterThan(hits);

    admin("POST", "/api/v1/links", "{\"parent\":\"" + p + "\",\"child\":\"" + c + "\"}");
    assertThat(texts(bag(p).get("children"))).containsExactly(c);
    assertThat(bag(c).get("parent").asText()).isEqualTo(p);

    admin("DELETE", "/api/v1/links/" + c + "?parent=" + p, null);
    assertThat(bag(p).get("children")).isEmpty();
    assertThat(bag(p).get("history").get(0).get("kind").asText()).isEqualTo("UNLINK");
    assertThat(bag(c).get("parent").isNull()).isTrue();
  }

  @Test
  void billChanges_areSeenAtOnce_inTheBagsAndTheBill() {
    String p = parent();
    String c = child();
    String c2 = child();
    String b = billId();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + p + "\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"" + p + "\",\"child\":\"" + c + "\"}");
    admin("POST", "/api/v1/bills", "{\"id\":\"" + b + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":1}");
    assertThat(bag(p).get("bill").isNull()).isTrue();
    assertThat(bag(c).get("bill").isNull()).isTrue();
    assertThat(bill(b).get("parents")).isEmpty();

    admin("POST", "/api/v1/bills/" + b + "/parents", "{\"parent\":\"" + p + "\",\"force\":true,\"reason\":\"loaded by hand\"}");
    assertThat(bag(p).get("bill").asText()).isEqualTo(b);
    assertThat(bag(c).get("bill").asText()).as("the child shows its parent's new bill").isEqualTo(b);
    assertThat(bill(b).at("/parents/0/childCount").asInt()).isEqualTo(1);

    // a link to a billed parent changes the bill's counts too
    admin("POST", "/api/v1/links", "{\"parent\":\"" + p + "\",\"child\":\"" + c2 + "\"}");
    assertThat(bill(b).at("/parents/0/childCount").asInt()).isEqualTo(2);
    assertThat(bill(b).at("/totals/childCount").asInt()).isEqualTo(2);

    admin("PATCH", "/api/v1/bills/" + b, "{\"vehicle\":\"MH14\"}");
    assertThat(bill(b).get("vehicle").asText()).isEqualTo("MH14");

    admin("POST", "/api/v1/bills/" + b + "/finalize", "{\"shortClose\":false}");
    assertThat(bill(b).get("status").asText()).isEqualTo("FINALIZED");
    admin("POST", "/api/v1/bills/" + b + "/reopen", null);
    assertThat(bill(b).get("status").asText()).isEqualTo("OPEN");

    admin("DELETE", "/api/v1/bills/" + b + "/parents/" + p, null);
    assertThat(bag(p).get("bill").isNull()).isTrue();
    assertThat(bag(c).get("bill").isNull()).isTrue();
    assertThat(bill(b).get("parents")).isEmpty();
  }

  @Test
  void aDocksPush_isSeenAtOnce_byTheNextLookup() throws Exception {
    String p = parent();
    String c = child();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + p + "\"}");
    assertThat(bag(p).get("children")).isEmpty();

    int n = next.incrementAndGet();
    String dock = "LOOKUP-" + n;
    String code = admin("POST", "/api/v1/docks", "{\"name\":\"" + dock + "\",\"area\":\"NORTH\"}").json().get("enrollmentCode").asText();
    String edgeId = "edge-lookup-" + n;
    s.clock.advance(Duration.ofMinutes(1));
    HubTestServer.Answer enrolled = s.send("POST", "/api/v1/sync/enroll", null, "application/json",
        "{\"code\":\"" + code + "\",\"edgeId\":\"" + edgeId + "\"}");
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    String credential = enrolled.json().get("credential").asText();
    OpEnvelope op = new OpEnvelope(new OpId(edgeId, 1), new Hlc(s.clock.millis(), 0), "nina", dock, "station-1", new Op.Link(p, c));
    PushBatch batch = new PushBatch(edgeId, dock, new Hlc(s.clock.millis(), 0), 1, null, "test-1", List.of(op));
    HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(URI.create(s.uri("/api/v1/sync/push").toString()))
        .POST(HttpRequest.BodyPublishers.ofString(WIRE.encode(batch))).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + credential).header("X-Edge-Id", edgeId).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
    assertThat(WIRE.decodeReply(pushed.body()).outcomes().getFirst().status().name()).isEqualTo("APPLIED");

    assertThat(texts(bag(p).get("children"))).containsExactly(c);
    assertThat(bag(p).get("history").get(0).get("source").asText()).isEqualTo("EDGE");
  }

  @Test
  void aConflictsMove_isSeenAtOnce_byTheNextLookup() {
    String from = parent();
    String to = parent();
    String c = child();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + to + "\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"" + from + "\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"" + from + "\",\"child\":\"" + c + "\"}");
    String dock = "MOVE-" + next.incrementAndGet();
    admin("POST", "/api/v1/docks", "{\"name\":\"" + dock + "\",\"area\":\"NORTH\"}");
    long id = ConflictFixture.link(s.db, dock, to, c);
    assertThat(bag(c).get("parent").asText()).isEqualTo(from);
    assertThat(texts(bag(from).get("children"))).containsExactly(c);
    assertThat(bag(to).get("children")).isEmpty();

    admin("POST", "/api/v1/conflicts/" + id + "/resolve", "{\"action\":\"MOVE\"}");
    assertThat(bag(c).get("parent").asText()).isEqualTo(to);
    assertThat(bag(from).get("children")).isEmpty();
    assertThat(texts(bag(to).get("children"))).containsExactly(c);
  }

  @Test
  @Timeout(120)
  void aSecondInstance_seesTheWrite_afterItsChangeLogPoll() {
    String p = parent();
    String c = child();
    admin("POST", "/api/v1/bags", "{\"code\":\"" + p + "\"}");
    try (HubTestServer.Instance other = s.anotherInstance()) {
      String token = s.adminToken();
      assertThat(other.send("GET", "/api/v1/bags/" + p, token, null, null).json().get("children")).isEmpty();
      assertThat(other.send("GET", "/api/v1/bags/" + p, token, null, null).json().get("children")).isEmpty();
      admin("POST", "/api/v1/links", "{\"parent\":\"" + p + "\",\"child\":\"" + c + "\"}");
      // the other instance's view was in memory; it goes at that instance's next poll of the log
      JsonNode seen;
      do {
        Thread.onSpinWait();
        seen = other.send("GET", "/api/v1/bags/" + p, token, null, null).json();
      } while (seen.get("children").isEmpty());
      assertThat(texts(seen.get("children"))).containsExactly(c);
    }
  }

  @Test
  void metrics_showTheCachesHitRates() {
    String body = s.send("GET", "/metrics", null, null, null).text();
    assertThat(body).contains("cache_gets_total{cache=\"bag_views\"", "cache_gets_total{cache=\"bill_summaries\"",
        "hub_db_queue_wait_seconds_count", "hub_db_queue_length", "hub_db_queue_timeouts_total");
  }

  private double cacheHits(String cache) {
    String prefix = "cache_gets_total{cache=\"" + cache + "\",result=\"hit\"";
    return s.send("GET", "/metrics", null, null, null).text().lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
