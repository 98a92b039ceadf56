package io.tracetrack.hub.io;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A table sent as a file download (CSV or XLSX), the rows written as they come. */
public final class Download {

  private Download() {}

  /** Sends a table already in memory (a day's summary, a few hundred rows at most). */
  public static void table(ServerResponse res, String filename, ExportFormat format, List<String> header,
      List<? extends List<?>> rows) {
    stream(res, filename, format, header, out -> {
      try {
        out.write(rows.stream().<List<Object>>map(ArrayList::new).iterator());
      } catch (IOException e) {
        throw new UncheckedIOException("download interrupted (client gone?)", e);
      }
    });
  }

  /**
   * Writes the rows an export hands over to the response. A failure after the first bytes cannot
   * become a problem+json any more: the connection is cut mid-chunk, so the client sees a broken
   * download, never a short file that looks complete.
   */
  static void stream(ServerResponse res, String filename, ExportFormat format, List<String> header,
      Consumer<ExportStore.Rows> export) {
    res.header(HeaderNames.CONTENT_TYPE, format.contentType());
    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    export.accept(rows -> {
      try (OutputStream out = res.outputStream();
          TableWriter table = TableWriter.open(format, out, filename.substring(0, filename.lastIndexOf('.')), header)) {
        while (rows.hasNext()) {
          table.row(rows.next());
        }
        table.finish();
      }
    });
  }

  /** The same table as bytes, for an e-mail attachment. */
  public static byte[] bytes(ExportFormat format, String sheetName, List<String> header, List<? extends List<?>> rows) {
    var out = new java.io.ByteArrayOutputStream();
    try (TableWriter table = TableWriter.open(format, out, sheetName, header)) {
      for (List<?> row : rows) {
        table.row(row);
      }
      table.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
