package io.tracetrack.hub.sync;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.ApiProblem;
import java.util.Map;

/**
 * The device-credential check every sync route declares with itself ({@code rules.get("/hello",
 * auth.device(this::hello))}). The edge sends {@code Authorization: Bearer <credential>}: the
 * standard scheme, so proxies and HTTP clients treat it as a secret; a credential is told apart
 * from a user's token because it resolves only against the {@code dock} table. Every request reads
 * the database ({@link Docks#device}), like {@code AccountCheck} does for users, so a revocation
 * counts from the next request on every hub instance.
 *
 * <p>An edge may say which edge it is ({@code X-Edge-Id}); a credential presented by another edge
 * than the one it was issued to is refused: a copied data folder must not pass as the dock.
 */
public final class DockAuth {

  static final String EDGE_ID_HEADER = "X-Edge-Id";

  private final Docks docks;

  public DockAuth(Docks docks) {
    this.docks = docks;
  }

  /** A handler that runs for an enrolled, unrevoked dock. */
  @FunctionalInterface
  public interface DeviceHandler {
    void handle(ServerRequest req, ServerResponse res, Docks.Device.Known device) throws Exception;
  }

  public Handler device(DeviceHandler handler) {
    return (req, res) -> handler.handle(req, res, device(req));
  }

  /**
   * The dock and edge the request's credential speaks for.
   *
   * @throws ApiProblem 401 {@code UNAUTHENTICATED} (none or unknown), 401 {@code DOCK_REVOKED}, 403 {@code FORBIDDEN} (another edge)
   */
  public Docks.Device.Known device(ServerRequest req) {
    String credential = req.headers().value(HeaderNames.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        // a credential is 43 base64url characters; anything far off is not worth a lookup
        .filter(c -> c.length() <= 128 && !c.isEmpty())
        .orElseThrow(DockAuth::unauthenticated);
    Docks.Device.Known known = switch (docks.device(credential)) {
      case Docks.Device.Known k -> k;
      case Docks.Device.Revoked r -> throw new ApiProblem(401, ErrorCode.DOCK_REVOKED,
          "dock " + r.dock() + " was revoked; an admin issues a new enrolment code to enrol it again");
      case Docks.Device.Unknown u -> throw unauthenticated();
    };
    req.headers().value(HeaderNames.create(EDGE_ID_HEADER)).ifPresent(claimed -> {
      if (!claimed.equals(known.edgeId())) {
        throw new ApiProblem(403, ErrorCode.FORBIDDEN, "this credential was issued to another edge node of dock "
            + known.dock() + "; enrol this one with a new code");
      }
    });
    return known;
  }

  private static ApiProblem unauthenticated() {
    return new ApiProblem(401, ErrorCode.UNAUTHENTICATED, "a valid dock credential is required (Authorization: Bearer)",
        Map.of(), Map.of(HeaderNames.WWW_AUTHENTICATE.defaultCase(), "Bearer realm=\"tracetrack-sync\""));
  }
}
