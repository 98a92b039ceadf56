package io.tracetrack.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender on its own, on a real database: two instances share the work without sending an
 * event twice; a name that rebinds to loopback after registering is refused at delivery; the
 * change log keeps what a webhook has not queued yet.
 */
class WebhookDispatcherTest {

  static final Actor ADMIN = new Actor("admin", "127.0.0.1", "test");

  HubDatabase db;
  TestClock clock = new TestClock(Instant.parse("2026-12-06T10:00:00Z"));
  AuditLog audit;

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("h2", 6);
    audit = new AuditLog(db, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  void bags(int from, int count) {
    db.transaction(tx -> {
      for (int i = from; i < from + count; i++) {
        ChangeLog.append(tx, new ChangeLog.Entry(new Change.Bag("P" + i + "-5", "PARENT", 5, 5, null), now(), "test"));
      }
      return null;
    });
  }

  WebhookDispatcher dispatcher(Destinations destinations, String instance) {
    return new WebhookDispatcher(db, new ChangeLog(db), destinations, "tracetrack-hub", instance, clock,
        List.of(Duration.ofSeconds(5)), Duration.ofMillis(500));
  }

  long count(String sql) {
    return ((Number) db.dsl().fetchValue(sql)).longValue();
  }

  @Test
  void twoInstances_sendEachEventOnce_betweenThem() throws Exception {
    Destinations local = Destinations.of(List.of("127.0.0.1"));
    try (Receiver endpoint = new Receiver(Receiver.Mode.OK)) {
      assertThat(new Webhooks(db, local, audit, clock).create(endpoint.url(), List.of(), ADMIN))
          .isInstanceOf(Webhooks.Created.Made.class);
      try (WebhookDispatcher a = dispatcher(local, "hub-a"); WebhookDispatcher b = dispatcher(local, "hub-b")) {
        a.start();
        b.start();
        for (int i = 0; i < 5; i++) {
          bags(1000 + i * 10, 10);
          a.nudge();
          b.nudge();
        }
        HubTestServer.eventually(Duration.ofSeconds(15), () -> endpoint.received.size() >= 50 ? 1 : 0, 1);
        Thread.sleep(300);
      }
      assertThat(endpoint.received).hasSize(50);
      assertThat(endpoint.received).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
      assertThat(count("select count(*) from webhook_delivery where status = 'DELIVERED'")).isEqualTo(50);
    }
  }

  /**
   * With no webhook, a commit's nudge makes no round (each was two queries for nothing); a webhook
   * made afterwards is found by the idle check and gets every event committed after it.
   */
  @Test
  void withNoWebhook_commitsMakeNoRounds_andAWebhookMadeLaterGetsItsEvents() throws Exception {
    Destinations local = Destinations.of(List.of("127.0.0.1"));
    try (Receiver endpoint = new Receiver(Receiver.Mode.OK); WebhookDispatcher sender = dispatcher(local, "hub-a")) {
      sender.start();
      HubTestServer.eventually(Duration.ofSeconds(10), () -> sender.rounds() > 0 ? 1 : 0, 1);
      long before = sender.rounds();
      for (int i = 0; i < 50; i++) {
        bags(3000 + i, 1);
        sender.nudge();
      }
      Thread.sleep(200); // well inside the idle check's second
      assertThat(sender.rounds()).as("50 nudges with no webhook").isLessThanOrEqualTo(before + 1);
      assertThat(new Webhooks(db, local, audit, clock).create(endpoint.url(), List.of(), ADMIN))
          .isInstanceOf(Webhooks.Created.Made.class);
      bags(4000, 3);
      sender.nudge();
      HubTestServer.eventually(Duration.ofSeconds(15), () -> endpoint.received.size() >= 3 ? 1 : 0, 1);
      Thread.sleep(300);
      assertThat(endpoint.received).hasSize(3);
    }
  }

  @Test
  void aNameThatRebindsToLoopback_isNotSentTo() throws Exception {
    AtomicReference<String> at = new AtomicReference<>("93.184.216.34");
    Destinations dns = new Destinations(List.of(), host -> new InetAddress[] {InetAddress.getByName(at.get())});
    try (Receiver endpoint = new Receiver(Receiver.Mode.OK)) {
      String url = "http://hooks.example.com:" + endpoint.url().split(":")[2];
      assertThat(new Webhooks(db, dns, audit, clock).create(url, List.of(), ADMIN)).isInstanceOf(Webhooks.Created.Made.class);
      at.set("127.0.0.1"); // the name's owner points it at the hub's own machine
      try (WebhookDispatcher sender = dispatcher(dns, "hub-a")) {
        sender.start();
        bags(2000, 1);
        sender.nudge();
        HubTestServer.eventually(Duration.ofSeconds(10),
            () -> (int) count("select count(*) from webhook_delivery where attempts = 1"), 1);
      }
      String error = (String) db.dsl().fetchValue("select last_error from webhook_delivery");
      assertThat(error).startsWith("not sent:").contains("127.0.0.1").contains("loopback");
      assertThat(endpoint.received).isEmpty();
    }
  }

  @Test
  void theChangeLog_keepsWhatAWebhookHasNotQueued() {
    Destinations dns = new Destinations(List.of(), host -> new InetAddress[] {InetAddress.getByName("93.184.216.34")});
    bags(3000, 3);
    new Webhooks(db, dns, audit, clock).create("https://hooks.example.com/x", List.of(), ADMIN);
    long registeredAt = count("select position from webhook");
    bags(3100, 4);
    WebhookDispatcher sender = dispatcher(dns, "hub-a"); // not started: nothing queued yet
    ChangeLog log = new ChangeLog(db);
    clock.advance(Duration.ofDays(40));
    int pruned = log.prune(now().minusDays(30), sender.keepAfter());
    assertThat(pruned).isEqualTo((int) registeredAt);
    assertThat(log.oldest()).contains(registeredAt + 1);
    assertThat(count("select count(*) from change_log")).isEqualTo(4);
    sender.close();
  }
}
