package io.tracetrack.hub.users;

import io.tracetrack.model.Role;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A user as the API and the audit trail show them. Deliberately without the password hash, the TOTP
 * secret and the lockout counters: this record is what goes into audit snapshots ({@link #audited()}:
 * without the e-mail address).
 */
public record UserView(String username, Role role, String area, boolean disabled, boolean totpEnabled,
    OffsetDateTime createdAt, OffsetDateTime updatedAt, String email, List<String> dockAccess) {

  public UserView {
    dockAccess = List.copyOf(dockAccess);
  }

  /** The row alone: no dock grants read ({@link #withDockAccess} adds them). */
  static UserView of(UserStore.Row r) {
    return new UserView(r.username(), Role.valueOf(r.role()), r.areaId(), r.disabled(), r.totpEnabled(),
        r.createdAt(), r.updatedAt(), r.email(), List.of());
  }

  /** This view with the areas an admin granted the user at docks ({@code dockAccess} in the JSON). */
  UserView withDockAccess(List<String> areas) {
    return new UserView(username, role, area, disabled, totpEnabled, createdAt, updatedAt, email, areas);
  }

  /**
   * This view as audit snapshots keep it: whether there is an e-mail address, not the address. A
   * deleted user's name is pseudonymised in open audit entries, their address would not be; and
   * chained entries are never rewritten.
   */
  UserView audited() {
    return email == null ? this
        : new UserView(username, role, area, disabled, totpEnabled, createdAt, updatedAt, "(set)", dockAccess);
  }
}
