package io.tracetrack.hub.users;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.model.Role;
import io.tracetrack.sync.Change;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * The user.v1 entries a change to a user appends to the change log, so docks can sign people in
 * offline with the hub's current roles and password hashes. Each writer calls it as the last write
 * of its transaction.
 *
 * <p>Only the users who may sign in at a dock reach it, with their hash: the active dispatchers of
 * its area, and active users an admin granted that area ({@code user_dock_access}). Never every
 * admin and biller: a stolen dock would carry their hashes, and they would sign in at any station.
 * A user who stops reaching an area (moved, another role, grant removed, disabled, deleted) is sent
 * to that area's docks once more as inactive and without a hash, so they refuse the user after
 * their next pull. A user who reaches no dock gets an entry no dock hears: the hub's own account
 * cache still learns of the change. {@code Snapshots} carries exactly the same users per dock.
 */
final class UserChanges {

  private UserChanges() {}

  /**
   * The areas whose docks may have this user now: none while disabled or deleted; a dispatcher's
   * own area; every area granted explicitly. One statement for the grants.
   */
  static SortedSet<String> reach(DSLContext tx, UserStore.Row user) {
    SortedSet<String> areas = new TreeSet<>();
    if (user.disabled() || user.anonymised()) {
      return areas;
    }
    if (Role.DISPATCHER.name().equals(user.role()) && user.areaId() != null) {
      areas.add(user.areaId());
    }
    areas.addAll(new UserStore(tx).grantedAreas(user.id()));
    return areas;
  }

  /**
   * Appends the user as they now are, for every area they reach, and an inactive entry for every
   * area of {@code reachedBefore} they no longer reach ({@link #reach} read before the change; empty
   * for a new user).
   */
  static void log(DSLContext tx, UserStore.Row user, Set<String> reachedBefore, OffsetDateTime at, String origin) {
    log(tx, user.username(), user.role(), user.areaId(), !user.disabled() && !user.anonymised(),
        user.passwordHash(), reachedBefore, reach(tx, user), at, origin);
  }

  /**
   * A deleted user, under the name the docks know: every area that had them hears them inactive,
   * without a hash (the pseudonym never signs in anywhere).
   */
  static void logDeleted(DSLContext tx, String username, String role, String area, Set<String> reachedBefore,
      OffsetDateTime at, String origin) {
    log(tx, username, role, area, false, null, reachedBefore, Set.of(), at, origin);
  }

  private static void log(DSLContext tx, String username, String role, String area, boolean active, String hash,
      Set<String> reachedBefore, Set<String> reachesNow, OffsetDateTime at, String origin) {
    Change.User full = new Change.User(username, role, area, true, hash);
    Change.User gone = new Change.User(username, role, area, false, null);
    List<ChangeLog.Entry> entries = new ArrayList<>();
    for (String a : reachesNow) {
      entries.add(new ChangeLog.Entry(full, at, origin, a, null));
    }
    for (String a : new TreeSet<>(reachedBefore)) {
      if (!reachesNow.contains(a)) {
        entries.add(new ChangeLog.Entry(gone, at, origin, a, null));
      }
    }
    if (reachesNow.isEmpty()) {
      // for the hub's followers only (its account cache): the state, never a hash
      entries.add(ChangeLog.Entry.hubOnly(new Change.User(username, role, area, active, null), at, origin));
    }
    ChangeLog.append(tx, entries);
  }
}
