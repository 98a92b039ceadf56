package io.tracetrack.sim;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.bag.BagService;
import io.tracetrack.hub.bill.BillService;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.sync.ChangeFeed;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.sync.Conflicts;
import io.tracetrack.hub.sync.Docks;
import io.tracetrack.hub.sync.Ingest;
import io.tracetrack.hub.sync.Snapshots;
import io.tracetrack.hub.users.Outcome;
import io.tracetrack.hub.users.UserAdmin;
import io.tracetrack.hub.users.Users;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The hub as the simulation runs it: the product's own objects ({@link Ingest}, {@link ChangeFeed}
 * over {@link ChangeLog}, {@link Snapshots}, {@link Conflicts} with {@link BagService#move},
 * {@link Docks}, {@link UserAdmin}) wired as {@code Main} wires them, on one database.
 *
 * <p>One database serves many seeds: it is migrated and given its baseline (two areas, an admin and
 * dispatchers, whose Argon2 hashing is the slow part) once, and every seed starts from that
 * baseline again: every table emptied and refilled with the baseline rows, identities restarted,
 * so conflict ids and log positions are the same in every replay. A hub restart is new objects on
 * the same database ({@link #restart}).
 */
final class SimHub implements AutoCloseable {

  static final String PASSWORD = "Long-enough-Passw0rd!";
  static final String ADMIN = "admin";
  /** A user name at its maximum length (64), for the {@code maxNames} fault. */
  static final String LONG_USER = ("n" + "x".repeat(63)).toLowerCase(Locale.ROOT);
  static final List<String> AREAS = List.of("NORTH", "SOUTH");
  /** Dispatchers in the baseline, with their area. */
  static final Map<String, String> DISPATCHERS = new LinkedHashMap<>();

  static {
    DISPATCHERS.put("nina", "NORTH");
    DISPATCHERS.put("nils", "NORTH");
    DISPATCHERS.put("sara", "SOUTH");
    DISPATCHERS.put("sam", "SOUTH");
    DISPATCHERS.put(LONG_USER, "NORTH");
  }

  final HubDatabase db;
  /** The simulated time: one per hub database, set back to the start for every seed. */
  final SimClock.Time time;
  private final Clock clock;
  private final List<String> tables = new ArrayList<>();
  private final Map<String, Result<Record>> baseline = new LinkedHashMap<>();
  private final Map<String, List<String>> identities = new LinkedHashMap<>();

  AuditLog audit;
  Docks docks;
  Ingest ingest;
  ChangeLog log;
  ChangeFeed feed;
  Snapshots snapshots;
  Conflicts conflicts;
  UserAdmin users;
  BillService bills;
  int restarts;

  private SimHub(HubDatabase db, SimClock.Time time) {
    this.db = db;
    this.time = time;
    this.clock = SimClock.of(time);
  }

  /** An H2 hub database (in this process's memory; {@code dir} is not used), migrated, with its baseline. */
  static SimHub h2(Path dir) {
    // in this process's memory: nothing of the hub outlives the run, and a commit need not write
    // a file (H2's chunk writes and statement parsing were a tenth of a seed's time on file)
    return prepared(HubDatabase.h2InMemory("sim-" + java.util.UUID.randomUUID(), 3));
  }

  /** A hub database on the hub's embedded PostgreSQL in {@code dir}, migrated, with its baseline. */
  static SimHub postgres(Path dir) {
    return prepared(HubDatabase.embeddedPostgres(dir, 3));
  }

  private static SimHub prepared(HubDatabase db) {
    SimHub hub = new SimHub(db, new SimClock.Time());
    hub.restart();
    hub.makeBaseline();
    if (db.dialect() == SQLDialect.H2) {
      PruneTrigger.install(db);
    }
    return hub;
  }

  static Caller admin() {
    return Caller.of(new Principal(ADMIN, Role.ADMIN, null));
  }

  /** New hub objects on the same database: what an instance restart leaves (the database is all that stays). */
  void restart() {
    audit = new AuditLog(db, clock);
    BagService bags = new BagService(db, CodeGrammar.defaults(), audit, clock);
    users = new UserAdmin(db, audit, username -> 0, clock);
    docks = new Docks(db, audit, clock, Docks.DEFAULT_CODE_LIFETIME);
    log = new ChangeLog(db);
    feed = new ChangeFeed(log);
    snapshots = new Snapshots(db);
    conflicts = new Conflicts(db, audit, bags::move, clock);
    bills = new BillService(db, CodeGrammar.defaults(), bags, io.tracetrack.model.WeightPolicy.defaults(), audit, clock);
    ingest = new Ingest(db, CodeGrammar.defaults(), clock, new SimpleMeterRegistry());
    restarts++;
  }

  private void makeBaseline() {
    new Users(db, clock).ensureFirstAdmin(PASSWORD);
    for (String area : AREAS) {
      check(users.createArea(area, area.charAt(0) + area.substring(1).toLowerCase(Locale.ROOT), 10, admin()));
    }
    DISPATCHERS.forEach((name, area) -> check(users.create(new UserAdmin.NewUser(name, Role.DISPATCHER, area, PASSWORD), admin())));
    DSLContext dsl = db.dsl();
    boolean pg = db.dialect() == SQLDialect.POSTGRES;
    for (Record r : dsl.fetch("select table_name from information_schema.tables where lower(table_schema) = 'public'"
        + " and table_type = 'BASE TABLE' order by table_name")) {
      String t = r.get(0, String.class).toLowerCase(Locale.ROOT);
      if (t.startsWith("flyway")) {
        continue;
      }
      tables.add(t);
      baseline.put(t, dsl.fetch("select * from " + t));
    }
    for (Record r : dsl.fetch("select table_name, column_name from information_schema.columns where lower(table_schema) = 'public'"
        + " and is_identity = 'YES'")) {
      String t = r.get(0, String.class).toLowerCase(Locale.ROOT);
      if (tables.contains(t)) {
        identities.computeIfAbsent(t, x -> new ArrayList<>()).add(r.get(1, String.class).toLowerCase(Locale.ROOT));
      }
    }
    if (pg) {
      dsl.execute("alter database tracetrack set synchronous_commit = off");
    }
  }

  private static void check(Outcome<?> outcome) {
    if (outcome instanceof Outcome.Refused<?> r) {
      throw new IllegalStateException("baseline refused: " + r.code() + " " + r.message());
    }
  }

  /** Every table back to the baseline, identities restarted: the next seed starts where every seed starts. */
  void reset() {
    db.dsl().connection(c -> reset(c));
    time.reset();
    restart();
    restarts = 0;
  }

  private void reset(Connection c) throws java.sql.SQLException {
    boolean pg = db.dialect() == SQLDialect.POSTGRES;
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      if (pg) {
        s.execute("set session_replication_role = replica");
        s.execute("truncate " + String.join(", ", tables) + " restart identity");
      } else {
        s.execute("set referential_integrity false");
        for (String t : tables) {
          s.execute("truncate table " + t + " restart identity");
        }
      }
      DSLContext tx = DSL.using(c, db.dialect());
      for (Map.Entry<String, Result<Record>> e : baseline.entrySet()) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        org.jooq.Field<?>[] fields = java.util.Arrays.stream(e.getValue().fields())
            .map(f -> DSL.field(DSL.name(f.getName().toLowerCase(Locale.ROOT)), f.getDataType())).toArray(org.jooq.Field[]::new);
        var insert = tx.insertInto(DSL.table(DSL.name(e.getKey())), fields);
        for (Record r : e.getValue()) {
          insert = insert.values(r.intoArray());
        }
        insert.execute();
      }
      for (Map.Entry<String, List<String>> e : identities.entrySet()) {
        for (String col : e.getValue()) {
          long max = tx.fetchSingle("select coalesce(max(" + col + "), 0) from " + e.getKey()).get(0, Long.class);
          s.execute("alter table " + e.getKey() + " alter column " + col + " restart with " + (max + 1));
        }
      }
      if (pg) {
        s.execute("set session_replication_role = origin");
      } else {
        s.execute("set referential_integrity true");
      }
      c.commit();
    } catch (RuntimeException | java.sql.SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  @Override
  public void close() {
    try (Connection c = db.pool().getConnection(); Statement s = c.createStatement()) {
      if (db.dialect() == SQLDialect.H2) {
        s.execute("shutdown"); // an in-memory H2 lives until shut down
      }
    } catch (java.sql.SQLException e) {
      // SHUTDOWN closes the connection it ran on; nothing else to do
    } finally {
      db.close();
    }
  }
}
