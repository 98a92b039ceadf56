package io.tracetrack.hub.bag;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The latest page of each recently looked-up bag, in memory (Caffeine): a dock's day reads the same
 * few thousand bags over and over, far more often than it changes them. Entries are dropped by the
 * writers' change-log entries (see {@code cache.CacheFollower}): on this hub right after the commit
 * and before the writer answers, on other hubs at their next poll.
 *
 * <p>Why a generation: a lookup that read the database just before a write committed must not put
 * its (now old) view in after the write's eviction ran. Every eviction bumps the generation first;
 * a lookup puts its view in and then drops it again if the generation moved while it read.
 */
public final class BagViews {

  /** Enough for a busy day's bags on every dock; a view is a few hundred bytes to a few KB. */
  public static final long MAX_ENTRIES = 100_000;

  private final Cache<String, BagView> views;
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

  public BagViews(long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be 0 or more, got " + maxEntries);
    }
    this.views = Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build();
  }

  /** For {@code Metrics.watch}: size and hit rate. */
  public Cache<String, BagView> cache() {
    return views;
  }

  /** The view of {@code code}: from memory, else loaded (and kept if no write overlapped the load). */
  Optional<BagView> get(String code, Function<String, Optional<BagView>> load) {
    if (!followed) {
      return load.apply(code);
    }
    BagView hit = views.getIfPresent(code);
    if (hit != null) {
      return Optional.of(hit);
    }
    long before = generation.get();
    Optional<BagView> loaded = load.apply(code);
    loaded.ifPresent(view -> {
      views.put(code, view);
      if (generation.get() != before) {
        views.invalidate(code);
      }
    });
    return loaded;
  }

  /** Drops the views of {@code codes}. */
  public void evict(Collection<String> codes) {
    generation.incrementAndGet();
    views.invalidateAll(codes.stream().filter(Objects::nonNull).toList());
  }

  /** Drops {@code parent}'s view and every kept view of a child on it (their {@code bill} follows the parent's). */
  public void evictWithChildren(String parent) {
    generation.incrementAndGet();
    views.invalidate(parent);
    views.asMap().values().removeIf(v -> parent.equals(v.parent()));
  }

  /** Drops everything: when the change log cannot tell what changed (pruned past the cursor, unreadable). */
  public void evictAll() {
    generation.incrementAndGet();
    views.invalidateAll();
  }
}
