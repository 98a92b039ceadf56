package io.tracetrack.edge.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The dock's device credential in the data folder: {@code hub-credential.json}, mode 600. Whoever
 * reads it can sync as this dock, so it is created with owner-only permissions from its first byte
 * (never written and then narrowed) and replaced atomically; where the file system cannot say
 * owner-only (not POSIX), nothing is written at all.
 */
public final class DeviceCredential {

  public static final String FILE = "hub-credential.json";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeviceCredential() {}

  /** Why the credential could not be kept safely. */
  public static final class NotStored extends Exception {
    NotStored(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /** Writes the credential with what it belongs to, replacing an earlier one. */
  public static void store(Path dataDir, String hub, String dock, String edgeId, String credential) throws NotStored {
    Map<String, String> content = new LinkedHashMap<>();
    content.put("hub", hub);
    content.put("dock", dock);
    content.put("edgeId", edgeId);
    content.put("credential", credential);
    Path target = file(dataDir);
    Path temp = null;
    try {
      temp = Files.createTempFile(dataDir, ".hub-credential-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.write(temp, JSON.writeValueAsString(content).getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      // a umask cannot widen what was asked for at creation, but say so if something did
      if (!Files.getPosixFilePermissions(target).equals(OWNER_ONLY)) {
        Files.delete(target);
        throw new NotStored(target + " did not stay owner-only (mode 600); the credential was not kept", null);
      }
    } catch (UnsupportedOperationException e) {
      throw new NotStored("the data folder's file system cannot make a file readable by its owner only (mode 600); "
          + "put --data on a POSIX file system", e);
    } catch (IOException e) {
      throw new NotStored("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a stray temporary file is owner-only too
        }
      }
    }
  }

  /** Removes a stored credential (an enrolment that could not be completed). */
  public static void remove(Path dataDir) {
    try {
      Files.deleteIfExists(file(dataDir));
    } catch (IOException ignored) {
      // left behind only if the folder turned read-only; it is owner-only anyway
    }
  }

  /** A stored credential and what it belongs to. */
  public record Stored(String hub, String dock, String edgeId, String credential) {
    public Stored {
      Objects.requireNonNull(hub, "hub");
      Objects.requireNonNull(dock, "dock");
      Objects.requireNonNull(edgeId, "edgeId");
      Objects.requireNonNull(credential, "credential");
    }

    /** Never the secret: this record ends up in log lines and exception messages. */
    @Override
    public String toString() {
      return "Stored[hub=" + hub + ", dock=" + dock + ", edgeId=" + edgeId + "]";
    }
  }

  /**
   * Reads the stored credential.
   *
   * @return empty when none is stored (the dock is not enrolled)
   * @throws NotStored when the file is there but unreadable or not what {@link #store} wrote
   */
  public static Optional<Stored> load(Path dataDir) throws NotStored {
    Path f = file(dataDir);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      var json = JSON.readTree(Files.readAllBytes(f));
      if (json == null || !json.path("hub").isTextual() || !json.path("dock").isTextual()
          || !json.path("edgeId").isTextual() || !json.path("credential").isTextual()) {
        throw new NotStored(f + " is not a device credential this edge wrote; enrol the dock again", null);
      }
      return Optional.of(new Stored(json.get("hub").asText(), json.get("dock").asText(), json.get("edgeId").asText(),
          json.get("credential").asText()));
    } catch (IOException e) {
      throw new NotStored("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Whether a credential is stored. */
  public static Optional<Path> stored(Path dataDir) {
    Path f = file(dataDir);
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }
}
