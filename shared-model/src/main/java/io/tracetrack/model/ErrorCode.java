package io.tracetrack.model;

/**
 * Every stable code TraceTrack answers a refusal with: the problem+json {@code code} of both apps,
 * the {@code reason} of a refused scan, the reason of a refused op in the Reconciler, the code of a
 * wire message the codec refuses. Integrators match on these names (and sync outcomes and events
 * will carry them), so the name <em>is</em> the wire form: a name, once released, is never renamed,
 * removed or given another meaning; new ones are added. {@code ErrorCodeGoldenTest} holds every
 * released name and fails if one goes missing.
 *
 * <p>{@link #status()} is the HTTP status a refusal with this code answers with unless the route
 * says otherwise: a route whose result type already decides the status (a bill service's {@code
 * Invalid}/{@code NotFound}/{@code Refused}, say) keeps its own, and a scan refused at a dock is a
 * 200 whose body says {@code accepted:false}.
 */
public enum ErrorCode {

  // --- the request itself: body, headers, framing (web kit) ---

  /** The body is empty or not valid JSON; also a sync message that is not valid JSON. */
  MALFORMED_JSON(400),
  /** The JSON nests deeper, or holds a longer string or number, than the endpoint accepts. */
  JSON_LIMIT_EXCEEDED(400),
  /** The request body could not be read (the client broke off or framed it wrongly). */
  UNREADABLE_BODY(400),
  /** The body is larger than the endpoint accepts. */
  BODY_TOO_LARGE(413),
  /** The body is not {@code application/json} (UTF-8) where JSON is required. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** A field or query parameter is missing, of the wrong type, too long or out of range. */
  INVALID_REQUEST(400),
  /** The server refused the request before any route: conflicting framing, a broken request line. */
  BAD_REQUEST(400),
  /** The request line is longer than the server reads. */
  URI_TOO_LONG(414),
  /** The request headers together are larger than the server reads. */
  HEADERS_TOO_LARGE(431),
  /** The Host header names a host this server does not answer for (see the allowed-hosts flag). */
  HOST_NOT_ALLOWED(421),
  /** A request from a page of another site (its Origin is not this server). */
  CROSS_ORIGIN(403),
  /** No route for this path. */
  NOT_FOUND(404),
  /** The path exists, the method does not. */
  METHOD_NOT_ALLOWED(405),
  /** An HTTP version the server does not speak. */
  HTTP_VERSION_NOT_SUPPORTED(505),
  /** Something failed on the server; the log has the details. */
  INTERNAL_ERROR(500),
  /**
   * Every database connection stayed busy for the whole queue deadline ({@code --db-queue-timeout}):
   * the request was refused before it did anything; retry after the {@code Retry-After} seconds.
   */
  DATABASE_BUSY(503),
  /**
   * A status the server chose by itself that has no code of its own here; the problem's
   * {@code status} says which (a 5xx by default).
   */
  HTTP_ERROR(500),

  // --- sync wire messages (codec) ---

  /** A wire message larger than the codec accepts, or with a number or string past a limit. */
  TOO_LARGE(413),
  /** A wire message of a version this build does not read. */
  UNSUPPORTED_VERSION(400),
  /** A required field of a wire message is absent or null. */
  MISSING_FIELD(400),
  /** A field of a wire message has the wrong type or a value outside its range. */
  INVALID_FIELD(400),
  /** A wire message names an op type this build does not know. */
  UNKNOWN_OP_TYPE(400),

  // --- bags and links: scans at a dock, ops in sync, the hub's bag API ---

