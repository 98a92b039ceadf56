package io.tracetrack.sim;

import io.tracetrack.edge.db.EdgeDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first docks' databases of one simulation thread, kept open from seed to seed: opening an
 * edge database runs its migrations (Flyway scans the classpath), which cost more than a whole
 * seed's scans. A seed takes a slot's database emptied to what a fresh migration leaves (every
 * table empty but the one {@code sync_state} row), exactly the state {@code EdgeDatabase.open}
 * gives a new file; a dock that crashes during the seed opens its file again the real way.
 */
final class DockSlots implements AutoCloseable {

  private final Path dir;
  private final Path template;
  private final Map<Integer, EdgeDatabase> open = new HashMap<>();

  DockSlots(Path dir, Path template) {
    this.dir = dir;
    this.template = template;
  }

  Path folder(int slot) {
    return dir.resolve("dock" + slot);
  }

  /** The slot's database, empty as a fresh migration leaves it. */
  EdgeDatabase take(int slot) {
    EdgeDatabase db = open.remove(slot);
    if (db == null) {
      Path folder = folder(slot);
      try {
        Files.createDirectories(folder);
        for (String suffix : List.of("-wal", "-shm")) {
          Files.deleteIfExists(folder.resolve(SimDock.DB_FILE + suffix));
        }
        Files.copy(template, folder.resolve(SimDock.DB_FILE), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return EdgeDatabase.open(folder.resolve(SimDock.DB_FILE), Duration.ofSeconds(5));
    }
    db.write(dsl -> {
      for (String table : dsl.fetch("select name from sqlite_master where type = 'table' and name not like 'sqlite%'"
          + " and name not like 'flyway%'").getValues(0, String.class)) {
        dsl.execute("delete from " + table);
      }
      dsl.execute("insert into sync_state (id) values (1)");
      return null;
    });
    return db;
  }

  /** The seed is over: the slot's database waits for the next seed. */
  void give(int slot, EdgeDatabase db) {
    EdgeDatabase before = open.put(slot, db);
    if (before != null && before != db) {
      before.close();
    }
  }

  @Override
  public void close() {
    open.values().forEach(EdgeDatabase::close);
    open.clear();
  }
}
