package io.tracetrack.sim;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.edge.sync.SyncStore;
import io.tracetrack.edge.sync.SyncStores;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * One dock as the simulation runs it: the product's own {@link EdgeDatabase} (a SQLite file in its
 * own folder), {@link ScanService} and {@link SyncStore} on it, with its own skewable clock. A crash
 * closes the database and drops every object in memory; the restart opens the same file again, as
 * a new process would. The credential lives with the simulation (the device's credential file is
 * not part of what is simulated).
 */
final class SimDock {

  static final String DB_FILE = "edge.db";

  final String name;
  final String area;
  final Path dir;
  final String station;
  final String actor;
  final SimClock clock;
  String edgeId;
  String credential;
  Duration offset = Duration.ZERO;
  boolean revoked;
  /** Until which step the dock is cut off from the hub (exclusive); 0 when it is not. */
  int partitionedUntil;
  /** Scans this dock's station takes next, before any random one (bags that passed another dock). */
  final java.util.ArrayDeque<String> planned = new java.util.ArrayDeque<>();
  /** The station's mode after its last scan (a parent open: children next). */
  boolean childMode;
  /** The backup an operator took (a copy of the database file), or null. */
  Path backup;

  /**
   * Change entries per pull transaction: fixed by the seed, not by the machine's speed (the real
   * dock's time budget made seed 1453 fail on one run and pass on the next).
   */
  final int stepEntries;

  EdgeDatabase db;
  SyncStore store;
  ScanService scans;

  SimDock(String name, String area, Path dir, String station, String actor, SimClock.Time time, int stepEntries) {
    this.name = name;
    this.stepEntries = stepEntries;
    this.area = area;
    this.dir = dir;
    this.station = station;
    this.actor = actor;
    this.clock = SimClock.skewed(time, () -> offset);
  }

  Path file() {
    return dir.resolve(DB_FILE);
  }

  /** A fresh dock on {@code fresh} (a database as a fresh migration leaves it), with a deterministic edge id. */
  void create(EdgeDatabase fresh, String edgeId) {
    this.edgeId = edgeId;
    db = fresh;
    // what EdgeIdentity.ensure writes, with an id from the seed instead of SecureRandom
    db.write(dsl -> dsl.execute("insert into edge_meta (id, edge_id, dock, created_at, seq_floor, hlc_floor_wall,"
        + " hlc_floor_logical) values (1, ?, ?, ?, 0, 0, 0)", edgeId, name, clock.millis()));
    EdgeIdentity.ensure(db, name, clock);
    openObjects();
  }

  /** Opens the folder as a starting dock process does. */
  void open() {
    db = EdgeDatabase.open(file(), Duration.ofSeconds(5));
    edgeId = EdgeIdentity.ensure(db, null, clock).edgeId();
    openObjects();
  }

  private void openObjects() {
    store = SyncStores.openInFixedSteps(db, CodeGrammar.defaults(), clock, stepEntries);
    scans = new ScanService(db, CodeGrammar.defaults(), clock, BounceFilter.DEFAULT_WINDOW, Duration.ofMinutes(10));
  }

  boolean up() {
    return db != null;
  }

  /** The process dies: nothing in memory survives; SQLite keeps what was committed. */
  void crash() {
    if (db != null) {
      db.close();
    }
    db = null;
    store = null;
    scans = null;
    childMode = false;
    planned.clear();
  }

  /** Copies the closed database file to {@code to} (the dock is stopped for it and started again). */
  void copyFileTo(Path to) {
    crash();
    try {
      Files.createDirectories(to.getParent());
      Files.copy(file(), to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    open();
  }

  /** Puts {@code from} back as the database, as an operator restoring a backup does, and starts again. */
  void restoreFrom(Path from) {
    crash();
    try {
      for (String suffix : List.of("-wal", "-shm")) {
        Files.deleteIfExists(dir.resolve(DB_FILE + suffix));
      }
      Files.copy(from, file(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    open();
  }

  @Override
  public String toString() {
    return name;
  }
}
