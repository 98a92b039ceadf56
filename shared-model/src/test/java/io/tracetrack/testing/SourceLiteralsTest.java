package io.tracetrack.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceLiteralsTest {

  private static final String SOURCE = """
      class X {
        // "NOT_FOUND" in a comment is prose
        /* "FORBIDDEN" */
        char c = '"';
        char d = '\\'';
        String a = "INVALID_REQUEST";
        String b = "PROMOTION_" + x;
        String e = "say \\"BILL_CREATED\\" out loud";
        String f = \"""
            UNAUTHENTICATED\""";
      }
      """;

  private static final Set<String> NAMES = Set.of("INVALID_REQUEST", "PROMOTION_APPROVED", "BILL_CREATED",
      "UNAUTHENTICATED", "NOT_FOUND", "FORBIDDEN");

  @Test
  void literals_findsStringsAndTextBlocks_notCommentsOrChars() {
    assertThat(SourceLiterals.literals(SOURCE)).map(String::strip)
        .containsExactly("INVALID_REQUEST", "PROMOTION_", "say \\\"BILL_CREATED\\\" out loud", "UNAUTHENTICATED");
  }

  @Test
  void offences_nameOrPrefixOfAName_butNotOnesAllowedOrInsideProse(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("a"));
    Files.writeString(root.resolve("a/X.java"), SOURCE);
    assertThat(SourceLiterals.offences(root, NAMES, Set.of("UNAUTHENTICATED"))).containsExactly(
        "a/X.java: \"INVALID_REQUEST\" (use the enum constant)", "a/X.java: \"PROMOTION_\" (use the enum constant)");
  }

  @Test
  void offences_missingFolder_isAnError_notAPass(@TempDir Path root) {
    assertThatThrownBy(() -> SourceLiterals.offences(root.resolve("nope"), NAMES, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
