package io.tracetrack.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.web.ApiProblem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A pool resized while in use ({@link HubDatabase#resize}, an instance's share changing): growing
 * admits waiters at once; shrinking disturbs nobody holding a connection and admits no one new
 * until enough have been given back.
 */
class PoolResizeTest {

  @Test
  void shrinkingWhileHeld_waitsForTheHoldersToGiveBack_growingAdmitsAtOnce() throws Exception {
    try (HubDatabase db = TestDatabases.h2(4)) {
      db.gate().deadline(Duration.ofMillis(200));
      AdmissionTest.Holders holders = new AdmissionTest.Holders(db, 4);
      try {
        db.resize(2);
        assertThat(db.poolSize()).isEqualTo(2);
        assertThat(db.pool().getMaximumPoolSize()).isEqualTo(2);
        assertThat(db.gate().inUse()).as("the four held stay held").isEqualTo(4);
        holders.release(0);
        holders.release(1);
        holders.threads.get(0).join();
        holders.threads.get(1).join();
        assertThat(db.gate().inUse()).isEqualTo(2);
        assertThat(db.pool().getHikariPoolMXBean().getTotalConnections())
            .as("the connections given back beyond the new size are closed, not kept idle").isLessThanOrEqualTo(2);
        assertThat(refused(db)).as("two still held of a pool of two: the next one waits and is refused").isTrue();
        holders.release(2);
        holders.threads.get(2).join();
        assertThat(refused(db)).as("one of two free").isFalse();

        db.resize(3);
        assertThat(db.gate().size()).isEqualTo(3);
        assertThat(db.pool().getMaximumPoolSize()).isEqualTo(3);
        assertThat(refused(db)).isFalse();
      } finally {
        holders.releaseAll();
      }
      assertThat(db.gate().inUse()).isZero();
      assertThat(refused(db)).isFalse();
    }
  }

  private static boolean refused(HubDatabase db) {
    try {
      db.dsl().selectOne().fetch();
      return false;
    } catch (ApiProblem busy) {
      assertThat(busy.code().name()).isEqualTo("DATABASE_BUSY");
      return true;
    }
  }
}
