package io.tracetrack.web;

import io.tracetrack.model.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a JSON object's fields and remembers the first thing wrong with them, so a handler reads
 * its fields in a row and calls {@link #check} once, which throws the 400 ({@link ApiProblem}).
 * Types are strict: a number where a string belongs is a 400, never coerced. An optional field
 * that is absent (or JSON {@code null}) reads as {@code null}. Not thread-safe: one per request.
 */
public final class Form {

  private final JsonNode body;
  private String problem;
  private ErrorCode code = ErrorCode.INVALID_REQUEST;

  private Form(JsonNode body) {
    this.body = Objects.requireNonNull(body, "body");
  }

  /** A form over a JSON object (as {@link JsonBody#read} returns). */
  public static Form of(JsonNode body) {
    if (!body.isObject()) {
      throw new IllegalArgumentException("a form reads a JSON object, got " + body.getNodeType());
    }
    return new Form(body);
  }

  /** A string field that must be there, of at most {@code max} characters. */
  public String required(String field, int max) {
    String value = optional(field, max);
    if (value == null && !present(field)) {
      fail("missing field: " + field);
    }
    return value;
  }

  /** A string field of at most {@code max} characters, or {@code null} when absent. */
  public String optional(String field, int max) {
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

  /**
   * Like {@link #optional(String, int)}, but anything other than a string of at most {@code max}
   * characters is refused with {@code problem} (a field whose one right shape is easier to say).
   */
  public String optional(String field, int max, String problem) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.textValue().length() > max) {
      fail(problem);
      return null;
    }
    return v.textValue();
  }

  /** {@code true}, {@code false}, or {@code null} when absent. */
  public Boolean bool(String field) {
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

  /** A whole number in {@code min..max}, or {@code null} when absent; "5", 5.0 and 1e9999 are refused. */
  public Integer integer(String field, int min, int max) {
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

  /** A whole number that fits an int (the rules behind the route judge its range), or {@code null} when absent. */
  public Integer integer(String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      fail(field + " must be a whole number");
      return null;
    }
    return v.intValue();
  }

  /** Like {@link #integer(String)}, but the field must be there. */
  public Integer requiredInteger(String field) {
    Integer value = integer(field);
    if (value == null && !present(field)) {
      fail("missing field: " + field);
    }
    return value;
  }

  /**
   * One of an enum's constants, named in any case; a name that is none of them is refused with
   * {@code code} (its own stable code, e.g. {@code INVALID_ROLE}) and the list of names.
   */
  public <E extends Enum<E>> E oneOf(String field, Class<E> type, boolean required, ErrorCode code) {
    String text = required ? required(field, 20) : optional(field, 20);
    if (text == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text.toUpperCase(Locale.ROOT))) {
        return constant;
      }
    }
    if (problem == null) {
      problem = field + " is one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
          .collect(Collectors.joining(", "));
      this.code = code;
    }
    return null;
  }

  /** Refuses fields the route does not know: a PATCH that silently ignored "role" would mislead. */
  public Form only(Set<String> known) {
    body.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        fail("unknown field: " + (f.length() > 40 ? f.substring(0, 40) + "…" : f) + "; allowed: " + known);
      }
    });
    return this;
  }

  /**
   * Throws the first problem as a 400; returns normally if every field read so far was fine.
   *
   * @throws ApiProblem with the first problem's code
   */
  public void check() {
    if (problem != null) {
      // a field name in the message came from the client: no control characters into logs or UIs
      throw ApiProblem.badRequest(code, problem.replaceAll("\\p{Cntrl}", "?"));
    }
  }

  /** True if the field is there with a value (a wrong one already has its own problem). */
  private boolean present(String field) {
    JsonNode v = body.get(field);
    return v != null && !v.isNull();
  }

  private void fail(String message) {
    if (problem == null) {
      problem = message;
    }
  }
}
