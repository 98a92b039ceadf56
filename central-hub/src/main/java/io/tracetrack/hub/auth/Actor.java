package io.tracetrack.hub.auth;

/**
 * Who is making a change and through which request: carried from the HTTP layer into every
 * service call that writes, so the audit entry can name them.
 *
 * @param username the signed-in user (or {@code system})
 * @param ip the client address
 * @param requestId the request's id (from {@code X-Request-Id}, else generated)
 */
public record Actor(String username, String ip, String requestId) {

  public static Actor system() {
    return new Actor("system", null, null);
  }
}
