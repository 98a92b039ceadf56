package io.tracetrack.hub.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.tracetrack.hub.db.HubDatabase;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Token buckets (bucket4j) in front of sign-in: one per client address and one per user name, so
 * neither one address guessing many names nor many addresses guessing one name gets far. Behind
 * this, {@link io.tracetrack.hub.users.Users} locks a (user name, address) pair after repeated
 * failures; the per-name bucket here is the only per-account brake, and it slows, never locks: an
 * attacker spending it can keep the owner waiting (429 with Retry-After) while the attack lasts, and
 * not a minute longer.
 *
 * <p>The hub keeps its buckets in its database ({@link #shared}): every hub instance on it spends
 * from the same ones, so two instances allow the limit once between them, not once each. A limiter
 * of this process alone ({@link #SignInLimiter(Clock)}) keeps them in bounded maps (least recently
 * used out, so a flood of made-up names cannot exhaust memory; an evicted bucket starts full).
 */
public final class SignInLimiter {

  /** How many attempts a key may make at once ({@code burst}) and over time ({@code perMinute}). */
  public record Limit(int burst, int perMinute) {
    public Limit {
      if (burst < 1 || perMinute < 1) {
        throw new IllegalArgumentException("a limit needs burst >= 1 and perMinute >= 1, got " + burst + "/" + perMinute);
      }
    }
  }

  /**
   * Per address: generous, because a whole dock office signs in from behind one NAT address at shift
   * start. Per user name: tight, because one person never needs more than a few tries.
   */
  public static final Limit PER_ADDRESS = new Limit(30, 30);
  public static final Limit PER_USERNAME = new Limit(5, 10);
  private static final int MAX_KEYS = 50_000;

  /** Whether an attempt may go ahead. */
  public sealed interface Verdict {
    record Allowed() implements Verdict {}

    record Limited(Duration retryAfter) implements Verdict {}
  }

  private final Limit perAddress;
  private final Limit perUsername;
  private final TimeMeter time;
  /** The bucket of a key ("address|..." or "username|..."), made with the limit's configuration when new. */
  private final BiFunction<String, Limit, Bucket> buckets;

  /** A limiter of this process alone, at the default limits. */
  public SignInLimiter(Clock clock) {
    this(clock, PER_ADDRESS, PER_USERNAME);
  }

  /** A limiter of this process alone. */
  public SignInLimiter(Clock clock, Limit perAddress, Limit perUsername) {
    this(clock, perAddress, perUsername, null, null);
  }

  /**
   * A limiter whose buckets are rows of {@code db}, shared with every hub instance on it, at the
   * default limits; {@code scope} keeps its buckets apart from another limiter's (sign-in,
   * password changes, enrolment codes each have a budget of their own).
   */
  public static SignInLimiter shared(HubDatabase db, Clock clock, String scope) {
    return new SignInLimiter(clock, PER_ADDRESS, PER_USERNAME, Objects.requireNonNull(db, "db"), scope);
  }

  private SignInLimiter(Clock clock, Limit perAddress, Limit perUsername, HubDatabase db, String scope) {
    Objects.requireNonNull(clock, "clock");
    this.perAddress = Objects.requireNonNull(perAddress, "perAddress");
    this.perUsername = Objects.requireNonNull(perUsername, "perUsername");
    // the injected clock drives refills, so tests move time instead of sleeping
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    if (db == null) {
      Map<String, Bucket> local = lru();
      this.buckets = (key, limit) -> {
        synchronized (local) {
          return local.computeIfAbsent(key, k -> newBucket(limit).get());
        }
      };
    } else {
      DatabaseBuckets rows = new DatabaseBuckets(db, clock, ClientSideConfig.getDefault().withClientClock(time));
      String prefix = Objects.requireNonNull(scope, "scope") + "|";
      this.buckets = (key, limit) -> rows.builder().build(prefix + key, () -> configuration(limit));
    }
  }

  /**
   * Deletes the database's buckets nobody took from for ten minutes: every limit here refills in
   * at most a minute, so they are full, and a missing bucket is a full one. For a background task.
   */
  public static int forgetIdle(HubDatabase db, Clock clock) {
    return new DatabaseBuckets(db, clock, ClientSideConfig.getDefault()).forgetIdle(Duration.ofMinutes(10));
  }

  /** Takes one attempt from the address's bucket. */
  public Verdict address(String address) {
    return take("address|" + (address == null ? "?" : address), perAddress);
  }

  /** Takes one attempt from the user name's bucket (case-folded, so "Admin" and "admin" share one). */
  public Verdict username(String username) {
    return take("username|" + username.toLowerCase(Locale.ROOT), perUsername);
  }

  private Verdict take(String key, Limit limit) {
    ConsumptionProbe probe = buckets.apply(key, limit).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return new Verdict.Allowed();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return new Verdict.Limited(Duration.ofSeconds(seconds));
  }

  private static BucketConfiguration configuration(Limit limit) {
    return BucketConfiguration.builder()
        .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.perMinute(), Duration.ofMinutes(1)))
        .build();
  }

  private Supplier<Bucket> newBucket(Limit limit) {
    return () -> Bucket.builder()
        .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.perMinute(), Duration.ofMinutes(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  private static Map<String, Bucket> lru() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}
