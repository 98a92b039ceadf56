package io.tracetrack.sync;

import io.tracetrack.model.ErrorCode;
import java.util.Objects;

/**
 * A wire message that cannot be accepted, with the stable {@link ErrorCode} for the problem+json
 * reply ({@code MALFORMED_JSON}, {@code TOO_LARGE}, {@code UNSUPPORTED_VERSION}, {@code
 * MISSING_FIELD}, {@code INVALID_FIELD}, {@code UNKNOWN_OP_TYPE}).
 */
public final class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public CodecException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public CodecException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
