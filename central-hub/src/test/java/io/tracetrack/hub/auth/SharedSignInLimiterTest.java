package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sign-in buckets in the database, as two hub instances use them: each over its own pool of
 * the same database, on H2 and PostgreSQL. Between them they allow the limit once, not once each.
 */
class SharedSignInLimiterTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private final TestClock clock = new TestClock(Instant.parse("2026-12-06T12:00:00Z"));

  @ParameterizedTest
  @MethodSource("kinds")
  void twoInstances_shareOneBudgetPerName_andPerAddress(String kind) {
    try (HubDatabase one = TestDatabases.fresh(kind, 4); HubDatabase two = TestDatabases.another(one)) {
      SignInLimiter a = SignInLimiter.shared(one, clock, "sign-in");
      SignInLimiter b = SignInLimiter.shared(two, clock, "sign-in");
      for (int i = 0; i < SignInLimiter.PER_USERNAME.burst(); i++) {
        assertThat((i % 2 == 0 ? a : b).username("bea")).as("attempt " + (i + 1)).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
      }
      assertThat(a.username("BEA")).isInstanceOf(SignInLimiter.Verdict.Limited.class);
      assertThat(b.username("bea")).isInstanceOfSatisfying(SignInLimiter.Verdict.Limited.class,
          l -> assertThat(l.retryAfter()).isEqualTo(Duration.ofSeconds(6)));
      // another scope (password changes, enrolment codes) has a budget of its own
      assertThat(SignInLimiter.shared(two, clock, "me").username("bea")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
      clock.advance(Duration.ofSeconds(6));
      assertThat(b.username("bea")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
      assertThat(a.username("bea")).isInstanceOf(SignInLimiter.Verdict.Limited.class);

      for (int i = 0; i < SignInLimiter.PER_ADDRESS.burst(); i++) {
        (i % 2 == 0 ? a : b).address("10.0.0.1");
      }
      assertThat(a.address("10.0.0.1")).isInstanceOf(SignInLimiter.Verdict.Limited.class);
      assertThat(b.address("10.0.0.2")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void manyAttemptsAtOnce_onTwoInstances_allowExactlyTheBurst(String kind) throws Exception {
    try (HubDatabase one = TestDatabases.fresh(kind, 6); HubDatabase two = TestDatabases.another(one)) {
      SignInLimiter a = SignInLimiter.shared(one, clock, "sign-in");
      SignInLimiter b = SignInLimiter.shared(two, clock, "sign-in");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Callable<SignInLimiter.Verdict>> attempts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          SignInLimiter on = i % 2 == 0 ? a : b;
          attempts.add(() -> on.username("rush"));
        }
        int allowed = 0;
        for (Future<SignInLimiter.Verdict> f : pool.invokeAll(attempts)) {
          allowed += f.get() instanceof SignInLimiter.Verdict.Allowed ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(SignInLimiter.PER_USERNAME.burst());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void idleBuckets_areForgotten_andAForgottenBucketIsFull(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 4)) {
      SignInLimiter limiter = SignInLimiter.shared(db, clock, "sign-in");
      for (int i = 0; i <= SignInLimiter.PER_USERNAME.burst(); i++) {
        limiter.username("idle");
      }
      limiter.username("busy");
      clock.advance(Duration.ofMinutes(9));
      limiter.username("busy");
      clock.advance(Duration.ofMinutes(2));
      assertThat(SignInLimiter.forgetIdle(db, clock)).isOne();
      assertThat(((Number) db.dsl().fetchValue("select count(*) from rate_bucket")).intValue()).isOne();
      assertThat(limiter.username("idle")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    }
  }
}
