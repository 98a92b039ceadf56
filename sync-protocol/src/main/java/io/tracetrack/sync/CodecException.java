package io.tracetrack.sync;

import java.util.Objects;

/** A wire message that cannot be accepted, with a stable code for the problem+json reply. */
public final class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Stable wire codes: names can change in docs, these never do. */
  public enum Code {
    MALFORMED_JSON,
    TOO_LARGE,
    UNSUPPORTED_VERSION,
    MISSING_FIELD,
    INVALID_FIELD,
    UNKNOWN_OP_TYPE
  }

  private final Code code;

  public CodecException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public CodecException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public Code code() {
    return code;
  }
}
