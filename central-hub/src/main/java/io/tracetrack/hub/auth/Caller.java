package io.tracetrack.hub.auth;

import java.util.Objects;

/**
 * A verified caller and the request they came through: what every service method that reads
 * scoped data or writes takes. The principal decides what they may see and do; the request's
 * address and id go into the audit trail.
 */
public record Caller(Principal principal, String ip, String requestId) {

  public Caller {
    Objects.requireNonNull(principal, "principal");
  }

  /** A caller outside any HTTP request (tests, start-up tasks). */
  public static Caller of(Principal principal) {
    return new Caller(principal, null, null);
  }

  public Actor actor() {
    return new Actor(principal.username(), ip, requestId);
  }
}
