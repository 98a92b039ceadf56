package io.tracetrack.hub.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** RFC 4180 CSV in UTF-8, every cell through {@link SafeCsv}. */
final class CsvTable implements TableWriter {

  private final CSVPrinter csv;

  CsvTable(OutputStream out, List<String> header) throws IOException {
    this.csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)),
        CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get());
  }

  @Override
  public void row(List<?> cells) throws IOException {
    for (Object cell : cells) {
      csv.print(SafeCsv.cell(cell));
    }
    csv.println();
  }

  @Override
  public void finish() throws IOException {
    csv.flush();
  }

  @Override
  public void close() {
    // the stream belongs to the caller (the response): flushed in finish(), closed by them
  }
}
