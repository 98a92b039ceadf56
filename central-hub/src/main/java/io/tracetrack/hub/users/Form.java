package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a JSON body's fields and remembers the first thing wrong with them, so a handler reads its
 * fields in a row and asks {@link #ok} once. Types are strict: a number where a string belongs is a
 * 400, never coerced.
 */
final class Form {

  private final JsonNode body;
  private String problem;
  private ErrorCode code = ErrorCode.INVALID_REQUEST;

  Form(JsonNode body) {
    this.body = body;
  }

  String required(String field, int max) {
    String value = optional(field, max);
    if (value == null && problem == null) {
      problem = "missing field: " + field;
    }
    return value;
  }

  /** A string field, or {@code null} when absent or JSON null. */
  String optional(String field, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      fail(field + " must be a string");
      return null;
    }
    if (v.textValue().length() > max) {
      fail(field + " is longer than " + max + " characters");
      return null;
    }
    return v.textValue();
  }

  Boolean bool(String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      fail(field + " must be true or false");
      return null;
    }
    return v.booleanValue();
  }

  Integer integer(String field, int min, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      fail(field + " must be a whole number " + min + ".." + max);
      return null;
    }
    return v.intValue();
  }

  Role role(String field, boolean required) {
    String text = required ? required(field, 20) : optional(field, 20);
    if (text == null) {
      return null;
    }
    try {
      return Role.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      if (problem == null) {
        problem = field + " is one of ADMIN, BILLER, DISPATCHER";
        code = ErrorCode.INVALID_ROLE;
      }
      return null;
    }
  }

  /** Refuses fields the route does not know: a PATCH that silently ignored "role" would mislead. */
  void only(Set<String> known) {
    body.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        fail("unknown field: " + (f.length() > 40 ? f.substring(0, 40) + "…" : f) + "; allowed: " + known);
      }
    });
  }

  private void fail(String message) {
    if (problem == null) {
      problem = message;
    }
  }

  /** True if every field was fine; otherwise answers 400 with the first problem and returns false. */
  boolean ok(ServerResponse res) {
    if (problem == null) {
      return true;
    }
    Http.problem(res, 400, code, problem.replaceAll("\\p{Cntrl}", "?"));
    return false;
  }
}