  /** The input is not a code this deployment accepts; {@link CodeProblem} says why. */
  INVALID_CODE(400),
  /** A child was scanned before any parent at this station. */
  NO_PARENT(409),
  /** The child scanned is the current parent itself. */
  CHILD_EQUALS_PARENT(409),
  /** The code offered as a child is known as a parent bag (one bag, one role). */
  CODE_IS_PARENT(409),
  /** The code offered as a parent is known as a child bag (one bag, one role). */
  CODE_IS_CHILD(409),
  /** The child is already on this very parent. */
  DUPLICATE(409),
  /** The child is on another parent, which the message names. */
  CHILD_ALREADY_LINKED(409),
  /** The parent reached its expected count or was finished. */
  PARENT_COMPLETE(409),
  /** The parent already holds the maximum of 30 children. */
  PARENT_FULL(409),
  /** The parent is on a finalized bill: nothing about it may change. */
  PARENT_FINALIZED(409),
  /** The op names a parent that does not exist (or, on the hub, not in the caller's area). */
  UNKNOWN_PARENT(404),
  /** An unlink expected the child on a parent it is no longer on. */
  STALE_UNLINK(409),
  /** Undo found no link made at this station that it may remove. */
  NOTHING_TO_UNDO(409),
  /** The most recent link is older than the undo window (1 hour). */
  UNDO_WINDOW_EXPIRED(409),
  /** Finishing short of the expected count needs a second, confirming FINISH. */
  FINISH_NEEDS_CONFIRMATION(409),
  /** A parent with no children cannot be finished. */
  EMPTY_PARENT(409),
  /** The same code was created elsewhere with a different expected count; the first one stands. */
  EXPECTED_COUNT_MISMATCH(409),
  /**
   * A FINISH confirmed at one child count met the parent at another (a link or undo elsewhere came
   * first): finishing would record a count nobody confirmed, so the person confirms again.
   */
  FINISH_STALE(409),
  /** The same code again within the bounce window: the scan is ignored (outcome IGNORED, never a problem). */
  BOUNCE(409),
  /** The local store could not take the write (disk full, locked too long): nothing was recorded. */
  STORE_UNAVAILABLE(503),
  /** The hub's bag API: no bag with this code (in the caller's area). */
  BAG_NOT_FOUND(404),

  // --- bills ---

  /** A bill capacity outside 1..50 (1..100 on edit) or below the parents already on it. */
  BILL_CAPACITY_INVALID(400),
  /** A bill with this id already exists. */
  BILL_EXISTS(409),
  /** No bill has this id. */
  BILL_NOT_FOUND(404),
  /** The bill already holds as many parents as its capacity. */
  BILL_FULL(409),
  /** The bill is finalized: nothing on it may change until a biller or admin reopens it. */
  BILL_FINALIZED(409),
  /** Reopen was asked of a bill that is open. */
  BILL_NOT_FINALIZED(409),
  /** Finalize was asked of a bill short of its capacity without a short close, or of an empty bill. */
  BILL_NOT_READY(409),
  /**
   * The parent is neither complete nor finished short, so it would leave short: the message names
   * its count. A biller may still add it by saying why ({@code force} with a {@code reason}).
   */
  PARENT_NOT_READY(409),
  /** The parent is on another bill, which the message and {@code otherBill} name. */
  PARENT_ON_OTHER_BILL(409),
  /** The parent to take off a bill is not on it. */
  PARENT_NOT_ON_BILL(409),
  /** A bill's destination or vehicle number is empty, longer than 100 characters or not printable. */
  BILL_FIELD_INVALID(400),

  // --- receiving a load (a dock at the destination, from the manifest QR) ---

  /** A scan that starts like a manifest QR but is not a whole one (cut short, or altered): scan it again. */
  MANIFEST_UNREADABLE(400),
  /** A manifest of another bill while the station is receiving one: close or cancel that receipt first. */
  RECEIPT_OPEN(409),
  /** Close, cancel or undo while the station is receiving nothing. */
  NO_RECEIPT(409),
  /** Not a refusal: the parent was received, but it is not on the bill being received (an extra). */
  NOT_ON_BILL(409),
  /** The parent was already received on this receipt, or on an earlier receipt of the bill at this dock. */
  ALREADY_RECEIVED(409),

  // --- queries and paging (hub) ---

  /** The events feed: the cursor is below what the change log still holds; those events were pruned. */
  EVENTS_EXPIRED(410),
  /** A cursor (bills {@code cursor}, search {@code after}) this hub did not give out. */
  INVALID_CURSOR(400),
  /** A search term that is not 1-64 letters, digits or '-'. */
  INVALID_QUERY(400),
  /** A filter of a search or of the audit query names a value that does not exist. */
  INVALID_FILTER(400),

  // --- who is asking: sign-in, sessions, roles ---

