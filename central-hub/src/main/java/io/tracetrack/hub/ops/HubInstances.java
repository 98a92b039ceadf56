package io.tracetrack.hub.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.PoolSize;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * The hub instances that share this database, found through it: each instance renews a row of its
 * own every {@link #BEAT} and counts the rows renewed within {@link #LIVE_FOR}. Several instances
 * coordinate only through PostgreSQL, as the relay's lease does; nothing here needs the instances to
 * reach each other.
 *
 * <p>What the count is for: the database's connections. The pool guidance (the database's cores
 * × 2 + 1, {@link PoolSize}) is the database's, not each instance's, so an instance sized from it
 * keeps {@link PoolSize#share} of it: alone, all of it; beside another, half. Without that an
 * operator had to give every instance its share by hand, and under an autoscaler that adds
 * instances, size each for the most it may add. A pool given with {@code --pool-size} is kept as
 * given. An instance that stops cleanly deletes its row and the others grow at their next beat; a
 * killed one is counted until its row is {@link #LIVE_FOR} old.
 *
 * <p>The time is the hubs' own clocks, as the relay's lease uses: instances whose clocks disagree by
 * more than a few seconds miscount each other (the hosts keep time with NTP).
 */
public final class HubInstances implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(HubInstances.class.getName());

  /** How often an instance renews its row and counts the others. */
  public static final Duration BEAT = Duration.ofSeconds(5);
  /** An instance not seen for this long no longer counts: three beats missed. */
  public static final Duration LIVE_FOR = BEAT.multipliedBy(3);
  /** Rows not seen for this long are deleted (a killed instance's, which never said goodbye). */
  static final Duration FORGET_AFTER = Duration.ofDays(1);

  /** An instance as its row says: {@code here} when it is this one. */
  public record Instance(String name, OffsetDateTime startedAt, OffsetDateTime seenAt, int poolSize, String version,
      boolean here) {}

  private final HubDatabase db;
  private final String name;
  private final String version;
  private final OptionalInt budget;
  private final Clock clock;
  private final OffsetDateTime started;
  private volatile int live = 1;

  /**
   * @param name this instance's name, unique among the instances (host, process, start)
   * @param budget the connections every instance on the database shares ({@link PoolSize#shared});
   *     empty when this instance's pool is its own fixed size
   */
  public HubInstances(HubDatabase db, String name, String version, OptionalInt budget, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.started = now();
  }

  /** This instance's name, as its row and the relay's lease show it. */
  public String name() {
    return name;
  }

  /**
   * Renews this instance's row, counts the live instances, and sizes the pool to this instance's
   * share when it shares one. Runs outside the admission queue: a busy hub must still beat, or the
   * others would count it gone and take its connections too.
   *
   * @return the live instances, this one included
   */
  public int beat() {
    int[] count = new int[1];
    db.gate().unqueued(() -> {
      OffsetDateTime now = now();
      InstanceStore store = new InstanceStore(db.dsl());
      store.beat(name, started, now, db.poolSize(), version);
      store.forget(now.minus(FORGET_AFTER));
      count[0] = Math.max(1, store.liveSince(now.minus(LIVE_FOR)));
      if (budget.isPresent()) {
        int share = PoolSize.share(budget.getAsInt(), count[0]);
        int was = db.poolSize();
        if (share != was) {
          db.resize(share);
          store.beat(name, started, now, share, version);
          LOG.info(() -> "database connections: " + share + " (was " + was + "), this instance's share of "
              + budget.getAsInt() + " among " + count[0] + " hub instances on the database");
        }
      }
    });
    live = count[0];
    return live;
  }

  /** The live instances as of the last {@link #beat}. */
  public int live() {
    return live;
  }

  /** The instances seen within {@link #LIVE_FOR}, the longest running first: for the health page. */
  public List<Instance> list() {
    return new InstanceStore(db.dsl()).seenSince(now().minus(LIVE_FOR), name);
  }

  /** {@code hub_instances}: the live instances on this database, as this one counted them. */
  public void register(MeterRegistry registry) {
    Gauge.builder("hub_instances", this, HubInstances::live)
        .description("hub instances sharing this database, as this instance counted them at its last beat")
        .register(registry);
  }

  /** Deletes this instance's row: the others take its share at their next beat, not after {@link #LIVE_FOR}. */
  @Override
  public void close() {
    try {
      db.gate().unqueued(() -> new InstanceStore(db.dsl()).leave(name));
    } catch (RuntimeException e) {
      // the database is going or gone: the row runs out on its own
      LOG.fine(() -> "instance row not removed: " + e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
