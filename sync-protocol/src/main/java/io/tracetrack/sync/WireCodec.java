package io.tracetrack.sync;

import static io.tracetrack.sync.JsonFields.boolField;
import static io.tracetrack.sync.JsonFields.enumField;
import static io.tracetrack.sync.JsonFields.instantField;
import static io.tracetrack.sync.JsonFields.intField;
import static io.tracetrack.sync.JsonFields.invalid;
import static io.tracetrack.sync.JsonFields.longField;
import static io.tracetrack.sync.JsonFields.required;
import static io.tracetrack.sync.JsonFields.textField;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.model.ErrorCode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of the sync messages, version 1: push batches and replies, change pages, snapshot
 * lines, and change payloads. Like {@link OpCodec} (which it uses for each op), it writes with the
 * streaming generator and reads over the tree model (a change page streams its payloads past the
 * tree, {@link #decodePage}), so the shape is explicit and hostile input is refused with a stable
 * code ({@link CodecException}) before any object is built. Unknown fields
 * are ignored, so a later version may add some; duplicate keys are refused.
 */
public final class WireCodec {

  public static final int VERSION = 1;

  /** Most ops in one push. */
  public static final int MAX_BATCH = 1000;

  /** Largest push body: {@link #MAX_BATCH} ops of a few hundred bytes, with room to spare. */
  public static final int MAX_PUSH_BYTES = 2 * 1024 * 1024;

  private final ObjectMapper mapper;
  private final ObjectMapper changes;
  private final OpCodec ops = new OpCodec();

  public WireCodec() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(20)
            .maxDocumentLength(64L * 1024 * 1024).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory);
    // change payloads are records: bound by Jackson, ignoring fields a later hub may add
    this.changes = new ObjectMapper(factory).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  // ---------------------------------------------------------------- push

  public String encode(PushBatch batch) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("edgeId", batch.edgeId());
      g.writeStringField("dock", batch.dock());
      g.writeObjectFieldStart("clock");
      g.writeNumberField("wall", batch.clock().wallMillis());
      g.writeNumberField("logical", batch.clock().logical());
      g.writeEndObject();
      g.writeNumberField("pendingOps", batch.pendingOps());
      if (batch.oldestPendingAt() == null) {
        g.writeNullField("oldestPendingAt");
      } else {
        g.writeNumberField("oldestPendingAt", batch.oldestPendingAt());
      }
      g.writeStringField("version", batch.version());
      g.writeArrayFieldStart("ops");
      for (OpEnvelope op : batch.ops()) {
        g.writeRawValue(ops.encode(op));
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * Reads a push batch: every op must be well formed, of the batch's edge and dock, in strictly
   * ascending {@code seq}; a batch that breaks any of that is refused whole.
   *
   * @throws CodecException with a stable code
   */
  public PushBatch decodePush(String json) {
    if (json != null && json.length() > MAX_PUSH_BYTES) {
      throw new CodecException(ErrorCode.TOO_LARGE, "a push is at most " + MAX_PUSH_BYTES + " bytes");
    }
    JsonNode root = object(parse(json), "a push");
    version(root);
    String edgeId = textField(root, "edgeId", 64);
    String dock = textField(root, "dock", 64);
    JsonNode clock = object(required(root, "clock"), "clock");
    Hlc hlc;
    try {
      hlc = new Hlc(longField(clock, "wall"), intField(clock, "logical"));
    } catch (IllegalArgumentException e) {
      throw invalid("clock: " + e.getMessage());
    }
    long pending = longField(root, "pendingOps");
    if (pending < 0) {
      throw invalid("pendingOps must not be negative");
    }
    JsonNode oldest = root.get("oldestPendingAt");
    Long oldestAt = oldest == null || oldest.isNull() ? null : longField(root, "oldestPendingAt");
    String version = textField(root, "version", 40);
    JsonNode list = required(root, "ops");
    if (!list.isArray()) {
      throw invalid("ops must be an array");
    }
    if (list.size() > MAX_BATCH) {
      throw new CodecException(ErrorCode.TOO_LARGE, "a push holds at most " + MAX_BATCH + " ops, not " + list.size());
    }
    List<OpEnvelope> envelopes = new ArrayList<>(list.size());
    long previous = 0;
    for (JsonNode node : list) {
      OpEnvelope op = ops.decode(node);
      // an op read from a batch meets no document limit of its own: the same as one read alone
      // (a receiver stores ops in that form, and a longer one would not fit)
      if (ops.encode(op).length() > OpCodec.MAX_BYTES) {
        throw invalid("op " + op.id().seq() + " is longer than " + OpCodec.MAX_BYTES + " characters");
      }
      if (!op.id().edgeId().equals(edgeId)) {
        throw invalid("op " + op.id().seq() + " belongs to edge " + op.id().edgeId() + ", not " + edgeId);
      }
      if (!op.dock().equals(dock)) {
        throw invalid("op " + op.id().seq() + " names dock " + op.dock() + ", not " + dock);
      }
      if (op.id().seq() <= previous) {
        throw invalid("ops must be in ascending seq order without repeats: " + op.id().seq() + " after " + previous);
      }
      previous = op.id().seq();
      envelopes.add(op);
    }
    try {
      return new PushBatch(edgeId, dock, hlc, pending, oldestAt, version, envelopes);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  public String encode(PushReply reply) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeNumberField("lastSeq", reply.lastSeq());
      g.writeStringField("hubTime", reply.hubTime().toString());
      if (reply.logPosition() != null) {
        g.writeNumberField("logPosition", reply.logPosition());
      }
      g.writeArrayFieldStart("outcomes");
      for (OpOutcome o : reply.outcomes()) {
        g.writeStartObject();
        g.writeNumberField("seq", o.seq());
        g.writeStringField("status", o.status().name());
        if (o.code() != null) {
          g.writeStringField("code", o.code());
        }
        if (o.message() != null) {
          g.writeStringField("message", o.message());
        }
        if (o.conflictId() != null) {
          g.writeNumberField("conflictId", o.conflictId());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public PushReply decodeReply(String json) {
    JsonNode root = object(parse(json), "a push reply");
    version(root);
    JsonNode list = required(root, "outcomes");
    if (!list.isArray()) {
      throw invalid("outcomes must be an array");
    }
    List<OpOutcome> outcomes = new ArrayList<>(list.size());
    for (JsonNode node : list) {
      object(node, "an outcome");
      OpOutcome.Status status = enumField(node, "status", OpOutcome.Status.class);
      String code = node.hasNonNull("code") ? textField(node, "code", 64) : null;
      String message = node.hasNonNull("message") ? textField(node, "message", 2000) : null;
      Long conflict = node.hasNonNull("conflictId") ? longField(node, "conflictId") : null;
      try {
        outcomes.add(new OpOutcome(longField(node, "seq"), status, code, message, conflict));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
    }
    Long position = root.hasNonNull("logPosition") ? longField(root, "logPosition") : null;
    if (position != null && position < 0) {
      throw invalid("logPosition must not be negative");
    }
    return new PushReply(longField(root, "lastSeq"), instantField(root, "hubTime"), outcomes, position);
  }

  // ---------------------------------------------------------------- pull

  public String encode(ChangePage page) {
    return encodePage(page.next(), page.head(), page.entries().stream().map(this::encode).toList());
  }

  /**
   * A change page from entries already encoded ({@link #encode(ChangeEntry)}): a hub answering a
   * thousand docks from the same new entries encodes each once, not once per dock.
   */
  public String encodePage(long next, long head, List<String> encodedEntries) {
    int size = 64;
    for (String e : encodedEntries) {
      size += e.length() + 1;
    }
    StringBuilder b = new StringBuilder(size);
    b.append("{\"v\":").append(VERSION).append(",\"next\":").append(next).append(",\"head\":").append(head)
        .append(",\"entries\":[");
    for (int i = 0; i < encodedEntries.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(encodedEntries.get(i));
    }
    return b.append("]}").toString();
  }

  /** One entry of a change page, as it stands in the page's {@code entries}. */
  public String encode(ChangeEntry e) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("seq", e.seq());
      g.writeStringField("type", e.type());
      g.writeStringField("key", e.key());
      g.writeStringField("at", e.at().toString());
      g.writeStringField("origin", e.origin());
      if (isObject(e.payload())) {
        g.writeFieldName("payload");
        g.writeRawValue(e.payload());
      } else {
        // a stored payload that is not a JSON object (a damaged row) must not break the page for
        // every entry around it: it goes as text, and the dock that cannot read it reports it at
        // its position and carries on (DESIGN invariant 7)
        g.writeStringField("payload", e.payload());
      }
      g.writeEndObject();
    });
  }

  /**
   * A change page. Read in two steps: the whole document is streamed first (a syntax error
   * anywhere is {@code MALFORMED_JSON}, as over a tree), each entry's payload object kept as the
   * text it came as rather than built into a tree and written back; then the same checks as every
   * other message, in the same order. A dock reads every entry of the fleet's scans this way, so
   * the tree and the second writing were most of a busy dock's sync CPU ({@code bench fleet}).
   */
  public ChangePage decodePage(String json) {
    if (json == null || json.isBlank()) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "no content");
    }
    StreamedPage read;
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      if (p.nextToken() == null) {
        throw new CodecException(ErrorCode.MALFORMED_JSON, "no content");
      }
      read = streamPage(p, json);
    } catch (StreamConstraintsException e) {
      throw new CodecException(ErrorCode.TOO_LARGE, "exceeds a size limit: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: reading a string", e);
    }
    JsonNode root = object(read.root(), "a change page");
    version(root);
    if (read.entries() == null) {
      throw new CodecException(ErrorCode.MISSING_FIELD, "missing field: entries");
    }
    if (!(read.entries() instanceof StreamedValue.Array array)) {
      throw invalid("entries must be an array");
    }
    List<StreamedValue> list = array.items();
    List<ChangeEntry> entries = new ArrayList<>(list.size());
    long previous = -1;
    for (StreamedValue item : list) {
      if (!(item instanceof StreamedValue.Entry entry)) {
        throw invalid("an entry must be a JSON object");
      }
      JsonNode node = entry.fields();
      long seq = longField(node, "seq");
      if (seq <= previous) {
        throw invalid("entries must be in ascending seq order: " + seq + " after " + previous);
      }
      previous = seq;
      // an object is a change; text is a payload the hub could not send as one (a damaged row),
      // kept as it came so that reading it fails for this entry alone (see change(ChangeEntry))
      String text = switch (entry.payload()) {
        case null -> throw new CodecException(ErrorCode.MISSING_FIELD, "missing field: payload");
        case StreamedValue.RawObject raw -> raw.text();
        case StreamedValue.Other other when other.node().isNull() ->
            throw new CodecException(ErrorCode.MISSING_FIELD, "missing field: payload");
        case StreamedValue.Other other when other.node().isTextual() -> other.node().asText();
        default -> throw invalid("payload must be a JSON object");
      };
      entries.add(new ChangeEntry(seq, textField(node, "type", 64), textField(node, "key", 200), instantField(node, "at"),
          textField(node, "origin", 200), text));
    }
    return new ChangePage(entries, longField(root, "next"), longField(root, "head"));
  }

  /** A value of a streamed change page, before any check. */
  private sealed interface StreamedValue {
    /** Any value read as a tree (a scalar, or what is not where a page has an object or an array). */
    record Other(JsonNode node) implements StreamedValue {}

    /** The page's {@code entries} array. */
    record Array(List<StreamedValue> items) implements StreamedValue {}

    /** An entry: its fields but the payload, and the payload (null when absent). */
    record Entry(com.fasterxml.jackson.databind.node.ObjectNode fields, StreamedValue payload) implements StreamedValue {}

    /** A payload object, as the text it came as. */
    record RawObject(String text) implements StreamedValue {}
  }

  /** The page's fields but {@code entries}, as a tree (or what the document was if not an object), and its entries. */
  private record StreamedPage(JsonNode root, StreamedValue entries) {}

  private StreamedPage streamPage(JsonParser p, String json) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return new StreamedPage(mapper.readTree(p), null);
    }
    com.fasterxml.jackson.databind.node.ObjectNode root = mapper.createObjectNode();
    StreamedValue entries = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("entries")) {
        entries = p.currentToken() == JsonToken.START_ARRAY ? streamEntries(p, json) : new StreamedValue.Other(mapper.readTree(p));
        if (entries instanceof StreamedValue.Other o && o.node().isNull()) {
          entries = null; // null counts as missing, as for every required field
        }
      } else {
        root.set(name, mapper.readTree(p));
      }
    }
    return new StreamedPage(root, entries);
  }

  private StreamedValue.Array streamEntries(JsonParser p, String json) throws IOException {
    List<StreamedValue> items = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        items.add(new StreamedValue.Other(mapper.readTree(p)));
        continue;
      }
      com.fasterxml.jackson.databind.node.ObjectNode fields = mapper.createObjectNode();
      StreamedValue payload = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (!name.equals("payload")) {
          fields.set(name, value(p));
        } else if (p.currentToken() == JsonToken.START_OBJECT) {
          int from = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          int to = (int) p.currentTokenLocation().getCharOffset() + 1;
          payload = new StreamedValue.RawObject(json.substring(from, to));
        } else {
          payload = new StreamedValue.Other(mapper.readTree(p));
        }
      }
      items.add(new StreamedValue.Entry(fields, payload));
    }
    return new StreamedValue.Array(items);
  }

  /**
   * The value at the parser as {@code readTree} would make it: a string or a whole number built
   * directly (an entry's fields are those, and {@code readTree} costs a deserializer lookup each, a
   * hundred thousand a second on a dock of a busy fleet), anything else read as a tree.
   */
  private JsonNode value(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> com.fasterxml.jackson.databind.node.TextNode.valueOf(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> com.fasterxml.jackson.databind.node.IntNode.valueOf(p.getIntValue());
        case LONG -> com.fasterxml.jackson.databind.node.LongNode.valueOf(p.getLongValue());
        default -> mapper.readTree(p);
      };
      default -> mapper.readTree(p);
    };
  }

  /** Whether {@code json} is one whole JSON object (and nothing after it). */
  private boolean isObject(String json) {
    if (json == null) {
      return false;
    }
    try (com.fasterxml.jackson.core.JsonParser p = mapper.getFactory().createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- changes

  /** The payload JSON of a change: its record's components. */
  public String payload(Change change) {
    try {
      return changes.writeValueAsString(change);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + change.type().wire(), e);
    }
  }

  /**
   * The change an entry carries; empty for a type this node does not know (a newer hub's), which
   * the caller skips.
   *
   * @throws CodecException when a known type's payload does not have its shape
   */
  public Optional<Change> change(ChangeEntry entry) {
    Optional<ChangeType> type = ChangeType.ofWire(entry.type());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(changes.readValue(entry.payload(), type.get().record()));
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw invalid("payload of " + entry.type() + " at " + entry.seq() + " is not valid: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- receipts

  /** Largest receipt body: {@link ReceiptReport#MAX_SCANS} scans of ~150 bytes, with room to spare. */
  public static final int MAX_RECEIPT_BYTES = 256 * 1024;

  public String encode(ReceiptReport r) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("key", r.key());
      g.writeStringField("bill", r.bill());
      g.writeStringField("station", r.station());
      g.writeArrayFieldStart("manifest");
      for (String code : r.manifest()) {
        g.writeString(code);
      }
      g.writeEndArray();
      g.writeStringField("openedBy", r.openedBy());
      g.writeStringField("openedAt", r.openedAt().toString());
      g.writeStringField("closedBy", r.closedBy());
      g.writeStringField("closedAt", r.closedAt().toString());
      g.writeArrayFieldStart("scans");
      for (ReceiptReport.Line line : r.scans()) {
        g.writeStartObject();
        g.writeStringField("code", line.code());
        g.writeStringField("by", line.by());
        g.writeStringField("at", line.at().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * Reads a receipt; one that breaks any rule of {@link ReceiptReport} is refused whole.
   *
   * @throws CodecException with a stable code
   */
  public ReceiptReport decodeReceipt(String json) {
    if (json != null && json.length() > MAX_RECEIPT_BYTES) {
      throw new CodecException(ErrorCode.TOO_LARGE, "a receipt is at most " + MAX_RECEIPT_BYTES + " bytes");
    }
    JsonNode root = object(parse(json), "a receipt");
    version(root);
    List<String> manifest = new ArrayList<>();
    for (JsonNode code : array(root, "manifest", ReceiptReport.MAX_MANIFEST)) {
      if (!code.isTextual()) {
        throw invalid("manifest must list codes as strings");
      }
      manifest.add(code.textValue());
    }
    List<ReceiptReport.Line> scans = new ArrayList<>();
    for (JsonNode line : array(root, "scans", ReceiptReport.MAX_SCANS)) {
      object(line, "a scan");
      scans.add(new ReceiptReport.Line(textField(line, "code", 64), textField(line, "by", 64), instantField(line, "at")));
    }
    try {
      return new ReceiptReport(textField(root, "key", 64), textField(root, "bill", 20), textField(root, "station", 64),
          manifest, textField(root, "openedBy", 64), instantField(root, "openedAt"), textField(root, "closedBy", 64),
          instantField(root, "closedAt"), scans);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static JsonNode array(JsonNode root, String field, int max) {
    JsonNode list = required(root, field);
    if (!list.isArray()) {
      throw invalid(field + " must be an array");
    }
    if (list.size() > max) {
      throw new CodecException(ErrorCode.TOO_LARGE, field + " holds at most " + max + " entries, not " + list.size());
    }
    return list;
  }

  // ---------------------------------------------------------------- snapshot

  /** One snapshot line, without its newline. */
  public String encode(SnapshotLine line) {
    return write(g -> {
      g.writeStartObject();
      switch (line) {
        case SnapshotLine.Begin b -> {
          g.writeStringField("kind", "begin");
          g.writeNumberField("v", VERSION);
          g.writeNumberField("cursor", b.cursor());
          g.writeNumberField("bags", b.bags());
          g.writeNumberField("users", b.users());
          g.writeNumberField("conflicts", b.conflicts());
        }
        case SnapshotLine.BagRow b -> {
          g.writeStringField("kind", "bag");
          g.writeStringField("code", b.code());
          g.writeStringField("role", b.role());
          if (b.expectedCount() == null) {
            g.writeNullField("expectedCount");
          } else {
            g.writeNumberField("expectedCount", b.expectedCount());
          }
          g.writeNumberField("limit", b.limit());
          g.writeNumberField("childCount", b.childCount());
          g.writeStringField("parent", b.parent());
          g.writeBooleanField("finished", b.finished());
          g.writeBooleanField("onFinalizedBill", b.onFinalizedBill());
          if (b.area() != null) {
            g.writeStringField("area", b.area());
          }
        }
        case SnapshotLine.UserRow u -> {
          g.writeStringField("kind", "user");
          g.writeFieldName("user");
          g.writeRawValue(payload(u.user()));
        }
        case SnapshotLine.ConflictRow c -> {
          g.writeStringField("kind", "conflict");
          g.writeStringField("status", c.status());
          g.writeFieldName("conflict");
          g.writeRawValue(payload(c.conflict()));
        }
        case SnapshotLine.End e -> {
          g.writeStringField("kind", "end");
          g.writeNumberField("cursor", e.cursor());
          g.writeNumberField("lines", e.lines());
        }
      }
      g.writeEndObject();
    });
  }

  public SnapshotLine decodeSnapshotLine(String json) {
    JsonNode root = object(parse(json), "a snapshot line");
    String kind = textField(root, "kind", 20);
    try {
      return switch (kind) {
        case "begin" -> {
          version(root);
          yield new SnapshotLine.Begin(longField(root, "cursor"), longField(root, "bags"), longField(root, "users"),
              longField(root, "conflicts"));
        }
        case "bag" -> new SnapshotLine.BagRow(textField(root, "code", 64), textField(root, "role", 6),
            root.hasNonNull("expectedCount") ? intField(root, "expectedCount") : null, intField(root, "limit"),
            intField(root, "childCount"), root.hasNonNull("parent") ? textField(root, "parent", 64) : null,
            boolField(root, "finished"), boolField(root, "onFinalizedBill"),
            root.hasNonNull("area") ? textField(root, "area", 64) : null);
        case "user" -> new SnapshotLine.UserRow(
            changes.treeToValue(object(required(root, "user"), "user"), Change.User.class));
        case "conflict" -> new SnapshotLine.ConflictRow(
            changes.treeToValue(object(required(root, "conflict"), "conflict"), Change.ConflictOpened.class),
            textField(root, "status", 20));
        case "end" -> new SnapshotLine.End(longField(root, "cursor"), longField(root, "lines"));
        default -> throw invalid("unknown snapshot line kind: " + kind);
      };
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw invalid("snapshot line (" + kind + ") is not valid: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  @FunctionalInterface
  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private String write(Writer body) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to a string", e);
    }
    return out.toString();
  }

  private JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "no content");
    }
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new CodecException(ErrorCode.MALFORMED_JSON, "no content");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new CodecException(ErrorCode.TOO_LARGE, "exceeds a size limit: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void version(JsonNode root) {
    int v = intField(root, "v");
    if (v != VERSION) {
      throw new CodecException(ErrorCode.UNSUPPORTED_VERSION,
          "sync message version " + v + " is not supported; this node speaks version " + VERSION);
    }
  }

  private static JsonNode object(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw invalid(what + " must be a JSON object");
    }
    return node;
  }
}
