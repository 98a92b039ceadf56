package io.tracetrack.edge.db;

import io.tracetrack.edge.ExitCode;
import io.tracetrack.edge.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Checks on the data folder that must pass before SQLite is allowed to open anything in it. */
public final class DataFolder {

  private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final int SQLITE_HEADER_PAGE = 100;

  private DataFolder() {}

  /** Creates the folder if needed and proves it is writable by writing and syncing a probe file. */
  public static void prepare(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StartupException(ExitCode.CANT_CREATE,
          "data folder " + dir + " is a file, not a folder; choose another --data");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new StartupException(ExitCode.CANT_CREATE,
          "cannot create data folder " + dir + ": " + describe(e) + "; check permissions or choose another --data", e);
    }
    Path probe = dir.resolve(".write-probe-" + ProcessHandle.current().pid());
    try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DELETE_ON_CLOSE)) {
      channel.write(ByteBuffer.wrap(new byte[] {1}));
      channel.force(true);
    } catch (IOException | SecurityException e) {
      throw new StartupException(ExitCode.CANT_CREATE,
          "data folder " + dir + " is not writable: " + describe(e) + "; scans could not be stored", e);
    }
  }

  /**
   * Refuses a database file that exists but does not start with the SQLite header. Opening such a
   * file read-write could let SQLite treat it as empty and overwrite it.
   */
  public static void checkDatabaseHeader(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    if (!Files.isRegularFile(file)) {
      throw new StartupException(ExitCode.DATA_CORRUPT, file + " is not a regular file; refusing to use it");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(SQLITE_HEADER_PAGE);
      if (head.length == 0) {
        return; // an empty file is a database SQLite has yet to write: nothing to lose
      }
      if (head.length < SQLITE_HEADER_PAGE || !Arrays.equals(head, 0, SQLITE_HEADER.length, SQLITE_HEADER, 0, SQLITE_HEADER.length)) {
        throw new StartupException(ExitCode.DATA_CORRUPT, file + " is not a SQLite database (bad header)."
            + " It was left untouched; move it away or restore a backup, then start again.");
      }
    } catch (IOException e) {
      throw new StartupException(ExitCode.CANT_CREATE, "cannot read " + file + ": " + describe(e), e);
    }
  }

  /**
   * Takes the folder's server lock, held for the life of the process (the OS releases it when the
   * process dies, even by SIGKILL). Terminal capture does not take it: it may run beside a server,
   * and SQLite's own locking serialises their writes.
   */
  public static FileLock lockForServer(Path dir) {
    Path lockFile = dir.resolve("edge-server.lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw lockedByOther(dir);
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw lockedByOther(dir);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StartupException(ExitCode.CANT_CREATE, "cannot lock " + lockFile + ": " + describe(e), e);
    }
  }

  private static StartupException lockedByOther(Path dir) {
    return new StartupException(ExitCode.LOCKED, "data folder " + dir
        + " is locked by another process (an edge server is already running on it); stop it or choose another --data");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the original error is the one to report
      }
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }
}
