package io.tracetrack.edge.archfixture;

import org.jooq.DSLContext;
import org.jooq.Table;

/** A service that runs a query of its own on the handle it was given. */
public final class BadService {
  int count(DSLContext dsl, Table<?> table) {
    return dsl.fetchCount(table);
  }
}
