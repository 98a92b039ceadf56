package io.tracetrack.hub.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the token signing key comes from: {@code HUB_JWT_SECRET} when set (every hub instance of a
 * cluster must share it), else a random key generated once and kept, readable by the owner only,
 * in the data folder.
 */
public final class SigningKey {

  private SigningKey() {}

  public static byte[] load(String fromEnvironment, Path dataDir) {
    if (fromEnvironment != null) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(fromEnvironment.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("HUB_JWT_SECRET must be base64", e);
      }
      if (key.length < 32) {
        throw new IllegalArgumentException("HUB_JWT_SECRET must decode to at least 32 bytes");
      }
      return key;
    }
    Path file = dataDir.resolve("jwt-signing.key");
    try {
      if (Files.exists(file)) {
        return Base64.getDecoder().decode(Files.readString(file).strip());
      }
      Files.createDirectories(dataDir);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system; the folder's own permissions apply
      }
      return key;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
