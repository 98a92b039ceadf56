package io.tracetrack.sim;

import io.tracetrack.hub.db.HubDatabase;
import java.sql.Connection;
import org.h2.api.Trigger;

/**
 * The "change log pruned under a reader" fault on H2: a statement-level SELECT trigger on
 * {@code change_log_head} that, when the simulation has armed it for the call under way, runs a
 * prune (on another connection) just before the reader's second look at the head, which in
 * {@code ChangeFeed.changes} is after its cursor check and before its read of the entries. It
 * interleaves the two as two hub threads could, at a moment chosen by the seed; disarmed it costs
 * one thread-local read per head lookup. Test-only: it is installed only in the simulation's database.
 */
public final class PruneTrigger implements Trigger {

  private static final ThreadLocal<Armed> ARMED = new ThreadLocal<>();

  private static final class Armed {
    final Runnable prune;
    final int atSelect;
    int selects;
    boolean fired;

    Armed(Runnable prune, int atSelect) {
      this.prune = prune;
      this.atSelect = atSelect;
    }
  }

  static void install(HubDatabase db) {
    db.dsl().execute("create trigger if not exists sim_prune_under_reader before select on change_log_head call '"
        + PruneTrigger.class.getName() + "'");
  }

  /** Runs {@code prune} at this thread's {@code atSelect}-th look at the head during {@code call}; true if it ran. */
  static boolean during(Runnable call, int atSelect, Runnable prune) {
    Armed armed = new Armed(prune, atSelect);
    ARMED.set(armed);
    try {
      call.run();
    } finally {
      ARMED.remove();
    }
    return armed.fired;
  }

  @Override
  public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
    Armed armed = ARMED.get();
    if (armed == null || armed.fired) {
      return;
    }
    if (++armed.selects == armed.atSelect) {
      armed.fired = true;
      ARMED.remove();
      armed.prune.run();
    }
  }
}
