package io.tracetrack.edge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The dock's calls to the hub's sync API ({@code /api/v1/sync/...}), as the device enrolled: the
 * credential as a bearer token and the edge id beside it. Every call answers a {@link Result}:
 * the hub's answer, a refusal worth no retry as is ({@link Result.Refused}, a 4xx with the hub's
 * code), or no usable answer at all ({@link Result.Unreachable}: network, timeout, a 5xx or 429,
 * bytes that are not the hub's JSON), which is worth retrying later. Nothing here throws for the
 * network; the worker decides about retries.
 */
public final class HubClient implements HubApi {

  /** Longest problem or reply body read into memory; a sync reply of 1,000 outcomes is far below. */
  private static final int MAX_BODY_CHARS = 8 * 1024 * 1024;
  /** Longest snapshot line: one bag, user or conflict row is a few hundred bytes. */
  private static final int MAX_LINE_CHARS = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param connect establishing the connection
   * @param push a whole push round trip (the hub applies up to a full batch in it)
   * @param pollMargin added to a long poll's wait: the hub answers after the wait, plus the network
   * @param snapshotIdle a snapshot stream that sends nothing this long is given up (a stalled
   *     stream would otherwise hold the pull loop forever)
   */
  public record Timeouts(Duration connect, Duration push, Duration pollMargin, Duration snapshotIdle) {
    public static final Timeouts DEFAULTS =
        new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(60));

    public Timeouts {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(push, "push");
      Objects.requireNonNull(pollMargin, "pollMargin");
      Objects.requireNonNull(snapshotIdle, "snapshotIdle");
    }
  }

  private final URI hub;
  private final String edgeId;
  private final String credential;
  private final HttpClient http;
  private final Timeouts timeouts;
  private final WireCodec codec = new WireCodec();

  public HubClient(URI hub, String edgeId, String credential, HttpClient http, Timeouts timeouts) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
    this.credential = Objects.requireNonNull(credential, "credential");
    this.http = Objects.requireNonNull(http, "http");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  /** A client for the stored enrolment, with its own JDK HTTP client. */
  public static HubClient of(DeviceCredential.Stored stored, Timeouts timeouts) {
    // no redirects: the credential must not follow a redirect to wherever it points
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeouts.connect())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    return new HubClient(URI.create(stored.hub()), stored.edgeId(), stored.credential(), http, timeouts);
  }

  @Override
  public URI hub() {
    return hub;
  }

  /** {@code POST /api/v1/sync/push}. */
  @Override
  public Result<PushReply> push(PushBatch batch) {
    HttpRequest req = request("/api/v1/sync/push", timeouts.push())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(codec.encode(batch), StandardCharsets.UTF_8)).build();
    return call(req, 200, codec::decodeReply);
  }

  /**
   * {@code GET /api/v1/sync/changes}: entries after {@code after}; with {@code waitMs > 0} the hub
   * holds the call until something new commits or the wait ends.
   */
  @Override
  public Result<Pulled> changes(long after, int limit, int waitMs) {
    HttpRequest req = request(String.format(Locale.ROOT, "/api/v1/sync/changes?after=%d&limit=%d&waitMs=%d", after, limit,
        waitMs), Duration.ofMillis(waitMs).plus(timeouts.pollMargin())).GET().build();
    Result<Pulled> result = call(req, 200, body -> {
      try {
        return new Pulled.Page(codec.decodePage(body));
      } catch (CodecException e) {
        // the hub answered 200 with bytes that are not a page: one unreadable entry broke its JSON
        // (the hub's fault); the network is fine, so this is no "unreachable"
        return new Pulled.Unreadable("the hub's change page after " + after + " cannot be read (" + e.code() + ": "
            + e.getMessage() + ")");
      }
    });
    if (result instanceof Result.Refused<Pulled>(int status, String code, String detail)
        && ErrorCode.SNAPSHOT_REQUIRED.name().equals(code)) {
      return new Result.Ok<>(new Pulled.SnapshotRequired(detail));
    }
    return result;
  }

  /**
   * {@code GET /api/v1/sync/snapshot}, streamed: each line goes to {@code lines} as it arrives, so
   * a snapshot of millions of bags never sits in memory. A stream that ends without its End line
   * (the hub or the network broke off) is {@link Result.Unreachable}; what {@code lines} did with
   * the lines before is for it to undo. Exceptions of {@code lines} pass through.
   *
   * @return the number of lines taken
   */
  @Override
  public Result<Long> snapshot(Consumer<SnapshotLine> lines) {
    HttpRequest req = request("/api/v1/sync/snapshot", timeouts.push()).header("Accept-Encoding", "gzip").GET().build();
    HttpResponse<InputStream> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Unreachable<>("interrupted");
    }
    try (InputStream raw = res.body()) {
      if (res.statusCode() != 200) {
        return failure(res.statusCode(), readCapped(raw));
      }
      boolean gzip = res.headers().firstValue("Content-Encoding").map(v -> v.strip().equalsIgnoreCase("gzip")).orElse(false);
      return readLines(gzip ? new GZIPInputStream(raw) : raw, raw, lines);
    } catch (IOException e) {
      return unreachable(e);
    }
  }

  private Result<Long> readLines(InputStream in, InputStream raw, Consumer<SnapshotLine> lines) throws IOException {
    IdleWatch watch = new IdleWatch(raw, timeouts.snapshotIdle());
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      long taken = 0;
      boolean ended = false;
      String text;
      while ((text = reader.readLine()) != null) {
        watch.alive();
        if (text.isBlank()) {
          continue;
        }
        if (ended) {
          return new Result.Unreachable<>("the snapshot went on after its End line");
        }
        if (text.length() > MAX_LINE_CHARS) {
          return new Result.Unreachable<>("a snapshot line longer than " + MAX_LINE_CHARS + " characters");
        }
        SnapshotLine line;
        try {
          line = codec.decodeSnapshotLine(text);
        } catch (CodecException e) {
          return new Result.Unreachable<>("snapshot line " + (taken + 1) + " is not the hub's: " + e.getMessage());
        }
        lines.accept(line);
        taken++;
        ended = line instanceof SnapshotLine.End;
      }
      if (!ended) {
        return new Result.Unreachable<>("the snapshot stopped short after " + taken + " lines"
            + (watch.fired() ? " (nothing came for " + timeouts.snapshotIdle().toSeconds() + " s)" : ""));
      }
      return new Result.Ok<>(taken);
    } catch (IOException | UncheckedIOException e) {
      return new Result.Unreachable<>("the snapshot stream broke off" + (watch.fired() ? " (nothing came for "
          + timeouts.snapshotIdle().toSeconds() + " s)" : "") + ": " + e.getMessage());
    } finally {
      watch.stop();
    }
  }

  /** {@code GET /api/v1/sync/hello}: the dock, its area and the last seq the hub holds from this edge. */
  @Override
  public Result<Hello> hello() {
    HttpRequest req = request("/api/v1/sync/hello", timeouts.push()).GET().build();
    return call(req, 200, HubClient::readHello);
  }

  /**
   * Reads a hello answer; a field it cannot use is left null rather than failing the answer.
   *
   * @throws CodecException when the answer is not a JSON object at all
   */
  public static Hello readHello(String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "hello is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new CodecException(ErrorCode.MALFORMED_JSON, "hello is not a JSON object");
    }
    Long lastSeq = json.path("lastSeq").canConvertToLong() && json.path("lastSeq").isIntegralNumber()
        ? json.get("lastSeq").asLong() : null;
    java.time.Instant hubTime = null;
    if (json.path("hubTime").isTextual()) {
      try {
        hubTime = java.time.Instant.parse(json.get("hubTime").asText());
      } catch (java.time.format.DateTimeParseException e) {
        hubTime = null; // a courtesy field: not worth refusing the answer for
      }
    }
    return new Hello(text(json, "dock"), text(json, "area"), text(json, "edgeId"), hubTime, lastSeq);
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    return n != null && n.isTextual() && !n.asText().isBlank() && n.asText().length() <= 64 ? n.asText() : null;
  }

  /** {@code POST /api/v1/sync/conflicts/{id}/ack}: someone at this dock saw the conflict. */
  @Override
  public Result<Long> ack(long conflictId) {
    HttpRequest req = request("/api/v1/sync/conflicts/" + conflictId + "/ack", timeouts.push())
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return call(req, 204, body -> conflictId);
  }

  /** {@code POST /api/v1/sync/receipts}: a receipt this dock closed; the hub's number for it. */
  @Override
  public Result<Long> receipt(io.tracetrack.sync.ReceiptReport receipt) {
    HttpRequest req = request("/api/v1/sync/receipts", timeouts.push())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(codec.encode(receipt))).build();
    return call(req, 200, body -> {
      try {
        return JSON.readTree(body).path("receipt").path("id").asLong();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(hub + path)).timeout(timeout)
        .header("Authorization", "Bearer " + credential)
        .header("X-Edge-Id", edgeId)
        .header("Accept", "application/json");
  }

  private <T> Result<T> call(HttpRequest req, int expected, Function<String, T> decode) {
    HttpResponse<InputStream> res;
    String body;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        body = readCapped(in);
      }
    } catch (IOException e) {
      return unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Unreachable<>("interrupted");
    }
    if (res.statusCode() != expected) {
      Result<T> failed = failure(res.statusCode(), body);
      if (failed instanceof Result.Unreachable<T>(String why, Duration none) && (res.statusCode() == 429
          || res.statusCode() == 503)) {
        return new Result.Unreachable<>(why, retryAfter(res.headers().firstValue("Retry-After").orElse(null)));
      }
      return failed;
    }
    try {
      return new Result.Ok<>(decode.apply(body));
    } catch (CodecException e) {
      return new Result.Unreachable<>("the hub's answer is not the sync protocol this dock speaks (" + e.code() + ": "
          + e.getMessage() + "); is " + hub + " a TraceTrack hub?");
    }
  }

  /** Retry-After in seconds (the HTTP-date form is not used by the hub), or null. */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A 4xx with the hub's problem code is a refusal; anything else is no usable answer. A 413 is
   * always a refusal (of that body, not of the dock): sending the same again would only be refused
   * again, so the caller must send less.
   */
  private <T> Result<T> failure(int status, String body) {
    JsonNode json;
    try {
      json = body == null || body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (status >= 400 && status < 500 && status != 429 && json != null && json.path("code").isTextual()) {
      return new Result.Refused<>(status, json.get("code").asText(), json.path("detail").asText(""));
    }
    if (status == 413) {
      return new Result.Refused<>(status, ErrorCode.BODY_TOO_LARGE.name(), "the hub refused the request as too large");
    }
    return new Result.Unreachable<>("the hub answered HTTP " + status + (json == null ? ", not JSON" : "")
        + (status >= 500 || status == 429 ? "" : "; is " + hub + " a TraceTrack hub?"));
  }

  /** A body read up to {@link #MAX_BODY_CHARS}; a longer one is no answer of the hub's. */
  private static String readCapped(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_CHARS + 1);
    if (bytes.length > MAX_BODY_CHARS) {
      throw new IOException("the answer is longer than " + MAX_BODY_CHARS + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static <T> Result<T> unreachable(IOException e) {
    return new Result.Unreachable<>(plainly(e));
  }

  /**
   * Why the hub could not be reached, in the words the station's sync strip and {@code status}
   * show a dispatcher: what happened on the line, never a Java class name ({@code ConnectException}
   * told nobody on a dock floor anything).
   */
  static String plainly(IOException e) {
    String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage().strip() + ")";
    return switch (e) {
      case java.net.http.HttpConnectTimeoutException t -> "the hub did not take the connection in time: timed out";
      case java.net.http.HttpTimeoutException t -> "the hub did not answer in time: timed out";
      // the JDK client reports a name it cannot resolve as a ConnectException around the real cause
      case java.net.ConnectException c when unresolved(c) -> "the hub's host name is not known here (DNS)";
      case java.net.ConnectException c -> "nothing answers at the hub's address (connection refused or no network)";
      case java.net.UnknownHostException u -> "the hub's host name is not known here (DNS)" + detail;
      case java.net.NoRouteToHostException n -> "no route to the hub's network";
      case javax.net.ssl.SSLException ssl -> "the secure connection to the hub failed" + detail;
      case java.io.EOFException eof -> "the connection to the hub was cut mid-answer";
      default -> "the connection to the hub failed" + detail;
    };
  }

  private static boolean unresolved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Closes a stream that sent nothing for {@code idle}: the JDK client has no read timeout for a
   * body it streams, and a half-open connection would otherwise block the reading thread forever.
   */
  private static final class IdleWatch {
    private final Thread thread;
    private volatile long lastNanos = System.nanoTime();
    private volatile boolean fired;
    private volatile boolean stopped;

    IdleWatch(InputStream stream, Duration idle) {
      long idleNanos = idle.toNanos();
      thread = Thread.ofVirtual().name("snapshot-idle-watch").start(() -> {
        while (!stopped) {
          long quiet = System.nanoTime() - lastNanos;
          if (quiet >= idleNanos) {
            fired = true;
            try {
              stream.close();
            } catch (IOException ignored) {
              // the reader sees the stream end either way
            }
            return;
          }
          try {
            Thread.sleep(Duration.ofNanos(Math.max(idleNanos - quiet, 1_000_000)));
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    void alive() {
      lastNanos = System.nanoTime();
    }

    boolean fired() {
      return fired;
    }

    void stop() {
      stopped = true;
      thread.interrupt();
    }
  }
}
