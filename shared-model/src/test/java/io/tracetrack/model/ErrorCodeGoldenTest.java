package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The names of {@link ErrorCode} are the wire form integrators match on, so they are frozen in
 * {@code golden/error-codes.txt}: a released name may never disappear or change, and a new constant
 * is only accepted together with its line in the file (added consciously, not by a rename).
 */
class ErrorCodeGoldenTest {

  static List<String> golden(String resource) throws IOException {
    try (InputStream in = ErrorCodeGoldenTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
  }

  @Test
  void everyReleasedName_isStillAConstant() throws IOException {
    Set<String> names = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(golden("/golden/error-codes.txt"))
        .as("a released error code was renamed or removed; names are frozen: restore it")
        .allMatch(names::contains);
  }

  @Test
  void everyConstant_isListedInTheGoldenFile() throws IOException {
    List<String> listed = golden("/golden/error-codes.txt");
    assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name))
        .as("a new error code must be added to golden/error-codes.txt too (once added, it is frozen)")
        .allMatch(listed::contains);
  }

  @Test
  void goldenFile_listsEachNameOnce() throws IOException {
    List<String> listed = golden("/golden/error-codes.txt");
    assertThat(new LinkedHashSet<>(listed)).hasSameSizeAs(listed);
  }

  /** The statuses the routes answered with before the codes were merged into one enum. */
  @ParameterizedTest
  @CsvSource({
      "USER_NOT_FOUND, 404", "WRONG_PASSWORD, 400", "OWN_ROLE, 403", "LAST_ADMIN, 409", "AREA_REQUIRED, 422",
      "BAD_TOTP, 400", "INVALID_CODE, 400", "UNKNOWN_PARENT, 404", "PARENT_COMPLETE, 409", "ACCOUNT_LOCKED, 423",
      "BAD_CREDENTIALS, 401", "DISABLED, 403", "NO_PASSWORD, 400", "HOST_NOT_ALLOWED, 421", "BODY_TOO_LARGE, 413",
      "UNAUTHENTICATED, 401", "FORBIDDEN, 403", "TOO_MANY_REQUESTS, 429", "INTERNAL_ERROR, 500"})
  void status_isTheOneTheRouteAnsweredWith(ErrorCode code, int status) {
    assertThat(code.status()).isEqualTo(status);
  }

  @Test
  void forStatus_statusWithoutACodeOfItsOwn_isHttpError() {
    assertThat(ErrorCode.forStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(ErrorCode.forStatus(431)).isEqualTo(ErrorCode.HEADERS_TOO_LARGE);
    assertThat(ErrorCode.forStatus(418)).isEqualTo(ErrorCode.HTTP_ERROR);
  }
}
