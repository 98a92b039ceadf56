package io.tracetrack.hub.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.sync.ChangeFeed;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/events?after=POS&limit=N&wait=S}: the events feed for integrators without
 * Kafka, the same CloudEvents envelopes the relay publishes, read from the change log after a
 * position and long-polled: with nothing new the hub waits up to {@code wait} seconds for a commit.
 * Admins read every event; billers and area-bound callers the part {@link EventScope} gives them,
 * and their {@code next} steps over the rest.
 */
public final class EventRoutes implements HttpService {

  /** Most events one answer carries. */
  static final int MAX_LIMIT = 1000;
  private static final int DEFAULT_LIMIT = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChangeFeed feed;
  private final Access access;

  public EventRoutes(ChangeFeed feed, Access access) {
    this.feed = feed;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/events", access.allow(Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER), this::events));
  }

  private void events(ServerRequest req, ServerResponse res, Caller caller) throws InterruptedException, IOException {
    var q = req.query();
    long after = cursor(q.first("after").asOptional());
    int limit = (int) number(q.first("limit").asOptional(), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    int waitS = (int) number(q.first("wait").asOptional(), "wait", 0, 0, ChangeFeed.MAX_WAIT_MS / 1000);
    switch (feed.all(after, limit, waitS * 1000, EventScope.of(caller.principal()))) {
      case ChangeFeed.Whole.Page page -> {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        for (ChangeLog.Stored entry : page.entries()) {
          events.add(JSON.readTree(EventEnvelope.json(entry, EventRelay.SOURCE)));
        }
        out.put("next", page.next());
        out.put("head", page.head());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(200).send(JSON.writeValueAsString(out).getBytes(StandardCharsets.UTF_8));
      }
      case ChangeFeed.Whole.Gone gone -> throw new ApiProblem(410, ErrorCode.EVENTS_EXPIRED,
          "the events after " + after + " are no longer held (the change log keeps " + gone.oldest() + ".."
              + gone.head() + "); read from after=" + (gone.oldest() - 1) + ", or from Kafka",
          Map.of("oldest", gone.oldest(), "head", gone.head()), Map.of());
      case ChangeFeed.Whole.Ahead ahead -> throw ApiProblem.badRequest(ErrorCode.INVALID_CURSOR,
          "after=" + after + " is past this hub's newest event (" + ahead.head() + "): a cursor from another hub?");
    }
  }

  private static long cursor(Optional<String> text) {
    if (text.isEmpty()) {
      return 0;
    }
    String t = text.get().strip();
    if (!t.matches("[0-9]{1,18}")) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_CURSOR, "after must be an event's id (a whole number) or 0");
    }
    return Long.parseLong(t);
  }

  /**
   * A whole-number query parameter in {@code min..max}, {@code fallback} when absent; anything
   * else is 400 {@code INVALID_QUERY} naming the parameter. The webhook routes read theirs so too.
   */
  public static long number(Optional<String> text, String name, long fallback, long min, long max) {
    if (text.isEmpty()) {
      return fallback;
    }
    String t = text.get().strip();
    if (!t.matches("[0-9]{1,9}") || Long.parseLong(t) < min || Long.parseLong(t) > max) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_QUERY, name + " must be a whole number " + min + ".." + max);
    }
    return Long.parseLong(t);
  }
}
