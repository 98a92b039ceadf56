package io.tracetrack.hub.io;

import io.tracetrack.hub.HubTestServer;
import java.util.List;

/** {@link ExportFormatsTest}'s readers, for the end-of-day tests in another package. */
public final class ExportFormatsTestAccess {

  private ExportFormatsTestAccess() {}

  public static byte[] bytes(HubTestServer s, String path, String who) throws Exception {
    return ExportFormatsTest.bytes(s, path, who);
  }

  public static List<List<String>> csv(byte[] body) throws Exception {
    return ExportFormatsTest.csv(body);
  }

  public static List<List<String>> xlsx(byte[] body, int width) throws Exception {
    return ExportFormatsTest.xlsx(body, width);
  }

  public static List<List<String>> numbersNormalised(List<List<String>> rows) {
    return ExportFormatsTest.numbersNormalised(rows);
  }
}
