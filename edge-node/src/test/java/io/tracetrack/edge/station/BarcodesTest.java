package io.tracetrack.edge.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitArray;
import com.google.zxing.oned.Code128Reader;
import io.tracetrack.model.StationCommand;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The printed command barcodes must scan back to their exact text. */
class BarcodesTest {

  private static final Pattern BAR = Pattern.compile("M(\\d+) 0h(\\d+)v");

  @ParameterizedTest
  @EnumSource(StationCommand.class)
  void commandBarcode_decodesToItsText(StationCommand command) throws Exception {
    String svg = Barcodes.svg(command.barcode());
    int width = Integer.parseInt(svg.replaceAll("(?s).*width=\"(\\d+)\".*", "$1"));
    BitArray row = new BitArray(width);
    Matcher bars = BAR.matcher(svg);
    while (bars.find()) {
      int x = Integer.parseInt(bars.group(1));
      row.setRange(x, x + Integer.parseInt(bars.group(2)));
    }
    assertThat(new Code128Reader().decodeRow(0, row, null).getText()).isEqualTo(command.barcode());
  }
}
