package io.tracetrack.edge.station;

import com.google.zxing.oned.Code128Writer;
import java.util.Locale;

/** Code 128 barcodes as SVG, for the printable command sheet. */
final class Barcodes {

  private static final int MODULE_PX = 3;
  private static final int HEIGHT_PX = 120;
  private static final int QUIET_MODULES = 12;

  private Barcodes() {}

  /**
   * Renders {@code text} (already restricted to {@code [A-Z0-9-]}, so it needs no escaping).
   */
  static String svg(String text) {
    boolean[] modules = new Code128Writer().encode(text);
    int width = (modules.length + 2 * QUIET_MODULES) * MODULE_PX;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < modules.length; i++) {
      if (!modules[i]) {
        continue;
      }
      int run = 1;
      while (i + run < modules.length && modules[i + run]) {
        run++;
      }
      path.append(String.format(Locale.ROOT, "M%d 0h%dv%dh-%dz", (QUIET_MODULES + i) * MODULE_PX, run * MODULE_PX,
          HEIGHT_PX, run * MODULE_PX));
      i += run - 1;
    }
    return String.format(Locale.ROOT, """
        <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">\
        <rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="%s"/></svg>""",
        width, HEIGHT_PX, width, HEIGHT_PX, text, path);
  }
}
