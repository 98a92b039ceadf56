package io.tracetrack.hub.archfixture.bad;

import io.helidon.webserver.http.ServerRequest;

/** A class that takes the connection's peer for the client, past the trusted-proxy logic. */
public final class PeerReader {
  String client(ServerRequest req) {
    return req.remotePeer().host();
  }
}
