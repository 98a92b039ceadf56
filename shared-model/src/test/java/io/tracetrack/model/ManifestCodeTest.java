package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestCodeTest {

  @Test
  void text_thenRead_givesTheSameManifest() {
    ManifestCode m = new ManifestCode("BILL0042", List.of("P1001-30", "SB12345", "P1002-5"));
    assertThat(m.text()).isEqualTo("TT1 BILL BILL0042 N 3 P1001-30 SB12345 P1002-5");
    assertThat(ManifestCode.read(m.text())).isEqualTo(new ManifestCode.Read.Whole(m));
  }

  @Test
  void read_capsLockAndDoubledSpaces_stillWhole() {
    assertThat(ManifestCode.read("  tt1 bill bill0042  n 1 p1001-30\r\n"))
        .isEqualTo(new ManifestCode.Read.Whole(new ManifestCode("BILL0042", List.of("P1001-30"))));
  }

  @Test
  void read_anEmptyBill_isWholeWithNoParents() {
    assertThat(ManifestCode.read("TT1 BILL BILL0042 N 0")).isEqualTo(
        new ManifestCode.Read.Whole(new ManifestCode("BILL0042", List.of())));
  }

  @Test
  void read_cutShort_isUnreadableAndSaysHowMuchWasRead() {
    assertThat(ManifestCode.read("TT1 BILL BILL0042 N 3 P1001-30 SB12345"))
        .isEqualTo(new ManifestCode.Read.Unreadable(
            "the manifest QR of bill BILL0042 was read in part (2 of 3 parents): scan it again"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "TT1", "TT1 BILL", "TT1 BILL X N", "TT1 BILL BILL0042 N three P1", "TT1 BILL BILL0042 N 1 P1 P2",
      "TT1 BILL BILL0042 N 2 P1 P1", "TT1 BILL BILL-42 N 0", "TT1 BILL BILL0042 N 1 P1;DROP",
      "TT1 BIL BILL0042 N 0", "TT1 BILL BILL0042 M 0", "TT1 BILL BILL0042 N 99999999999 P1",
      "TT1 BILL BILL0042 N 1 <script>"})
  void read_hostileOrBroken_isUnreadableNeverHalfTaken(String raw) {
    assertThat(ManifestCode.read(raw)).isInstanceOf(ManifestCode.Read.Unreadable.class);
  }

  @Test
  void read_longerThanAnyManifest_isUnreadable() {
    String parents = String.join(" ", IntStream.range(0, 200).mapToObj(i -> "P" + i + "-30").toList());
    assertThat(ManifestCode.read("TT1 BILL B1 N 200 " + parents)).isInstanceOf(ManifestCode.Read.Unreadable.class);
    assertThat(ManifestCode.read("TT1 " + "A".repeat(ManifestCode.MAX_LENGTH))).isInstanceOf(ManifestCode.Read.Unreadable.class);
  }

  @Test
  void isManifest_onlyTheMark() {
    assertThat(ManifestCode.isManifest("TT1 BILL X")).isTrue();
    assertThat(ManifestCode.isManifest("tt1 bill x")).isTrue();
    assertThat(ManifestCode.isManifest("P1001-30")).isFalse();
    assertThat(ManifestCode.isManifest("TT10")).isFalse();
    assertThat(ManifestCode.isManifest(null)).isFalse();
  }

  @Test
  void construct_repeatsOrNonCodes_refused() {
    assertThatThrownBy(() -> new ManifestCode("B1", List.of("P1", "P1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ManifestCode("B 1", List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
