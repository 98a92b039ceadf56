package io.tracetrack.web;

/**
 * The problem codes the kit itself answers with. Clients switch on these, so a name, once
 * released, never changes meaning; the apps' own codes live with the apps.
 */
public final class ProblemCodes {

  public static final String MALFORMED_JSON = "MALFORMED_JSON";
  public static final String JSON_LIMIT_EXCEEDED = "JSON_LIMIT_EXCEEDED";
  public static final String UNREADABLE_BODY = "UNREADABLE_BODY";
  public static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";
  public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
  public static final String INVALID_REQUEST = "INVALID_REQUEST";
  public static final String BAD_REQUEST = "BAD_REQUEST";
  public static final String URI_TOO_LONG = "URI_TOO_LONG";
  public static final String HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE";
  public static final String HOST_NOT_ALLOWED = "HOST_NOT_ALLOWED";
  public static final String CROSS_ORIGIN = "CROSS_ORIGIN";
  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  public static final String HTTP_VERSION_NOT_SUPPORTED = "HTTP_VERSION_NOT_SUPPORTED";
  public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private ProblemCodes() {}

  /** The code for a status the server chose by itself (no handler of ours decided it). */
  public static String forStatus(int status) {
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
      default -> "HTTP_" + status;
    };
  }
}
