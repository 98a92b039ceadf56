package io.tracetrack.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.tracetrack.model.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reading one field of a parsed JSON message, strictly: the one place {@link OpCodec} and
 * {@link WireCodec} turn a wrong type, a missing field or an out-of-range number into a
 * {@link CodecException} with a stable code, before any object is built.
 */
final class JsonFields {

  private JsonFields() {}

  static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new CodecException(ErrorCode.MISSING_FIELD, "missing field: " + field);
    }
    return value;
  }

  static JsonNode objectField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isObject()) {
      throw invalid(field + " must be an object");
    }
    return value;
  }

  static String textField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (value.getNodeType() != JsonNodeType.STRING) {
      throw invalid(field + " must be a string");
    }
    return value.textValue();
  }

  /** A string of 1 to {@code max} characters. */
  static String textField(JsonNode node, String field, int max) {
    String text = textField(node, field);
    if (text.isEmpty() || text.length() > max) {
      throw invalid(field + " must be 1-" + max + " characters");
    }
    return text;
  }

  static long longField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field + " must be a whole number");
    }
    return value.longValue();
  }

  static int intField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(field + " must be a whole number in int range");
    }
    return value.intValue();
  }

  static boolean boolField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isBoolean()) {
      throw invalid(field + " must be true or false");
    }
    return value.booleanValue();
  }

  static Instant instantField(JsonNode node, String field) {
    String text = textField(node, field, 40);
    try {
      return IsoInstants.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(field + " must be an ISO-8601 instant: " + text);
    }
  }

  static <E extends Enum<E>> E enumField(JsonNode node, String field, Class<E> type) {
    String text = textField(node, field);
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " has an unknown value: " + text);
    }
  }

  static CodecException invalid(String message) {
    return new CodecException(ErrorCode.INVALID_FIELD, message);
  }
}
