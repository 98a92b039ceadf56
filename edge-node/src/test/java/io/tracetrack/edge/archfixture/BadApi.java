package io.tracetrack.edge.archfixture;

import static io.tracetrack.edge.db.jooq.Tables.BAG;

import java.sql.SQLException;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/** An API class that builds its own SQL and speaks JDBC. */
public final class BadApi {
  Condition parent(String code) {
    return code == null ? DSL.noCondition() : BAG.PARENT_CODE.eq(code);
  }

  boolean failed(Exception e) {
    return e instanceof SQLException;
  }
}
