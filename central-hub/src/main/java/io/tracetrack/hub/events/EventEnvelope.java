package io.tracetrack.hub.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.ChangeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

/**
 * One change-log entry as a CloudEvents 1.0 structured JSON event: {@code specversion} 1.0, {@code
 * id} the log position as text (stable: a consumer drops a repeat by it), {@code source} the hub,
 * {@code type} {@code io.tracetrack.} + the entry's wire name ({@code io.tracetrack.link.v1}),
 * {@code subject} the entity key (a bag code, a bill id), {@code time}, {@code datacontenttype}
 * and {@code data}, the entry's payload.
 *
 * <p>What leaves the hub is what an integrator may see: a {@code user.v1} entry carries the
 * password hash docks need to sign users in offline, and that field is left out here.
 */
public final class EventEnvelope {

  /** The prefix of every event type. */
  public static final String TYPE_PREFIX = "io.tracetrack.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventEnvelope() {}

  /** The event's JSON, UTF-8. */
  public static byte[] json(ChangeLog.Stored entry, String source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + entry.payload().length());
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("specversion", "1.0");
      g.writeStringField("id", Long.toString(entry.seq()));
      g.writeStringField("source", source);
      g.writeStringField("type", TYPE_PREFIX + entry.type());
      g.writeStringField("subject", entry.entityKey());
      g.writeStringField("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(entry.at()));
      g.writeStringField("datacontenttype", "application/json");
      g.writeFieldName("data");
      g.writeTree(data(entry));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return out.toByteArray();
  }

  /** The payload as an integrator may see it. */
  private static JsonNode data(ChangeLog.Stored entry) throws IOException {
    JsonNode payload = JSON.readTree(entry.payload());
    if (ChangeType.USER.wire().equals(entry.type()) && payload instanceof ObjectNode user) {
      user.remove("passwordHash");
    }
    return payload;
  }
}
