package io.tracetrack.hub.users;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import io.tracetrack.model.UserNames;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Users and areas, administered (PRODUCT.md F-ADMIN). Every change is one transaction that locks
 * what its guard reads, decides, writes, and records an audit entry.
 *
 * <p>The guards: the last active admin is never demoted, disabled or deleted ({@code LAST_ADMIN});
 * nobody changes their own role ({@code OWN_ROLE}) or disables or deletes themselves
 * ({@code OWN_ACCOUNT}); a dispatcher needs an area and only a dispatcher has one
 * ({@code AREA_REQUIRED}, {@code AREA_NOT_ALLOWED}); an area holds at most its
 * {@code max_dispatchers} ({@code AREA_FULL}); a biller with open bills keeps the role
 * ({@code BILLER_HAS_OPEN_BILLS}, answered by {@link OpenBills}).
 *
 * <p>Lock order, the same in every method so two admins acting at once cannot deadlock: active
 * admin rows (by id), then the target user, then the area.
 */
public final class UserAdmin {

  public static final Pattern AREA_ID = Pattern.compile("[A-Z0-9_-]{1,40}");
  public static final int DEFAULT_MAX_DISPATCHERS = 10;
  public static final int MAX_PAGE = 200;
  public static final int MAX_NAME = 100;

  private final HubDatabase db;
  private final AuditLog audit;
  private final OpenBills openBills;
  private final Clock clock;

