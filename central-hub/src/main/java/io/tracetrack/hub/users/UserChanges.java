package io.tracetrack.hub.users;

import io.tracetrack.hub.db.jooq.tables.records.AppUserRecord;
import io.tracetrack.hub.sync.ChangeLog;
import io.tracetrack.sync.Change;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * The user.v1 entries a change to a user appends to the change log, so docks can sign people in
 * offline with the hub's current roles, areas and password hashes. Each writer calls it as the last
 * write of its transaction.
 */
final class UserChanges {

  private UserChanges() {}

  /**
   * Appends the user as they now are. A dispatcher who left {@code previousArea} is appended once
   * more for that area's docks, so they hear the user is no longer theirs (the payload names the
   * new area); {@code previousArea} null or unchanged appends one entry.
   */
  static void log(DSLContext tx, AppUserRecord user, String previousArea, OffsetDateTime at, String origin) {
    Change.User change = new Change.User(user.getUsername(), user.getRole(), user.getAreaId(),
        !user.getDisabled() && !user.getAnonymised(), user.getPasswordHash());
    List<ChangeLog.Entry> entries = new ArrayList<>(2);
    entries.add(new ChangeLog.Entry(change, at, origin));
    if (previousArea != null && !Objects.equals(previousArea, user.getAreaId())) {
      entries.add(new ChangeLog.Entry(change, at, origin, previousArea, null));
    }
    ChangeLog.append(tx, entries);
  }

  /** A deleted user, under the name the docks know: inactive, no hash, for their old area's docks. */
  static void logDeleted(DSLContext tx, String username, String role, String area, OffsetDateTime at, String origin) {
    ChangeLog.append(tx, new ChangeLog.Entry(new Change.User(username, role, area, false, null), at, origin));
  }
}
