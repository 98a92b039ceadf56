package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sign-in buckets: a burst, then a refill at the stated rate, driven by the injected clock. */
class SignInLimiterTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
  private final SignInLimiter limiter = new SignInLimiter(clock);

  @Test
  void sixthAttemptOnOneName_withinAMinute_isLimitedWithRetryAfter() {
    for (int i = 0; i < SignInLimiter.PER_USERNAME.burst(); i++) {
      assertThat(limiter.username("bea")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    }
    SignInLimiter.Verdict sixth = limiter.username("BEA"); // case does not buy a new bucket
    assertThat(sixth).isInstanceOf(SignInLimiter.Verdict.Limited.class);
    assertThat(((SignInLimiter.Verdict.Limited) sixth).retryAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(limiter.username("other")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    clock.advance(Duration.ofSeconds(6));
    assertThat(limiter.username("bea")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    assertThat(limiter.username("bea")).isInstanceOf(SignInLimiter.Verdict.Limited.class);
  }

  @Test
  void oneAddress_pastItsBurst_isLimited() {
    for (int i = 0; i < SignInLimiter.PER_ADDRESS.burst(); i++) {
      assertThat(limiter.address("10.0.0.1")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    }
    assertThat(limiter.address("10.0.0.1")).isInstanceOf(SignInLimiter.Verdict.Limited.class);
    assertThat(limiter.address("10.0.0.2")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.address("10.0.0.1")).isInstanceOf(SignInLimiter.Verdict.Allowed.class);
  }
}
