package io.tracetrack.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The fair admission queue in front of the pool, on a real hub and database: a request that waits
 * past the deadline is answered 503 {@code DATABASE_BUSY} with {@code Retry-After} and changes
 * nothing; waiters are admitted in arrival order; the figures show in {@code /metrics}.
 */
abstract class AdmissionTest {

  private final String kind;

  AdmissionTest(String kind) {
    this.kind = kind;
  }

  /** Holds every permit of {@code db}'s gate from other threads until {@link Holders#release}. */
  static final class Holders {
    final CountDownLatch held;
    final List<CountDownLatch> releases = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    Holders(HubDatabase db, int n) throws InterruptedException {
      held = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        CountDownLatch release = new CountDownLatch(1);
        releases.add(release);
        threads.add(Thread.ofVirtual().start(() -> db.dsl().connection(c -> {
          held.countDown();
          release.await();
        })));
      }
      held.await();
    }

    void release(int i) {
      releases.get(i).countDown();
    }

    void releaseAll() throws InterruptedException {
      releases.forEach(CountDownLatch::countDown);
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  @Test
  void requestPastTheQueueDeadline_gets503WithRetryAfter_andChangesNothing() throws Exception {
    try (HubTestServer s = HubTestServer.start(kind, "--db-queue-timeout", "100")) {
      HubDatabase db = s.db;
      long bagsBefore = db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.BAG);
      long logBefore = db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG);
      Holders holders = new Holders(db, db.gate().size());
      HttpResponse<String> refused;
      String metrics;
      try {
        refused = s.send("POST", "/api/v1/bags", "{\"code\":\"P77-5\"}", "dispatcher");
        metrics = s.send("GET", "/metrics", null, null).body();
      } finally {
        holders.releaseAll();
      }
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
      JsonNode problem = HubTestServer.json(refused);
      assertThat(problem.get("code").asText()).isEqualTo("DATABASE_BUSY");
      assertThat(problem.get("status").asInt()).isEqualTo(503);
      assertThat(db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.BAG)).isEqualTo(bagsBefore);
      assertThat(db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG)).isEqualTo(logBefore);
      assertThat(s.send("GET", "/api/v1/bags/P77-5", null, "dispatcher").statusCode()).isEqualTo(404);
      assertThat(metrics).contains("hub_db_queue_length", "hub_db_queue_wait_seconds_bucket", "hub_db_connections_admitted 20.0");
      // at least this request; the hub's own background work (audit chaining) may be refused too
      assertThat(metrics.lines().filter(l -> l.startsWith("hub_db_queue_timeouts_total "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum()).isGreaterThanOrEqualTo(1);
      // once the connections are back, the same request goes through
      assertThat(s.send("POST", "/api/v1/bags", "{\"code\":\"P77-5\"}", "dispatcher").statusCode()).isEqualTo(201);
    }
  }

  @Test
  void waitersAreAdmitted_inArrivalOrder() throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.gate().deadline(java.time.Duration.ofMinutes(1));
      Holders holders = new Holders(db, 2);
      List<Integer> admitted = new CopyOnWriteArrayList<>();
      List<Thread> waiters = new ArrayList<>();
      int n = 8;
      for (int i = 0; i < n; i++) {
        int me = i;
        waiters.add(Thread.ofVirtual().start(() -> db.dsl().connection(c -> admitted.add(me))));
        // the next one arrives only once this one is queued: arrival order is then known
        while (db.gate().queueLength() < i + 1) {
          Thread.onSpinWait();
        }
      }
      // one permit comes back: each waiter in turn takes it and hands it on; the other stays held
      holders.release(0);
      for (Thread t : waiters) {
        t.join();
      }
      holders.releaseAll();
      assertThat(admitted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
  }

  @Test
  void aNestedQueryInsideATransaction_isNotQueuedBehindItself() {
    try (HubDatabase db = TestDatabases.fresh(kind, 3)) {
      db.gate().deadline(java.time.Duration.ofMillis(50));
      // three transactions' worth of nesting on a gate of three: without the per-thread pass the
      // inner queries would wait for permits their own thread holds
      Integer inner = db.<Integer>transaction(tx -> db.<Integer>transaction(tx2 -> db.dsl().fetchValue(org.jooq.impl.DSL.inline(1))));
      assertThat(inner).isEqualTo(1);
      assertThat(db.gate().inUse()).isZero();
      assertThat(db.gate().timeouts()).isZero();
    }
  }
  @Test
  void unqueuedWork_isNotRefused_whenEveryPermitIsTaken_butQueuedWorkIs() throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      // a gate of one over a pool of two: the gate is full while the pool still has a connection
      DbGate gate = new DbGate(1, java.time.Duration.ofMillis(50));
      org.jooq.DSLContext gated = org.jooq.impl.DSL.using(gate.guard(db.pool()), db.dialect());
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder = Thread.ofVirtual().start(() -> gated.connection(c -> {
        held.countDown();
        release.await();
      }));
      held.await();
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gated.fetchValue(org.jooq.impl.DSL.inline(1)))
            .isInstanceOf(io.tracetrack.web.ApiProblem.class)
            .satisfies(e -> assertThat(((io.tracetrack.web.ApiProblem) e).status()).isEqualTo(503));
        List<Integer> got = new ArrayList<>();
        gate.unqueued(() -> got.add(gated.fetchValue(org.jooq.impl.DSL.inline(1))));
        assertThat(got).containsExactly(1);
        assertThat(gate.timeouts()).isEqualTo(1);
      } finally {
        release.countDown();
        holder.join();
      }
      assertThat(gate.inUse()).isZero();
    }
  }

  @Test
  void readiness_saysTheDatabaseAnswers_whileEveryConnectionIsBusy() throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.gate().deadline(java.time.Duration.ofMillis(50));
      Holders holders = new Holders(db, 2);
      try {
        assertThat(db.answers()).isTrue();
      } finally {
        holders.releaseAll();
      }
    }
  }
}
