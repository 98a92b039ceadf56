package io.tracetrack.hub.eod;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.mail.Mailer;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Mails the end-of-day summary to every enabled admin and biller with an e-mail address: by itself
 * once a day after {@code mailAt} (local time), exactly once across hub instances (see
 * {@link EodMailStore#claim}), a failed send tried again every {@link #RETRY}; and at once when an
 * admin asks.
 */
public final class EodMailer {

  /** How long a failed or abandoned send waits before an instance tries again. */
  public static final Duration RETRY = Duration.ofMinutes(10);
  private static final Logger LOG = Logger.getLogger(EodMailer.class.getName());

  /** What a send came to. */
  public sealed interface Result {
    /** The mail server accepted the message for these addresses. */
    record Sent(LocalDate day, List<String> recipients) implements Result {}

    /** No mail server is configured. */
    record NotConfigured() implements Result {}

    /** Nobody to mail: no enabled admin or biller has an address. */
    record NoRecipients() implements Result {}

    /** The mail server was unreachable or refused; the failure is recorded and retried. */
    record Failed(LocalDate day, String error) implements Result {}
  }

  /** One day's mail, for the health page and the admin. */
  public record Status(LocalDate day, String claimedBy, OffsetDateTime claimedAt, int attempts, OffsetDateTime sentAt,
      String recipients, String lastError) {}

  private final HubDatabase db;
  private final EodMailStore store;
  private final EndOfDay eod;
  private final Optional<Mailer> mailer;
  private final ZoneId zone;
  private final LocalTime mailAt;
  private final AuditLog audit;
  private final Clock clock;
  private final String instance;

  /**
   * @param mailer empty when no SMTP server is configured: nothing is sent, the admin's route says so
   * @param instance names this hub instance in the claim (host and process)
   */
  public EodMailer(HubDatabase db, EndOfDay eod, Optional<Mailer> mailer, ZoneId zone, LocalTime mailAt, AuditLog audit,
      Clock clock, String instance) {
    this.db = Objects.requireNonNull(db, "db");
    this.store = new EodMailStore(db);
    this.eod = Objects.requireNonNull(eod, "eod");
    this.mailer = Objects.requireNonNull(mailer, "mailer");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.mailAt = Objects.requireNonNull(mailAt, "mailAt");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.instance = Objects.requireNonNull(instance, "instance");
  }

  public boolean configured() {
    return mailer.isPresent();
  }

  /**
   * The scheduled run (every minute): yesterday's mail if it has not gone out (the hub was down at
   * {@code mailAt}, or the send failed), and today's once it is past {@code mailAt}. Returns what it
   * sent or tried; nothing when another instance holds the day.
   */
  public List<Result> tick() {
    if (mailer.isEmpty()) {
      return List.of();
    }
    LocalDateTime local = LocalDateTime.ofInstant(clock.instant(), zone);
    List<LocalDate> due = new ArrayList<>(List.of(local.toLocalDate().minusDays(1)));
    if (!local.toLocalTime().isBefore(mailAt)) {
      due.add(local.toLocalDate());
    }
    List<Result> results = new ArrayList<>();
    for (LocalDate day : due) {
      if (store.sent(day)) {
        continue;
      }
      List<String> to = store.recipients();
      if (to.isEmpty()) {
        continue; // nobody to mail yet; someone given an address later today still gets it
      }
      OffsetDateTime now = now();
      if (store.claim(day, instance, now, now.minus(RETRY))) {
        results.add(send(day, to, null));
      }
    }
    return results;
  }

  /** Sends the day's summary now, whether or not it went out before; audited. */
  public Result sendNow(LocalDate day, Caller caller) {
    if (mailer.isEmpty()) {
      return new Result.NotConfigured();
    }
    List<String> to = store.recipients();
    if (to.isEmpty()) {
      return new Result.NoRecipients();
    }
    db.transaction(tx -> {
      store.ensure(tx, day, "admin " + caller.principal().username(), now());
      return null;
    });
    return send(day, to, caller);
  }

  private Result send(LocalDate day, List<String> to, Caller caller) {
    Result result;
    try {
      mailer.orElseThrow().send(EodLetter.of(eod.of(day, zone), to));
      result = new Result.Sent(day, to);
    } catch (MessagingException | RuntimeException e) {
      String error = describe(e);
      LOG.warning("end-of-day mail for " + day + " failed (tried again in " + RETRY.toMinutes() + " minutes): " + error);
      result = new Result.Failed(day, error);
    }
    Result done = result;
    db.transaction(tx -> {
      switch (done) {
        case Result.Sent s -> store.sent(tx, day, to, now());
        case Result.Failed f -> store.failed(tx, day, f.error(), now());
        case Result.NotConfigured n -> { }
        case Result.NoRecipients n -> { }
      }
      if (caller != null) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("recipients", to.size());
        entry.put("sent", done instanceof Result.Sent);
        if (done instanceof Result.Failed f) {
          entry.put("error", f.error());
        }
        audit.record(tx, caller.actor(), AuditAction.END_OF_DAY_MAILED, day.toString(), null, entry);
      }
      return null;
    });
    return done;
  }

  /** The mail of the last {@code days} days that have one, newest first. */
  public List<Status> recent(int days) {
    return store.recent(days).stream().map(e -> new Status(e.day(), e.claimedBy(), e.claimedAt(), e.attempts(), e.sentAt(),
        e.recipients(), e.lastError())).toList();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The innermost cause, in one line: "Connection refused", "535 authentication failed". */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root == e ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    return message.replaceAll("[\\r\\n]+", " ");
  }
}
