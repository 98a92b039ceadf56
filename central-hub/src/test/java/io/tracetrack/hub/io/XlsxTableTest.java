package io.tracetrack.hub.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The streaming sheet writer by its structure: what it keeps in memory and on disk. */
class XlsxTableTest {

  @Test
  void aLongSheet_keepsAtMostTheWindowInMemory_andEveryRowInTheFile() throws Exception {
    int rows = 25_000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int mostInMemory = 0;
    try (XlsxTable table = new XlsxTable(out, "bags", List.of("code", "n", "note"))) {
      for (int i = 0; i < rows; i++) {
        table.row(Arrays.asList("P" + i, i, i % 2 == 0 ? null : "=1+1"));
        if (i % 997 == 0) {
          mostInMemory = Math.max(mostInMemory, table.rowsInMemory());
        }
      }
      mostInMemory = Math.max(mostInMemory, table.rowsInMemory());
      table.finish();
    }
    assertThat(mostInMemory).isLessThanOrEqualTo(XlsxTable.WINDOW);
    try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
      var sheet = book.getSheetAt(0);
      assertThat(sheet.getLastRowNum()).isEqualTo(rows);
      assertThat(sheet.getRow(rows).getCell(0).getStringCellValue()).isEqualTo("P" + (rows - 1));
      assertThat(sheet.getRow(rows).getCell(1).getNumericCellValue()).isEqualTo(rows - 1);
      assertThat(sheet.getRow(rows).getCell(2).getStringCellValue()).isEqualTo("'=1+1");
      assertThat(sheet.getRow(1).getCell(2)).isNull();
    }
  }

  @Test
  void closing_deletesTheTemporaryFile_evenWhenTheExportIsAbandoned(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    // POI's temporary files in a folder of this test's own: /tmp/poifiles is shared with every
    // other test JVM of the build, whose exports come and go while this one counts
    org.apache.poi.util.TempFile.setTempFileCreationStrategy(new org.apache.poi.util.DefaultTempFileCreationStrategy(tmp.toFile()));
    try {
      long before = count(tmp);
      XlsxTable table = new XlsxTable(new ByteArrayOutputStream(), "bags", List.of("code"));
      for (int i = 0; i < 500; i++) {
        table.row(List.of("P" + i));
      }
      assertThat(count(tmp)).isGreaterThan(before);
      table.close(); // never finished: the client went away
      assertThat(count(tmp)).isEqualTo(before);
    } finally {
      org.apache.poi.util.TempFile.setTempFileCreationStrategy(new org.apache.poi.util.DefaultTempFileCreationStrategy());
    }
  }

  private static long count(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("poi-sxssf-sheet")).count();
    }
  }
}
