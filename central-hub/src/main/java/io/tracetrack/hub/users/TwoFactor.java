package io.tracetrack.hub.users;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.auth.QrCodes;
import io.tracetrack.hub.auth.Totp;
import io.tracetrack.hub.db.HubDatabase;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * TOTP enrolment for one's own account: start (a new secret, shown once as a provisioning URI and a
 * QR image), confirm with a first code (only then does sign-in ask for codes, so a botched scan
 * never locks anyone out), and turn off again with the password. The secret leaves the hub only
 * while an enrolment is pending and only to its owner; once confirmed it is never shown again.
 */
public final class TwoFactor {

  private final HubDatabase db;
  private final AuditLog audit;
  private final Totp totp;
  private final Clock clock;

  public TwoFactor(HubDatabase db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.totp = new Totp(clock);
  }

  /** A pending enrolment: what to put into the authenticator app. */
  public record Enrolment(String provisioningUri) {}

  /** Starts (or restarts) an enrolment with a new secret. */
  public Outcome<Enrolment> start(Caller caller) {
    String username = caller.principal().username();
    String secret = totp.newSecret();
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> user = store.lock(username);
      if (user.isEmpty()) {
        return Outcome.<Enrolment>refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
      }
      if (user.get().totpEnabled()) {
        return Outcome.<Enrolment>refused(ErrorCode.TOTP_ALREADY_ENABLED, "two-factor sign-in is already on; turn it off first");
      }
      store.startTotp(user.get(), secret, now());
      audit.record(tx, caller.actor(), AuditAction.TOTP_ENROLMENT_STARTED, username, null, Map.of("username", username));
      return Outcome.done(new Enrolment(Totp.provisioningUri(username, secret)));
    });
  }

  /** The pending enrolment's QR image (PNG). */
  public Outcome<byte[]> qr(Caller caller) {
    Optional<UserStore.Row> user = new UserStore(db.dsl()).live(caller.principal().username());
    if (user.isEmpty()) {
      return Outcome.refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
    }
    if (user.get().totpEnabled()) {
      return Outcome.refused(ErrorCode.TOTP_ALREADY_ENABLED, "two-factor sign-in is on; its secret is not shown again");
    }
    if (user.get().totpSecret() == null) {
      return Outcome.refused(ErrorCode.TOTP_NOT_PENDING, "start an enrolment first (POST /api/v1/me/totp)");
    }
    return Outcome.done(QrCodes.png(Totp.provisioningUri(user.get().username(), user.get().totpSecret()), 256));
  }

  /** Confirms the pending enrolment with a code from the app: from now on, sign-in asks for codes. */
  public Outcome<UserView> confirm(Caller caller, String code) {
    String username = caller.principal().username();
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> user = store.lock(username);
      if (user.isEmpty()) {
        return Outcome.<UserView>refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
      }
      UserStore.Row u = user.get();
      if (u.totpEnabled()) {
        return Outcome.<UserView>refused(ErrorCode.TOTP_ALREADY_ENABLED, "two-factor sign-in is already on");
      }
      if (u.totpSecret() == null) {
        return Outcome.<UserView>refused(ErrorCode.TOTP_NOT_PENDING, "start an enrolment first (POST /api/v1/me/totp)");
      }
      OptionalLong step = totp.accept(u.totpSecret(), code, u.totpLastStep());
      if (step.isEmpty()) {
        return Outcome.<UserView>refused(ErrorCode.BAD_TOTP, "that code does not match; check the phone's clock and try the next one");
      }
      UserView before = UserView.of(u);
      UserView after = UserView.of(store.enableTotp(u, step.getAsLong(), now()));
      audit.record(tx, caller.actor(), AuditAction.TOTP_ENABLED, username, before.audited(), after.audited());
      return Outcome.done(after);
    });
  }

  /** Turns two-factor sign-in off (or abandons a pending enrolment); needs the password. */
  public Outcome<UserView> disable(Caller caller, String password) {
    String username = caller.principal().username();
    Optional<UserStore.Row> stored = new UserStore(db.dsl()).live(username);
    if (stored.isEmpty()) {
      return Outcome.refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
    }
    if (password == null || !Passwords.verify(password, stored.get().passwordHash())) {
      return Outcome.refused(ErrorCode.WRONG_PASSWORD, "the password is wrong");
    }
    return db.transaction(tx -> {
      UserStore store = new UserStore(tx);
      Optional<UserStore.Row> user = store.lock(username);
      if (user.isEmpty()) {
        return Outcome.<UserView>refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
      }
      UserStore.Row u = user.get();
      if (!u.totpEnabled() && u.totpSecret() == null) {
        return Outcome.<UserView>refused(ErrorCode.TOTP_NOT_ENABLED, "two-factor sign-in is not on");
      }
      UserView before = UserView.of(u);
      UserView after = UserView.of(store.disableTotp(u, now()));
      audit.record(tx, caller.actor(), AuditAction.TOTP_DISABLED, username, before.audited(), after.audited());
      return Outcome.done(after);
    });
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
