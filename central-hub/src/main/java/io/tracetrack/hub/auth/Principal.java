package io.tracetrack.hub.auth;

import io.tracetrack.model.Role;
import java.util.Objects;

/**
 * A verified caller.
 *
 * @param username who
 * @param role what they may do
 * @param area the dispatch area a dispatcher is bound to, else {@code null}
 */
public record Principal(String username, Role role, String area) {

  public Principal {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
  }

  public boolean is(Role... roles) {
    for (Role r : roles) {
      if (r == role) {
        return true;
      }
    }
    return false;
  }
}
