package io.tracetrack.hub.users;

import io.tracetrack.hub.db.jooq.tables.records.AppUserRecord;
import io.tracetrack.model.Role;
import java.time.OffsetDateTime;

/**
 * A user as the API and the audit trail show them. Deliberately without the password hash, the TOTP
 * secret and the lockout counters: this record is what goes into audit snapshots ({@link #audited()}:
 * without the e-mail address).
 */
public record UserView(String username, Role role, String area, boolean disabled, boolean totpEnabled,
    OffsetDateTime createdAt, OffsetDateTime updatedAt, String email) {

  static UserView of(AppUserRecord r) {
    return new UserView(r.getUsername(), Role.valueOf(r.getRole()), r.getAreaId(), r.getDisabled(), r.getTotpEnabled(),
        r.getCreatedAt(), r.getUpdatedAt(), r.getEmail());
  }

  /**
   * This view as audit snapshots keep it: whether there is an e-mail address, not the address. A
   * deleted user's name is pseudonymised in open audit entries, their address would not be; and
   * chained entries are never rewritten.
   */
  UserView audited() {
    return email == null ? this
        : new UserView(username, role, area, disabled, totpEnabled, createdAt, updatedAt, "(set)");
  }
}
