package io.tracetrack.hub.io;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * One sheet written with POI's SXSSF: only the last {@link #WINDOW} rows stay in memory, older ones
 * go to a compressed temporary file, so a sheet of millions of rows costs what a sheet of a hundred
 * does. Text cells are written as strings, which a spreadsheet never runs as a formula; they still
 * go through {@link SafeCsv}, so a cell reads the same in the sheet as in its CSV twin and stays
 * harmless when copied out of the sheet into a CSV. Numbers are numbers. The temporary file is
 * deleted in {@link #close}, whether the export finished or the client went away.
 */
final class XlsxTable implements TableWriter {

  /** Rows kept in memory before the oldest is flushed to the temporary file. */
  static final int WINDOW = 100;
  /** Excel's limit; a longer export goes on in a second sheet rather than being cut. */
  static final int MAX_ROWS_PER_SHEET = 1_048_576;

  private final OutputStream out;
  private final String sheetName;
  private final List<String> header;
  private final SXSSFWorkbook workbook;
  private final CellStyle headerStyle;
  private SXSSFSheet sheet;
  private int sheets;
  private int next;

  XlsxTable(OutputStream out, String sheetName, List<String> header) {
    this.out = Objects.requireNonNull(out, "out");
    this.sheetName = Objects.requireNonNull(sheetName, "sheetName");
    this.header = List.copyOf(header);
    this.workbook = new SXSSFWorkbook(WINDOW);
    // deflated temp file: a 1.8M-row export needs ~10x less scratch disk
    workbook.setCompressTempFiles(true);
    Font bold = workbook.createFont();
    bold.setBold(true);
    this.headerStyle = workbook.createCellStyle();
    headerStyle.setFont(bold);
    newSheet();
  }

  private void newSheet() {
    sheets++;
    sheet = workbook.createSheet(sheets == 1 ? sheetName : sheetName + " " + sheets);
    sheet.createFreezePane(0, 1);
    next = 0;
    Row row = sheet.createRow(next++);
    for (int i = 0; i < header.size(); i++) {
      Cell cell = row.createCell(i);
      cell.setCellValue(header.get(i));
      cell.setCellStyle(headerStyle);
    }
  }

  @Override
  public void row(List<?> cells) {
    if (next == MAX_ROWS_PER_SHEET) {
      newSheet();
    }
    Row row = sheet.createRow(next++);
    for (int i = 0; i < cells.size(); i++) {
      Object value = cells.get(i);
      if (value == null) {
        continue;
      }
      Cell cell = row.createCell(i);
      switch (value) {
        case Integer n -> cell.setCellValue(n);
        case Long n -> cell.setCellValue(n);
        case Double n -> cell.setCellValue(n);
        case BigDecimal n -> cell.setCellValue(n.doubleValue());
        case Boolean b -> cell.setCellValue(b);
        default -> cell.setCellValue(SafeCsv.cell(value));
      }
    }
  }

  /** Rows of the current sheet still in memory: never more than {@link #WINDOW}. */
  int rowsInMemory() {
    int n = 0;
    for (Row ignored : sheet) {
      n++;
    }
    return n;
  }

  @Override
  public void finish() throws IOException {
    workbook.write(out);
    out.flush();
  }

  @Override
  public void close() {
    try {
      workbook.close();
    } catch (IOException e) {
      // nothing left to save: the stream was written or abandoned already
    } finally {
      workbook.dispose();
    }
  }
}