  /** The hub: no valid bearer token (none, expired, revoked, or the account changed since). */
  UNAUTHENTICATED(401),
  /** The hub: the caller's role may not do this. */
  FORBIDDEN(403),
  /**
   * The hub: a change made with the browser session's cookie without the session's CSRF token in
   * {@code X-CSRF-Token} (or with another session's): reload the page and sign in again.
   */
  CSRF_INVALID(403),
  /** The hub: a dispatcher without an area asked for figures of an area. */
  NO_AREA(403),
  /** The edge: no user is signed in at this station, or the session expired. */
  NOT_SIGNED_IN(401),
  /** The user named is not known on this dock. */
  UNKNOWN_USER(401),
  /** Sign-in with a wrong user name or password (the same answer for both, on purpose). */
  BAD_CREDENTIALS(401),
  /** Too many failed sign-ins for this account: it is locked for a while (the detail says how long). */
  ACCOUNT_LOCKED(423),
  /** The hub: sign-in to a disabled account. */
  ACCOUNT_DISABLED(401),
  /** The edge: sign-in of a user an admin disabled. */
  DISABLED(403),
  /** The edge: the user was made by terminal capture and has no password until an admin sets one. */
  NO_PASSWORD(400),
  /** The hub: the account has two-factor sign-in on and the request carried no {@code totp}. */
  TOTP_REQUIRED(401),
  /** The hub: too many sign-in attempts from this address; try again later. */
  TOO_MANY_REQUESTS(429),
  /**
   * The authenticator code is wrong, expired or already used. 400 when enrolling or disabling
   * two-factor; sign-in answers it with 401 like any other failed sign-in.
   */
  BAD_TOTP(400),

  // --- administration: users, areas, promotions, two-factor (hub) ---

  /** A user name outside the user-name rule. */
  INVALID_USERNAME(400),
  /** A role that is not ADMIN, BILLER or DISPATCHER. */
  INVALID_ROLE(400),
  /** An area id that is not 1-40 of A-Z, 0-9, '_' and '-'. */
  INVALID_AREA(400),
  /** A free-text field (a name, a reason, a note) the text rule refuses; the detail says which. */
  INVALID_TEXT(400),
  /** A password shorter or weaker than the password rule allows (the detail says why). */
  WEAK_PASSWORD(400),
  /**
   * 400, not 401/403: the caller is signed in and allowed; the password given is wrong (or was
   * changed meanwhile).
   */
  WRONG_PASSWORD(400),
  /** Nobody changes their own role; another admin does. */
  OWN_ROLE(403),
  /** Nobody disables or deletes their own account. */
  OWN_ACCOUNT(403),
  /** No user with this name. */
  USER_NOT_FOUND(404),
  /** No area with this id. */
  AREA_NOT_FOUND(404),
  /** No promotion request with this id. */
  REQUEST_NOT_FOUND(404),
  /** A user with this name already exists. */
  USER_EXISTS(409),
  /** An area with this id already exists. */
  AREA_EXISTS(409),
  /** The change would leave no active admin. */
  LAST_ADMIN(409),
  /** The area already has as many dispatchers as it allows. */
  AREA_FULL(409),
  /** A biller with open bills keeps the role until the bills are finalized or handed over. */
  BILLER_HAS_OPEN_BILLS(409),
  /** Two-factor enrolment was started for an account that already has it on. */
  TOTP_ALREADY_ENABLED(409),
  /** A two-factor confirmation without an enrolment in progress. */
  TOTP_NOT_PENDING(409),
  /** Two-factor was to be turned off for an account that does not have it. */
  TOTP_NOT_ENABLED(409),
  /** A promotion request that was already decided. */
  NOT_PENDING(409),
  /** The user already has a promotion request waiting for an admin. */
  REQUEST_EXISTS(409),
  /** A promotion asked for the role the user already has. */
  SAME_ROLE(409),
  /** A dispatcher needs an area. */
  AREA_REQUIRED(422),
  /** Only a dispatcher has an area. */
  AREA_NOT_ALLOWED(422),

  // --- docks and their enrolment (sync) ---

  /** No dock with this name is registered at the hub. */
  DOCK_NOT_FOUND(404),
  /** A dock with this name is already registered. */
  DOCK_EXISTS(409),
  /** The dock was revoked: its device credential no longer works (an admin issues a new code to re-enrol it). */
  DOCK_REVOKED(401),
  /** No dock has this enrolment code: mistyped, replaced by a newer code, or never issued. */
  ENROLLMENT_CODE_INVALID(401),
  /** The enrolment code was right but is past its expiry; an admin issues a new one. */
  ENROLLMENT_CODE_EXPIRED(410),
  /** The enrolment code was already exchanged for a credential; each code works once. */
  ENROLLMENT_CODE_USED(410),

