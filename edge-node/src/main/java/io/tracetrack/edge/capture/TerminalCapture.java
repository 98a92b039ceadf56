package io.tracetrack.edge.capture;

import io.tracetrack.edge.scan.ScanResult;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads scans from a stream: a scan ends at a line feed, a carriage return (CR LF counts once) or
 * a tab (what wedge scanners send). Lines are read with a bounded buffer, so a 100,000-character line (or a binary
 * file piped in by mistake) is one rejected scan, not an out-of-memory crash. Bytes that are not
 * UTF-8 become U+FFFD and are rejected by the normaliser like any other foreign character.
 */
public final class TerminalCapture {

  /**
   * Characters kept of one line: far more than any code, so the length reported for a long line
   * is exact up to a megabyte; beyond that the rest is discarded, never buffered.
   */
  static final int MAX_KEPT = 1 << 20;

  private final ScanService scans;
  private final String station;
  private final String user;

  public TerminalCapture(ScanService scans, String station, String user) {
    this.scans = scans;
    this.station = station;
    this.user = user;
  }

  /** Summary of a capture session. */
  public record Summary(int scans, int accepted, int notRecorded) {}

  public Summary run(InputStream input, PrintStream out) throws IOException {
    Reader reader = new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE));
    StringBuilder line = new StringBuilder();
    int[] counts = new int[3]; // scans, accepted, not recorded
    char[] buffer = new char[8192];
    boolean pending = false;
    char previous = 0;
    int n;
    while ((n = reader.read(buffer)) != -1) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        boolean crlf = c == '\n' && previous == '\r';
        previous = c;
        if (crlf) {
          continue; // one Enter from a terminal that sends CR LF
        }
        if (c == '\n' || c == '\r' || c == '\t') {
          take(line, out, counts); // an empty scan is answered too: the person sees why nothing happened
          line.setLength(0);
          pending = false;
        } else {
          pending = true;
          if (line.length() < MAX_KEPT) {
            line.append(c);
          }
        }
      }
    }
    if (pending) {
      take(line, out, counts); // the last scan may lack its Enter
    }
    out.flush();
    return new Summary(counts[0], counts[1], counts[2]);
  }

  private void take(StringBuilder line, PrintStream out, int[] counts) {
    // a truncated line is still far longer than any code, so it is rejected as TOO_LONG
    ScanResult result = scans.scan(station, user, line.toString());
    out.println(Json.write(result));
    out.flush();
    counts[0]++;
    counts[1] += result.accepted() ? 1 : 0;
    counts[2] += result.reason() == ErrorCode.STORE_UNAVAILABLE ? 1 : 0;
  }
}
