package io.tracetrack.hub.eod;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.EOD_MAIL;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.web.Store;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * The {@code eod_mail} rows that make the daily mail go out once across hub instances, and the
 * recipients' addresses.
 */
@Store
final class EodMailStore {

  private static final int MAX_ERROR = 500;
  private static final int MAX_RECIPIENTS_TEXT = 4000;

  private final HubDatabase db;

  EodMailStore(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** One day's mail as recorded. */
  record Entry(LocalDate day, String claimedBy, OffsetDateTime claimedAt, int attempts, OffsetDateTime sentAt,
      String recipients, String lastError) {}

  /** The addresses of every enabled admin and biller that has one, by user name. */
  List<String> recipients() {
    return db.dsl().selectDistinct(APP_USER.EMAIL, APP_USER.USERNAME).from(APP_USER)
        .where(APP_USER.ROLE.in("ADMIN", "BILLER")).and(APP_USER.DISABLED.isFalse()).and(APP_USER.ANONYMISED.isFalse())
        .and(APP_USER.EMAIL.isNotNull())
        .orderBy(APP_USER.USERNAME).fetch(APP_USER.EMAIL).stream().distinct().toList();
  }

  /** Whether the day's mail was already accepted by the mail server. */
  boolean sent(LocalDate day) {
    return db.dsl().fetchExists(EOD_MAIL, EOD_MAIL.MAIL_DAY.eq(day).and(EOD_MAIL.SENT_AT.isNotNull()));
  }

  /**
   * Takes the day's mail for {@code instance}: the first claim inserts the row; a claim whose send
   * failed or whose sender vanished is taken over once it is older than {@code staleBefore}. Exactly
   * one of several instances racing gets {@code true}: the primary key and the conditional update
   * decide, not a read followed by a write.
   */
  boolean claim(LocalDate day, String instance, OffsetDateTime now, OffsetDateTime staleBefore) {
    try {
      int inserted = db.dsl().insertInto(EOD_MAIL).set(EOD_MAIL.MAIL_DAY, day).set(EOD_MAIL.CLAIMED_BY, instance)
          .set(EOD_MAIL.CLAIMED_AT, now).onConflictDoNothing().execute();
      if (inserted == 1) {
        return true;
      }
    } catch (DataAccessException e) {
      // H2's emulation of "on conflict do nothing" can still lose a race on the key: someone else has
      // it. Only that: any other failure (the database down, a full disk) is not "someone else sends".
      if (!io.tracetrack.hub.db.HubDatabase.isUniqueViolation(e)) {
        throw e;
      }
    }
    return db.dsl().update(EOD_MAIL).set(EOD_MAIL.CLAIMED_BY, instance).set(EOD_MAIL.CLAIMED_AT, now)
        .where(EOD_MAIL.MAIL_DAY.eq(day)).and(EOD_MAIL.SENT_AT.isNull()).and(EOD_MAIL.CLAIMED_AT.lt(staleBefore))
        .execute() == 1;
  }

  /** Makes sure the day has a row, for a send an admin asked for (which needs no claim). */
  void ensure(DSLContext tx, LocalDate day, String by, OffsetDateTime now) {
    tx.insertInto(EOD_MAIL).set(EOD_MAIL.MAIL_DAY, day).set(EOD_MAIL.CLAIMED_BY, by).set(EOD_MAIL.CLAIMED_AT, now)
        .onConflictDoNothing().execute();
  }

  void sent(DSLContext tx, LocalDate day, List<String> to, OffsetDateTime now) {
    String list = String.join(", ", to);
    tx.update(EOD_MAIL).set(EOD_MAIL.SENT_AT, now).set(EOD_MAIL.ATTEMPTS, EOD_MAIL.ATTEMPTS.plus(1))
        .set(EOD_MAIL.RECIPIENTS, list.length() > MAX_RECIPIENTS_TEXT ? list.substring(0, MAX_RECIPIENTS_TEXT) : list)
        .setNull(EOD_MAIL.LAST_ERROR)
        .where(EOD_MAIL.MAIL_DAY.eq(day)).execute();
  }

  void failed(DSLContext tx, LocalDate day, String error, OffsetDateTime now) {
    String text = error == null ? "unknown error" : error;
    tx.update(EOD_MAIL).set(EOD_MAIL.ATTEMPTS, EOD_MAIL.ATTEMPTS.plus(1))
        .set(EOD_MAIL.LAST_ERROR, text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text)
        // the claim ages from the failure: the next try waits the full retry interval
        .set(EOD_MAIL.CLAIMED_AT, now)
        .where(EOD_MAIL.MAIL_DAY.eq(day)).execute();
  }

  /** The last {@code limit} days that have a row, newest first. */
  List<Entry> recent(int limit) {
    return db.dsl().selectFrom(EOD_MAIL).orderBy(EOD_MAIL.MAIL_DAY.desc()).limit(limit)
        .fetch(r -> new Entry(r.getMailDay(), r.getClaimedBy(), r.getClaimedAt(), r.getAttempts(), r.getSentAt(),
            r.getRecipients(), r.getLastError()));
  }
}
