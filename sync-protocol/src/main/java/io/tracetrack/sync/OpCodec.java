package io.tracetrack.sync;

import static io.tracetrack.sync.JsonFields.enumField;
import static io.tracetrack.sync.JsonFields.intField;
import static io.tracetrack.sync.JsonFields.invalid;
import static io.tracetrack.sync.JsonFields.longField;
import static io.tracetrack.sync.JsonFields.objectField;
import static io.tracetrack.sync.JsonFields.textField;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.model.ErrorCode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON form of ops, version 1. Written with Jackson's streaming generator and read over its
 * tree model rather than by annotation-driven binding: the wire shape is explicit, frozen by golden fixtures, and hostile
 * input (wrong types, deep nesting, huge strings) is refused with a stable code before any object
 * is built. Unknown fields are ignored so later versions can add some.
 */
public final class OpCodec {

  /** The only version this codec writes; it reads only this one too. */
  public static final int VERSION = 1;

  /** Largest encoded op accepted. Real ops are a few hundred bytes. */
  public static final int MAX_BYTES = 16 * 1024;

  private final ObjectMapper mapper;

  public OpCodec() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxStringLength(1024)
                    .maxNumberLength(20)
                    .maxDocumentLength(MAX_BYTES)
                    .build())
            .build();
    this.mapper = new ObjectMapper(factory);
  }

  /** Writes the canonical version-1 JSON of an op (streamed: it is on every scan's path). */
  public String encode(OpEnvelope envelope) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeObjectFieldStart("id");
      g.writeStringField("edge", envelope.id().edgeId());
      g.writeNumberField("seq", envelope.id().seq());
      g.writeEndObject();
      g.writeObjectFieldStart("hlc");
      g.writeNumberField("wall", envelope.hlc().wallMillis());
      g.writeNumberField("logical", envelope.hlc().logical());
      g.writeEndObject();
      g.writeStringField("actor", envelope.actor());
      g.writeStringField("dock", envelope.dock());
      g.writeStringField("station", envelope.station());
      g.writeObjectFieldStart("op");
      writeOp(g, envelope.op());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to a string", e);
    }
    return out.toString();
  }

  private static void writeOp(JsonGenerator g, Op op) throws IOException {
    g.writeStringField("type", op.type());
    switch (op) {
      case Op.CreateParent c -> {
        g.writeStringField("parent", c.parent());
        if (c.expectedCount() == null) {
          g.writeNullField("expectedCount");
        } else {
          g.writeNumberField("expectedCount", c.expectedCount());
        }
        g.writeNumberField("limit", c.limit());
      }
      case Op.Link l -> {
        g.writeStringField("parent", l.parent());
        g.writeStringField("child", l.child());
      }
      case Op.Unlink u -> {
        g.writeStringField("parent", u.parent());
        g.writeStringField("child", u.child());
        g.writeStringField("reason", u.reason().name());
      }
      case Op.Finish f -> {
        g.writeStringField("parent", f.parent());
        g.writeNumberField("countSeen", f.countSeen());
      }
    }
  }

  /**
   * Reads one op.
   *
   * @throws CodecException with a stable code when the text is not a valid version-1 op
   */
  public OpEnvelope decode(String json) {
    if (json == null || json.isBlank()) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "no content");
    }
    if (json.length() > MAX_BYTES) {
      throw new CodecException(ErrorCode.TOO_LARGE, "an op is at most " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (StreamConstraintsException e) {
      throw new CodecException(ErrorCode.TOO_LARGE, "op exceeds a size limit: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    return decode(root);
  }

  /** Reads one op from an already parsed tree (a batch element, say). */
  public OpEnvelope decode(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw invalid("an op must be a JSON object");
    }
    int version = intField(root, "v");
    if (version != VERSION) {
      throw new CodecException(ErrorCode.UNSUPPORTED_VERSION,
          "op version " + version + " is not supported; this node speaks version " + VERSION);
    }
    JsonNode idNode = objectField(root, "id");
    JsonNode hlcNode = objectField(root, "hlc");
    try {
      OpId id = new OpId(textField(idNode, "edge"), longField(idNode, "seq"));
      Hlc hlc = new Hlc(longField(hlcNode, "wall"), intField(hlcNode, "logical"));
      return new OpEnvelope(id, hlc, textField(root, "actor"), textField(root, "dock"),
          textField(root, "station"), decodeOp(objectField(root, "op")));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private Op decodeOp(JsonNode node) {
    String type = textField(node, "type");
    return switch (type) {
      case Op.CREATE_PARENT -> {
        JsonNode expected = node.get("expectedCount");
        Integer count = expected == null || expected.isNull() ? null : intField(node, "expectedCount");
        yield new Op.CreateParent(textField(node, "parent"), count, intField(node, "limit"));
      }
      case Op.LINK -> new Op.Link(textField(node, "parent"), textField(node, "child"));
      case Op.UNLINK -> new Op.Unlink(textField(node, "parent"), textField(node, "child"),
          enumField(node, "reason", Op.UnlinkReason.class));
      case Op.FINISH -> new Op.Finish(textField(node, "parent"), intField(node, "countSeen"));
      default -> throw new CodecException(ErrorCode.UNKNOWN_OP_TYPE, "unknown op type: " + type);
    };
  }
}
