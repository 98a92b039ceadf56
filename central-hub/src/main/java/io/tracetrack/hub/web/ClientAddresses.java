package io.tracetrack.hub.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.tracetrack.web.ClientAddress;
import io.tracetrack.web.TrustedProxies;
import java.util.List;
import java.util.Objects;

/**
 * Where a request came from, for sign-in locks, rate limits and the audit trail: the one place in
 * the hub that reads the connection's peer, so a route cannot take the proxy's address for the
 * client's by accident. {@code X-Forwarded-For} counts only when the peer is one of the configured
 * {@code --trusted-proxies} (see {@link ClientAddress}).
 */
public final class ClientAddresses {

  private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

  private final TrustedProxies trusted;

  public ClientAddresses(TrustedProxies trusted) {
    this.trusted = Objects.requireNonNull(trusted, "trusted");
  }

  /** The peer is the client; {@code X-Forwarded-For} is ignored. */
  public static ClientAddresses direct() {
    return new ClientAddresses(TrustedProxies.none());
  }

  /** The client address of {@code req}. */
  public String of(ServerRequest req) {
    String peer = req.remotePeer().host();
    if (trusted.isEmpty()) {
      return ClientAddress.resolve(peer, List.of(), trusted);
    }
    return ClientAddress.resolve(peer, req.headers().all(X_FORWARDED_FOR, List::of), trusted);
  }

  private static final HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");

  /**
   * Whether the client reached us over TLS: directly, or through a trusted proxy that says so in
   * {@code X-Forwarded-Proto} (a header anyone else sends is ignored). Session cookies are marked
   * {@code Secure} then, so the browser never sends them over plain HTTP.
   */
  public boolean secure(ServerRequest req) {
    if (req.isSecure()) {
      return true;
    }
    if (trusted.isEmpty() || !(req.remotePeer().address() instanceof java.net.InetSocketAddress peer)
        || peer.getAddress() == null || !trusted.trusts(peer.getAddress())) {
      return false;
    }
    return req.headers().value(X_FORWARDED_PROTO).map(v -> v.strip().equalsIgnoreCase("https")).orElse(false);
  }
}
