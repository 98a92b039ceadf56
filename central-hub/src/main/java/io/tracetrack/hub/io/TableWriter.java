package io.tracetrack.hub.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One table written row by row straight to a stream, as CSV or XLSX: the exports and the end-of-day
 * file share it, so a sheet and its CSV twin always hold the same cells. Neither holds more than a
 * small, fixed number of rows in memory.
 */
public sealed interface TableWriter extends AutoCloseable permits CsvTable, XlsxTable {

  /** Opens a table with {@code header} as its first row. */
  static TableWriter open(ExportFormat format, OutputStream out, String sheetName, List<String> header) throws IOException {
    return switch (format) {
      case CSV -> new CsvTable(out, header);
      case XLSX -> new XlsxTable(out, sheetName, header);
    };
  }

  /** Appends one row; {@code null} cells stay empty. */
  void row(List<?> cells) throws IOException;

  /** Completes the file on the stream (an XLSX is only readable once finished). Call once, after the last row. */
  void finish() throws IOException;

  /** Releases what the writer holds (temporary files); the stream is the caller's. */
  @Override
  void close();
}
