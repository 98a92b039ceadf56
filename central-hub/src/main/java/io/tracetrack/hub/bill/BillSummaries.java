package io.tracetrack.hub.bill;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Bills as {@code GET /api/v1/bills/{id}} shows them, in memory (Caffeine): a bill on the loading
 * screen is read far more often than it changes. Dropped by {@link BillService} after each of its
 * own changes commits (before it answers), and from the change log (see {@code cache.CacheFollower})
 * when a bill's parents change or a parent on it gains or loses a child, on this hub and others.
 *
 * <p>An edit of a bill's destination, vehicle or capacity is not in the change log (docks do not
 * need it), so another hub instance would not hear of it: {@link #MAX_AGE} bounds how long such a
 * view may outlive the edit there. On the hub that made the edit it is dropped at once.
 *
 * <p>The generation guards a load that overlapped a write, as in {@code bag.BagViews}.
 */
public final class BillSummaries {

  /** How long another instance may show a bill's edited fields as they were (see the class comment). */
  public static final Duration MAX_AGE = Duration.ofSeconds(30);

  private final Cache<String, BillView> bills = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(MAX_AGE)
      .recordStats().build();
  private final AtomicLong generation = new AtomicLong();
  /**
   * Whether something keeps this cache true (a {@code cache.CacheFollower}); until then every read
   * goes to the database, so a service built without one (a test, a tool) is never stale.
   */
  private volatile boolean followed;

  /** Called by the follower that evicts from the change log: from now on reads may be served from memory. */
  public void followed() {
    followed = true;
  }

  /** For {@code Metrics.watch}: size and hit rate. */
  public Cache<String, BillView> cache() {
    return bills;
  }

  Optional<BillView> get(String id, Function<String, Optional<BillView>> load) {
    if (!followed) {
      return load.apply(id);
    }
    BillView hit = bills.getIfPresent(id);
    if (hit != null) {
      return Optional.of(hit);
    }
    long before = generation.get();
    Optional<BillView> loaded = load.apply(id);
    loaded.ifPresent(view -> {
      bills.put(id, view);
      if (generation.get() != before) {
        bills.invalidate(id);
      }
    });
    return loaded;
  }

  /** Drops bill {@code id}. */
  public void evict(String id) {
    generation.incrementAndGet();
    bills.invalidate(id);
  }

  /** Drops every kept bill that carries {@code parent}: its child count and totals changed. */
  public void evictCarrying(String parent) {
    generation.incrementAndGet();
    bills.asMap().values().removeIf(b -> b.parents().stream().anyMatch(p -> p.code().equals(parent)));
  }

  /** Drops everything. */
  public void evictAll() {
    generation.incrementAndGet();
    bills.invalidateAll();
  }
}
