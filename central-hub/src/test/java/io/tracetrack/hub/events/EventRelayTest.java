package io.tracetrack.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The event relay against a real broker in the JVM and a hub on the embedded PostgreSQL: every
 * committed change reaches Kafka as a CloudEvents event, in log order per key, with the log
 * position as its id; a topic that does not exist yet holds nothing up and loses nothing; of two
 * hub instances one relays, and when it stops the other takes over from the position.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRelayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private KafkaBroker broker;
  private final AtomicInteger next = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  void stop() throws Exception {
    broker.close();
  }

  private HubTestServer hub(String topic) throws Exception {
    return HubTestServer.start("postgresql", "--kafka", broker.bootstrap(), "--kafka-topic", topic);
  }

  /** A bill with {@code n} parents typed at the desk: a bag.v1 and a bill.parent.added.v1 each, and a user. */
  private void work(HubTestServer hub, int n) throws Exception {
    String biller = hub.tokenFor("evbiller" + next.incrementAndGet(), Role.BILLER, null);
    String bill = "EVB" + next.incrementAndGet() + "X00";
    assertThat(hub.send("POST", "/api/v1/bills", biller, "application/json", "{\"id\":\"" + bill
        + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12\",\"capacity\":" + n + "}").status()).isEqualTo(201);
    for (int i = 0; i < n; i++) {
      assertThat(hub.send("POST", "/api/v1/bills/" + bill + "/parents", biller, "application/json",
          "{\"parent\":\"P" + (80_000 + next.incrementAndGet()) + "-5\",\"create\":true,\"force\":true,\"reason\":\"desk\"}")
          .status()).isEqualTo(200);
    }
  }

  private long head(HubTestServer hub) {
    return ((Number) hub.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
  }

  private static JsonNode envelope(ConsumerRecord<String, byte[]> r) {
    try {
      return JSON.readTree(r.value());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyCommittedChange_reachesKafka_asACloudEvent_inLogOrderPerKey_withThePositionAsItsId() throws Exception {
    String topic = "events-" + next.incrementAndGet();
    broker.createTopic(topic, 3);
    try (HubTestServer hub = hub(topic)) {
      work(hub, 4);
      long head = head(hub);
      List<ConsumerRecord<String, byte[]>> records = broker.read(topic, (int) head, Duration.ofSeconds(30));
      TreeSet<Long> ids = new TreeSet<>();
      Map<String, List<Long>> byKey = new HashMap<>();
      for (ConsumerRecord<String, byte[]> r : records) {
        JsonNode e = envelope(r);
        long id = Long.parseLong(e.get("id").asText());
        ids.add(id);
        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(id);
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("source").asText()).isEqualTo(EventRelay.SOURCE);
        assertThat(e.get("type").asText()).startsWith("io.tracetrack.").endsWith(".v1");
        assertThat(e.get("subject").asText()).isEqualTo(r.key());
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("time").asText()).isNotBlank();
        JsonNode stored = JSON.readTree((String) hub.db.dsl().fetchValue("select payload from change_log where seq = ?", id));
        if (e.get("type").asText().equals("io.tracetrack.user.v1")) {
          assertThat(e.get("data").has("passwordHash")).as("a password hash never leaves the hub").isFalse();
          assertThat(e.get("data").get("username").asText()).isEqualTo(stored.get("username").asText());
        } else {
          assertThat(e.get("data")).isEqualTo(stored);
        }
      }
      assertThat(ids).as("every position once, none missing").containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
      byKey.values().forEach(list -> assertThat(list).as("one key's events in log order").isSorted());
      // the first admin's user.v1, with its password hash left out above
      assertThat(byKey.keySet()).contains("admin");
      assertThat(HubTestServer.eventually(Duration.ofSeconds(10), () -> hub.hub.relay().orElseThrow().lag().entries() == 0 ? 1 : 0, 1))
          .as("the lag comes back to 0").isEqualTo(1);
      JsonNode health = hub.send("GET", "/api/v1/system/health", hub.adminToken(), null, null).json().get("events");
      assertThat(health.get("relay").asText()).isEqualTo("on");
      assertThat(health.get("lagEntries").asLong()).isZero();
      assertThat(health.get("relayingHere").asBoolean()).isTrue();
      String metrics = hub.send("GET", "/metrics", hub.adminToken(), null, null).text();
      assertThat(metrics).contains("hub_event_relay_lag_entries 0.0").contains("hub_event_relay_lag_seconds");
    }
  }

  @Test
  void aTopicThatDoesNotExistYet_holdsNoWriteUp_andLosesNothing() throws Exception {
    String topic = "later-" + next.incrementAndGet();
    try (HubTestServer hub = hub(topic)) {
      long started = System.nanoTime();
      work(hub, 3);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("writes do not wait for Kafka")
          .isLessThan(Duration.ofSeconds(20));
      long head = head(hub);
      EventRelay.Lag lag = hub.hub.relay().orElseThrow().lag();
      assertThat(lag.entries()).as("nothing acknowledged: the position stays").isEqualTo(head);
      broker.createTopic(topic, 1);
      List<ConsumerRecord<String, byte[]>> records = broker.read(topic, (int) head, Duration.ofSeconds(60));
      TreeSet<Long> ids = new TreeSet<>();
      records.forEach(r -> ids.add(Long.parseLong(envelope(r).get("id").asText())));
      assertThat(ids).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
    }
  }

  @Test
  void ofTwoInstances_oneRelays_andWhenItStopsTheOtherGoesOnFromThePosition() throws Exception {
    String topic = "two-" + next.incrementAndGet();
    broker.createTopic(topic, 2);
    try (HubTestServer first = hub(topic); HubTestServer.Instance second = first.anotherInstance()) {
      work(first, 2);
      assertThat(HubTestServer.eventually(Duration.ofSeconds(15), () -> first.hub.relay().orElseThrow().lag().entries() == 0 ? 1 : 0, 1))
          .isEqualTo(1);
      String holder = first.hub.relay().orElseThrow().lag().holder();
      assertThat(holder).isNotNull();
      // the instance holding the lease stops; the other one relays what comes next
      boolean firstHolds = first.hub.relay().orElseThrow().lag().relayingHere();
      EventRelay survivor = firstHolds ? second.hub().relay().orElseThrow() : first.hub.relay().orElseThrow();
      (firstHolds ? first.hub.relay() : second.hub().relay()).orElseThrow().close();
      work(first, 2);
      long head = head(first);
      List<ConsumerRecord<String, byte[]>> records = broker.read(topic, (int) head, Duration.ofSeconds(30));
      TreeSet<Long> ids = new TreeSet<>();
      records.forEach(r -> ids.add(Long.parseLong(envelope(r).get("id").asText())));
      assertThat(ids).as("the second instance took over: no gap").containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
      assertThat(records).as("a graceful hand-over repeats nothing").hasSize((int) head);
      assertThat(survivor.lag().relayingHere()).as("the other instance holds the lease now").isTrue();
    }
  }
}
