package io.tracetrack.hub.archfixture.bad;

import static io.tracetrack.hub.db.jooq.Tables.BAG;

import java.sql.SQLException;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/** A routes class that builds its own SQL and speaks JDBC. */
public final class BadRoutes {
  Condition scope(String area) {
    return area == null ? DSL.noCondition() : BAG.AREA_ID.eq(area);
  }

  boolean failed(Exception e) {
    return e instanceof SQLException;
  }
}
