package io.tracetrack.hub.bill;

import io.tracetrack.model.BillRules;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One page of bills, newest first, and the cursor of the next page ({@code null} on the last).
 *
 * @param items the bills on this page
 * @param nextCursor opaque: pass it back as {@code cursor} for the next page
 */
public record BillPage(List<Summary> items, String nextCursor) {

  /** Most bills a page may hold. */
  public static final int MAX_PAGE = 200;

  public BillPage {
    items = List.copyOf(items);
  }

  /** A bill in a list: its facts and its current counts. */
  public record Summary(String id, String destination, String vehicle, int capacity, BillRules.Status status,
      boolean shortClosed, String createdBy, OffsetDateTime createdAt, int parentCount, long childCount) {}

  /**
   * Where a page ends: the last row's sort key. Encoded as base64url so clients treat it as a token
   * rather than something to build or edit; decoding checks every part, since it comes back from
   * outside.
   */
  public record Cursor(OffsetDateTime createdAt, String id) {

    private static final Pattern ID = Pattern.compile("[A-Z0-9]{1,20}");

    public Cursor {
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(id, "id");
    }

    public String encode() {
      String text = createdAt.toInstant().toString() + "|" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a token stands for, or empty if it is not one this hub issued. */
    public static Optional<Cursor> decode(String token) {
      if (token == null || token.isEmpty() || token.length() > 100) {
        return Optional.empty();
      }
      try {
        String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        int bar = text.indexOf('|');
        if (bar < 0 || !ID.matcher(text.substring(bar + 1)).matches()) {
          return Optional.empty();
        }
        OffsetDateTime at = java.time.Instant.parse(text.substring(0, bar)).atOffset(ZoneOffset.UTC);
        return Optional.of(new Cursor(at, text.substring(bar + 1)));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}