  // --- sync (issue #7) ---

  /**
   * A dock asked for changes after a position the hub no longer holds (pruned): it must load a
   * snapshot ({@code GET /api/v1/sync/snapshot}) and follow on from there, never skip the gap.
   */
  SNAPSHOT_REQUIRED(410),
  /**
   * A pushed op reuses a {@code seq} under which the hub already holds a different op of this edge:
   * the dock was restored from a backup, or its data folder was copied. Nothing changed; the dock
   * moves its unsent ops past the hub's last seq and sends them again. Never taken as a duplicate.
   */
  SEQ_REUSED(409),
  /** An enrolment names an edge id the hub has bound to another dock (a copied data folder, say). */
  EDGE_ID_TAKEN(409),
  /** A pushed op names a bag of another dispatch area than the dock's: refused as at the API. */
  BAG_IN_OTHER_AREA(409),
  /** A pushed op's actor is a hub user who may not sign in at this dock (an admin, a biller, another area's dispatcher). */
  ACTOR_NOT_ALLOWED(409),
  /** No conflict has this id. */
  CONFLICT_NOT_FOUND(404),
  /** The conflict was already resolved or dismissed. */
  CONFLICT_CLOSED(409),
  /** A conflict action that does not apply to this conflict (MOVE of a refused parent creation, say). */
  CONFLICT_ACTION_INVALID(422),

  // --- webhooks (issue #17) ---

  /** A webhook URL that is not an absolute http(s) URL with a host, carries credentials, or is over 2,000 characters. */
  WEBHOOK_URL_INVALID(400),
  /** A webhook URL whose host is (or resolves to) a loopback, private or link-local address not named by {@code --webhook-allowed-hosts}. */
  WEBHOOK_HOST_NOT_ALLOWED(400),
  /** A webhook's {@code types} names an event type this hub does not publish. */
  UNKNOWN_EVENT_TYPE(400),
  /** No webhook has this id. */
  WEBHOOK_NOT_FOUND(404),
  /** The webhook has no delivery with this id. */
  DELIVERY_NOT_FOUND(404),
  /** The delivery is queued already: it is sent at its next attempt. */
  DELIVERY_PENDING(409),

  // --- end of day (F-EOD) ---

  /** Mail was asked for but the hub has no mail server configured ({@code HUB_SMTP_HOST}). */
  SMTP_NOT_CONFIGURED(409),
  /** No enabled admin or biller has an e-mail address, so there is nobody to mail. */
  NO_MAIL_RECIPIENTS(409),
  /** The mail server could not be reached or refused the message; it is tried again later. */
  MAIL_FAILED(502),

  // --- import (F-IO, issue #8) ---

  /** An import commit found errors in the file (the answer is the report listing them); nothing was written. */
  IMPORT_HAS_ERRORS(422),
  /** The import body is neither CSV (UTF-8 text) nor an XLSX workbook. */
  IMPORT_NOT_A_SPREADSHEET(415),
  /** The workbook cannot be read safely: a zip bomb, an entry too large, a broken archive. */
  IMPORT_FILE_REFUSED(422),
  /** The file holds more data rows than one import takes (80,000). */
  IMPORT_TOO_MANY_ROWS(413),
  /** The header row is missing a required column, names one twice, or names an unknown one. */
  IMPORT_BAD_HEADER(422),
  /** A row names a code (or bill id) an earlier row of the same file already named. */
  IMPORT_DUPLICATE_ROW(422),
  /** A cell is a spreadsheet formula (or starts like one: = + - @); imports take values only. */
  IMPORT_FORMULA_CELL(422),
  /** A cell is missing, too long, in a column past the header, or not a value the column takes. */
  IMPORT_CELL_INVALID(422),
  /** A warning, not an error: the row's bag, link or bill is already at the hub as the row says; skipped. */
  IMPORT_ALREADY_EXISTS(200);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status a refusal with this code answers with, unless its route says otherwise. */
  public int status() {
    return status;
  }

  /**
   * The code for a status the server chose by itself, before or outside any handler of ours (a
   * broken request line, a method no route has).
   */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> BODY_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 421 -> HOST_NOT_ALLOWED;
      case 431 -> HEADERS_TOO_LARGE;
      case 505 -> HTTP_VERSION_NOT_SUPPORTED;
      case 500 -> INTERNAL_ERROR;
      default -> HTTP_ERROR;
    };
  }
}
