package io.tracetrack.sync;

import java.util.Optional;

/**
 * The state an op is decided against. The edge implements it over its SQLite replica, the hub
 * over PostgreSQL with the rows locked; both must answer from inside the transaction that will
 * apply the decision, so nothing changes between deciding and writing.
 */
public interface StateView {

  Optional<BagFacts> bag(String code);
}