  public UserAdmin(HubDatabase db, AuditLog audit, OpenBills openBills, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.openBills = Objects.requireNonNull(openBills, "openBills");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------- areas

  public Outcome<AreaView> createArea(String id, String name, Integer maxDispatchers, Caller caller) {
    if (id == null || !AREA_ID.matcher(id).matches()) {
      return Outcome.refused(ErrorCode.INVALID_AREA, "an area id is 1-40 of A-Z, 0-9, _ and -");
    }
    Optional<String> badName = Texts.problem(name, MAX_NAME);
    if (badName.isPresent()) {
      return Outcome.refused(ErrorCode.INVALID_TEXT, "name: " + badName.get());
    }
    int max = maxDispatchers == null ? DEFAULT_MAX_DISPATCHERS : maxDispatchers;
    if (max < 0 || max > 1000) {
      return Outcome.refused(ErrorCode.INVALID_AREA, "maxDispatchers is 0..1000");
    }
    try {
      return db.transaction(tx -> {
        UserStore store = new UserStore(tx);
        if (store.areaExists(id)) {
          return Outcome.<AreaView>refused(ErrorCode.AREA_EXISTS, "area " + id + " exists already");
        }
        store.insertArea(id, name.strip(), max, now());
        AreaView view = store.area(id).orElseThrow();
        audit.record(tx, caller.actor(), AuditAction.AREA_CREATED, id, null, view);
        return Outcome.done(view);
      });
    } catch (DataAccessException e) {
      if (HubDatabase.isUniqueViolation(e)) {
        return Outcome.refused(ErrorCode.AREA_EXISTS, "area " + id + " exists already");
      }
      throw e;
    }
  }

  public List<AreaView> areas() {
    UserStore store = new UserStore(db.dsl());
    return store.areaIds().stream().map(id -> store.area(id).orElseThrow()).toList();
  }

  // ---------------------------------------------------------------- users: reading

  /** A listing filter; every part optional. {@code after} is the last user name of the previous page. */
  public record Filter(Optional<Role> role, Optional<String> area, Optional<Boolean> disabled, Optional<String> after, int limit) {
    public Filter {
      if (limit < 1 || limit > MAX_PAGE) {
        throw new IllegalArgumentException("limit is 1.." + MAX_PAGE + ", got " + limit);
      }
    }
  }

  /** One page, in user-name order; {@code next} is the cursor for the following page, null on the last. */
  public record Page(List<UserView> items, String next) {}

  public Page list(Filter filter) {
    UserStore store = new UserStore(db.dsl());
    // one row more than asked says whether there is a next page without a COUNT
    List<UserView> rows = store.page(filter, filter.limit() + 1);
    rows = store.withDockAccess(rows);
    if (rows.size() > filter.limit()) {
      List<UserView> page = rows.subList(0, filter.limit());
      return new Page(List.copyOf(page), page.get(page.size() - 1).username());
    }
    return new Page(rows, null);
  }

  /** One user, found as {@link #lookupable} and {@link #find} describe. */
  public Optional<UserView> get(String username) {
    UserStore store = new UserStore(db.dsl());
    return find(store, username, false).map(u -> view(store, u));
  }

  /**
   * Whether {@code name} can be a stored user name at all, so worth a lookup or a page cursor:
   * 1-64 characters without control characters. Wider than the rule on purpose: a hub created
   * before it may still hold names the rule refuses ({@code -cmd}, {@code Carl} beside
   * {@code carl}), and an admin must reach those to disable or delete them.
   */
  public static boolean lookupable(String name) {
    return name != null && !name.isEmpty() && name.length() <= UserNames.MAX_LENGTH
        && name.codePoints().noneMatch(Character::isISOControl);
  }

  /** The stored names that break the user-name rule, found at start for a warning. */
  public record NamesOutsideTheRule(int count, List<String> examples) {
    public NamesOutsideTheRule {
      examples = List.copyOf(examples);
    }

    /** The one line to log, or empty when every stored name keeps the rule. */
    public Optional<String> warning() {
      if (count == 0) {
        return Optional.empty();
      }
      return Optional.of(count + " stored user name(s) break the user-name rule and cannot sign in (e.g. "
          + String.join(", ", examples.stream().map(UserAdmin::printable).toList())
          + "); an admin can disable or delete them: PATCH or DELETE /api/v1/users/{name}");
    }
  }

  /**
   * Live accounts whose stored name is not the rule's stored form: names from before the rule that
   * the V21 migration could not lower-case (they break the rule in another way, or would collide
   * with another account). Checked in Java with {@link UserNames#STORED}, the rule itself, rather
   * than a regular expression each database reads its own way; a hub has thousands of users at most.
   */
  public NamesOutsideTheRule namesOutsideTheRule() {
    List<String> broken = new UserStore(db.dsl()).liveUsernames().stream()
        .filter(name -> !UserNames.STORED.matcher(name).matches()).toList();
    return new NamesOutsideTheRule(broken.size(), broken.subList(0, Math.min(5, broken.size())));
  }

  // ---------------------------------------------------------------- users: changing

  /** @param email where the end-of-day mail goes, or {@code null} */
  public record NewUser(String username, Role role, String area, String password, String email) {
    public NewUser {
      // the shared rule stores names lower-case; a name that breaks it stays as given, to be refused
      username = username == null ? null : UserNames.normalize(username).orElse(username);
      email = email == null || email.isBlank() ? null : email.strip();
    }

    public NewUser(String username, Role role, String area, String password) {
      this(username, role, area, password, null);
    }
  }

  /** Why an e-mail address is refused, if it is. */
  private static Optional<Outcome<UserView>> emailRule(String email) {
    return email == null || io.tracetrack.hub.mail.Mailer.validAddress(email) ? Optional.empty()
        : Optional.of(Outcome.refused(ErrorCode.INVALID_FIELD, "email must be an address such as name@example.com"));
  }

  public Outcome<UserView> create(NewUser n, Caller caller) {
    Optional<String> badName = UserNames.problem(n.username());
    if (badName.isPresent()) {
      return Outcome.refused(ErrorCode.INVALID_USERNAME, badName.get());
    }
    if (n.username().startsWith("deleted-user-")) {
      return Outcome.refused(ErrorCode.INVALID_USERNAME, "names starting deleted-user- are kept for deleted users");
    }
    Objects.requireNonNull(n.role(), "role");
    Optional<Outcome<UserView>> areaRule = areaRule(n.role(), n.area());
    if (areaRule.isPresent()) {
      return areaRule.get();
    }
    Optional<Outcome<UserView>> emailRule = emailRule(n.email());
    if (emailRule.isPresent()) {
      return emailRule.get();
    }
    Optional<String> weak = Passwords.problem(n.password());
    if (weak.isPresent()) {
      return Outcome.refused(ErrorCode.WEAK_PASSWORD, weak.get());
    }
    String hash = Passwords.hash(n.password()); // slow on purpose: outside the transaction
    try {
      return db.transaction(tx -> {
        UserStore store = new UserStore(tx);
        if (store.exists(n.username())) {
          return Outcome.<UserView>refused(ErrorCode.USER_EXISTS, "user " + n.username() + " exists already");
        }
        if (n.role() == Role.DISPATCHER) {
          Optional<Outcome<UserView>> seat = seat(store, n.area(), null);
          if (seat.isPresent()) {
            return seat.get();
          }
        }
        OffsetDateTime now = now();
        store.insert(n.username(), n.role(), n.area(), hash, n.email(), now);
        UserStore.Row created = store.live(n.username()).orElseThrow();
        UserView view = view(store, created);
        audit.record(tx, caller.actor(), AuditAction.USER_CREATED, n.username(), null, view.audited());
        UserChanges.log(tx, created, Set.of(), now, caller.principal().username());
        return Outcome.done(view);
      });
    } catch (DataAccessException e) {
      if (HubDatabase.isUniqueViolation(e)) {
        return Outcome.refused(ErrorCode.USER_EXISTS, "user " + n.username() + " exists already");
      }
      throw e;
    }
  }

  /** An edit: absent parts stay as they are; an empty {@code email} removes the address. */
  public record Edit(Optional<String> area, Optional<Boolean> disabled, Optional<String> email) {
    public Edit(Optional<String> area, Optional<Boolean> disabled) {
      this(area, disabled, Optional.empty());
    }
  }

  public Outcome<UserView> edit(String username, Edit edit, Caller caller) {
    Optional<String> newEmail = edit.email().map(String::strip);
    if (newEmail.isPresent() && !newEmail.get().isEmpty()) {
      Optional<Outcome<UserView>> bad = emailRule(newEmail.get());
      if (bad.isPresent()) {
        return bad.get();
      }
    }
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      store.lockActiveAdmins();
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return notFound(username);
      }
      UserStore.Row user = found.get();
      UserView before = view(store, user);
      Set<String> reachedBefore = UserChanges.reach(tx, user);
      String area = user.areaId();
      if (edit.area().isPresent() && !edit.area().get().equals(user.areaId())) {
        if (!Role.DISPATCHER.name().equals(user.role())) {
          return Outcome.<UserView>refused(ErrorCode.AREA_NOT_ALLOWED, "only a dispatcher is bound to an area");
        }
        Optional<Outcome<UserView>> seat = seat(store, edit.area().get(), user.id());
        if (seat.isPresent()) {
          return seat.get();
        }
        area = edit.area().get();
      }
      boolean disabled = user.disabled();
      if (edit.disabled().isPresent() && edit.disabled().get() != user.disabled()) {
        if (edit.disabled().get()) {
          if (user.username().equals(caller.principal().username())) {
            return Outcome.<UserView>refused(ErrorCode.OWN_ACCOUNT, "you cannot disable your own account");
          }
          if (isLastActiveAdmin(store, user)) {
            return Outcome.<UserView>refused(ErrorCode.LAST_ADMIN, "this is the last active admin");
          }
        }
        disabled = edit.disabled().get();
      }
      String email = user.email();
      if (newEmail.isPresent()) {
        email = newEmail.get().isEmpty() ? null : newEmail.get();
      }
      if (Objects.equals(area, user.areaId()) && disabled == user.disabled() && Objects.equals(email, user.email())) {
        return Outcome.done(before);
      }
      user = store.edit(user, user.edited(area, disabled, email, now()));
      UserView after = view(store, user);
      AuditAction action = before.disabled() != after.disabled()
          ? (after.disabled() ? AuditAction.USER_DISABLED : AuditAction.USER_ENABLED) : AuditAction.USER_EDITED;
      audit.record(tx, caller.actor(), action, user.username(), before.audited(), after.audited());
      UserChanges.log(tx, user, reachedBefore, user.updatedAt(), caller.principal().username());
      return Outcome.done(after);
    });
  }

  /** Changes a role, through every guard. */
  public Outcome<UserView> changeRole(String username, Role role, String area, Caller caller) {
    return db.transaction(tx -> switch (changeRole(tx, username, role, area, caller)) {
      case Outcome.Refused<RoleChanged> r -> Outcome.<UserView>refused(r.code(), r.message());
      case Outcome.Done<RoleChanged> d -> {
        d.value().log(tx, caller);
        yield Outcome.done(d.value().view());
      }
    });
  }

  /**
   * A role change that went through: the user as now, and what the change log needs to hear. The
   * caller appends it ({@link #log}) as the last write of its transaction.
   */
  record RoleChanged(UserView view, UserStore.Row row, Set<String> reachedBefore, boolean changed) {
    void log(DSLContext tx, Caller caller) {
      if (changed) {
        UserChanges.log(tx, row, reachedBefore, row.updatedAt(), caller.principal().username());
      }
    }
  }

  /** The guarded role change, inside a caller's transaction (promotion approval uses it too). */
  Outcome<RoleChanged> changeRole(DSLContext tx, String username, Role role, String area, Caller caller) {
    Objects.requireNonNull(role, "role");
    Optional<Outcome<RoleChanged>> areaRule = areaRule(role, area);
    if (areaRule.isPresent()) {
      return areaRule.get();
    }
    UserStore store = new UserStore(tx);
    store.lockActiveAdmins();
    Optional<UserStore.Row> found = lockUser(store, username);
    if (found.isEmpty()) {
      return notFound(username);
    }
    UserStore.Row user = found.get();
    if (user.username().equals(caller.principal().username())) {
      return Outcome.refused(ErrorCode.OWN_ROLE, "nobody changes their own role; ask another admin");
    }
    Role current = Role.valueOf(user.role());
    if (current == role && Objects.equals(area, user.areaId())) {
      return Outcome.done(new RoleChanged(view(store, user), user, Set.of(), false));
    }
    if (current == Role.ADMIN && role != Role.ADMIN && isLastActiveAdmin(store, user)) {
      return Outcome.refused(ErrorCode.LAST_ADMIN, "this is the last active admin; make another admin first");
    }
    if (current == Role.BILLER && role != Role.BILLER) {
      int open = openBills.openBillsCreatedBy(user.username());
      if (open > 0) {
        return Outcome.refused(ErrorCode.BILLER_HAS_OPEN_BILLS,
            user.username() + " has " + open + " open bill(s); finalize or hand them over first");
      }
    }
    if (role == Role.DISPATCHER) {
      Optional<Outcome<RoleChanged>> seat = seat(store, area, user.id());
      if (seat.isPresent()) {
        return seat.get();
      }
    }
    UserView before = view(store, user);
    Set<String> reachedBefore = UserChanges.reach(tx, user);
    user = store.changeRole(user, role, area, now());
    UserView after = view(store, user);
    audit.record(tx, caller.actor(), AuditAction.USER_ROLE_CHANGED, user.username(), before.audited(), after.audited());
    return Outcome.done(new RoleChanged(after, user, reachedBefore, true));
  }

  /** An admin sets a new password (and clears a lockout): the user forgot theirs. */
  public Outcome<UserView> resetPassword(String username, String password, Caller caller) {
    Optional<String> weak = Passwords.problem(password);
    if (weak.isPresent()) {
      return Outcome.refused(ErrorCode.WEAK_PASSWORD, weak.get());
    }
    String hash = Passwords.hash(password);
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return notFound(username);
      }
      String stored = found.get().username(); // the path may have named it in another case
      UserStore.Row user = store.resetPassword(found.get(), hash, now());
      // the locks of the user's name, from every address: the owner gets in with the new password
      store.clearFailures(stored);
      audit.record(tx, caller.actor(), AuditAction.USER_PASSWORD_RESET, stored, null, Map.of("username", stored));
      UserChanges.log(tx, user, Set.of(), user.updatedAt(), caller.principal().username());
      return Outcome.done(view(store, user));
    });
  }

  /**
   * An admin lifts a user's sign-in lock without touching the password: the owner mistyped, the
   * password is fine, and waiting out the lock would stop their shift. Clears the lock of the user
   * name from every address (as a password reset does); idempotent, audited each time.
   */
  public Outcome<UserView> unlock(String username, Caller caller) {
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return notFound(username);
      }
      UserStore.Row user = found.get();
      String stored = user.username(); // the path may have named it in another case
      store.unlock(user);
      int cleared = store.clearFailures(stored);
      audit.record(tx, caller.actor(), AuditAction.USER_UNLOCKED, stored, null,
          Map.of("username", stored, "locksCleared", cleared));
      return Outcome.done(view(store, user));
    });
  }

  /** A user changes their own password, proving they know the current one. */
  public Outcome<UserView> changeOwnPassword(Caller caller, String current, String replacement) {
    String username = caller.principal().username();
    Optional<UserStore.Row> stored = new UserStore(db.dsl()).live(username);
    if (stored.isEmpty()) {
      return notFound(username);
    }
    if (current == null || !Passwords.verify(current, stored.get().passwordHash())) {
      return Outcome.refused(ErrorCode.WRONG_PASSWORD, "the current password is wrong");
    }
    Optional<String> weak = Passwords.problem(replacement);
    if (weak.isPresent()) {
      return Outcome.refused(ErrorCode.WEAK_PASSWORD, weak.get());
    }
    if (replacement.equals(current)) {
      return Outcome.refused(ErrorCode.WEAK_PASSWORD, "the new password must differ from the current one");
    }
    String hash = Passwords.hash(replacement);
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return notFound(username);
      }
      // compare-and-set on the hash checked above: a concurrent reset wins over this change
      if (!found.get().passwordHash().equals(stored.get().passwordHash())) {
        return Outcome.<UserView>refused(ErrorCode.WRONG_PASSWORD, "the password was changed meanwhile; sign in again");
      }
      UserStore.Row user = store.setPassword(found.get(), hash, now());
      audit.record(tx, caller.actor(), AuditAction.USER_PASSWORD_CHANGED, username, null, Map.of("username", username));
      UserChanges.log(tx, user, Set.of(), user.updatedAt(), username);
      return Outcome.done(UserView.of(user));
    });
  }

  /** What a deletion did, for the answer and for the record. */
  public record Deleted(String pseudonym, int auditEntriesRewritten, int chainedAuditEntriesKept) {}

  /**
   * Deletes a user. Bags, links and bills keep naming whoever did them; the person's row becomes an
   * anonymised tombstone (name {@code deleted-user-<id>}, no area, no usable password, no TOTP
   * secret) so the pseudonym stays stable and unique; their promotion requests and notifications
   * go; the audit trail is pseudonymised as {@link AuditLog#pseudonymise} describes (unchained
   * entries rewritten, chained entries kept intact) and one {@code USER_DELETED} entry, free of the
   * name, records the deletion.
   */
  public Outcome<Deleted> delete(String username, Caller caller) {
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      store.lockActiveAdmins();
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return Outcome.<Deleted>refused(ErrorCode.USER_NOT_FOUND, "no user " + printable(username));
      }
      UserStore.Row user = found.get();
      if (user.username().equals(caller.principal().username())) {
        return Outcome.<Deleted>refused(ErrorCode.OWN_ACCOUNT, "you cannot delete your own account");
      }
      if (isLastActiveAdmin(store, user)) {
        return Outcome.<Deleted>refused(ErrorCode.LAST_ADMIN, "this is the last active admin");
      }
      String pseudonym = "deleted-user-" + user.id();
      String stored = user.username(); // the path may have named it in another case
      Role role = Role.valueOf(user.role());
      String area = user.areaId();
      Set<String> reachedBefore = UserChanges.reach(tx, user);
      store.deleteBelongings(user);
      user = store.anonymise(user, pseudonym, now());
      AuditLog.Pseudonymised p = audit.pseudonymise(tx, stored, pseudonym);
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("pseudonym", pseudonym);
      record.put("role", role);
      record.put("auditEntriesRewritten", p.rewritten());
      record.put("chainedAuditEntriesKept", p.chainedKept());
      audit.record(tx, caller.actor(), AuditAction.USER_DELETED, pseudonym, null, record);
      // the docks know the old name: they hear it is gone (the pseudonym never signs in anywhere)
      UserChanges.logDeleted(tx, stored, role.name(), area, reachedBefore, user.updatedAt(), caller.principal().username());
      return Outcome.done(new Deleted(pseudonym, p.rewritten(), p.chainedKept()));
    });
  }

  // ---------------------------------------------------------------- guards and helpers

  /** The user as the API shows them, with the areas granted them at docks. */
  private static UserView view(UserStore store, UserStore.Row user) {
    return UserView.of(user).withDockAccess(store.dockAccess(user.id()));
  }

  /**
   * Grants {@code area} to a user explicitly: they reach that area's docks (with their password
   * hash) and may sign in there, whatever their role. Granting twice changes nothing.
   */
  public Outcome<UserView> grantDockAccess(String username, String area, Caller caller) {
    return changeDockAccess(username, area, true, caller);
  }

  /** Takes a grant back: the area's docks hear the user is no longer theirs (unless a dispatcher of it). */
  public Outcome<UserView> revokeDockAccess(String username, String area, Caller caller) {
    return changeDockAccess(username, area, false, caller);
  }

  private Outcome<UserView> changeDockAccess(String username, String area, boolean grant, Caller caller) {
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> found = lockUser(store, username);
      if (found.isEmpty()) {
        return notFound(username);
      }
      if (!store.areaExists(area)) {
        return Outcome.<UserView>refused(ErrorCode.AREA_NOT_FOUND, "no area " + printable(area));
      }
      UserStore.Row user = found.get();
      UserView before = view(store, user);
      Set<String> reachedBefore = UserChanges.reach(tx, user);
      int changed = grant
          ? store.grantDockAccess(user.id(), area, caller.principal().username(), now())
          : store.revokeDockAccess(user.id(), area);
      UserView after = view(store, user);
      if (changed == 0) {
        return Outcome.done(after);
      }
      audit.record(tx, caller.actor(), grant ? AuditAction.USER_DOCK_ACCESS_GRANTED : AuditAction.USER_DOCK_ACCESS_REVOKED,
          user.username(), before.audited(), after.audited());
      UserChanges.log(tx, user, reachedBefore, now(), caller.principal().username());
      return Outcome.done(after);
    });
  }

  /** The role/area pairing: a dispatcher needs an area, nobody else may have one. */
  private static <T> Optional<Outcome<T>> areaRule(Role role, String area) {
    if (role == Role.DISPATCHER && area == null) {
      return Optional.of(Outcome.refused(ErrorCode.AREA_REQUIRED, "a dispatcher needs an area"));
    }
    if (role != Role.DISPATCHER && area != null) {
      return Optional.of(Outcome.refused(ErrorCode.AREA_NOT_ALLOWED, "only a dispatcher is bound to an area"));
    }
    return Optional.empty();
  }

  /** Whether the area has a free dispatcher seat; locks the area row, so two admins cannot both take the last one. */
  private static <T> Optional<Outcome<T>> seat(UserStore store, String area, Long except) {
    if (!AREA_ID.matcher(area).matches()) {
      return Optional.of(Outcome.refused(ErrorCode.AREA_NOT_FOUND, "no area " + printable(area)));
    }
    Optional<Integer> max = store.lockArea(area);
    if (max.isEmpty()) {
      return Optional.of(Outcome.refused(ErrorCode.AREA_NOT_FOUND, "no area " + area));
    }
    int taken = store.dispatchersIn(area, except);
    if (taken >= max.get()) {
      return Optional.of(Outcome.refused(ErrorCode.AREA_FULL,
          "area " + area + " already has its " + max.get() + " dispatchers"));
    }
    return Optional.empty();
  }

  /** Whether the user is the last active admin: the caller holds the admin rows' locks ({@link UserStore#lockActiveAdmins}). */
  private static boolean isLastActiveAdmin(UserStore store, UserStore.Row user) {
    if (!Role.ADMIN.name().equals(user.role()) || user.disabled() || user.anonymised()) {
      return false;
    }
    return store.otherActiveAdmins(user.id()) == 0;
  }

  private static Optional<UserStore.Row> lockUser(UserStore store, String username) {
    return find(store, username, true);
  }

  /**
   * The live account a path names: the name exactly as given first, then in the rule's form. Exact
   * first keeps a legacy name reachable that the rule would rewrite or refuse ({@code Carl}, left
   * beside {@code carl} by the V21 migration; {@code -cmd}); the rule's form second lets
   * {@code /users/Asha} find {@code asha}, as sign-in does.
   */
  private static Optional<UserStore.Row> find(UserStore store, String username, boolean lock) {
    if (!lookupable(username)) {
      return Optional.empty();
    }
    Optional<UserStore.Row> exact = select(store, username, lock);
    if (exact.isPresent()) {
      return exact;
    }
    Optional<String> normal = UserNames.normalize(username);
    return normal.isPresent() && !normal.get().equals(username) ? select(store, normal.get(), lock) : Optional.empty();
  }

  private static Optional<UserStore.Row> select(UserStore store, String username, boolean lock) {
    return lock ? store.lock(username) : store.live(username);
  }

  private static <T> Outcome<T> notFound(String username) {
    return Outcome.refused(ErrorCode.USER_NOT_FOUND, "no user " + printable(username));
  }

  static String printable(String s) {
    if (s == null) {
      return "(none)";
    }
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
