package io.tracetrack.hub.io;

import io.tracetrack.model.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Streams the rows of an uploaded CSV or XLSX file, one at a time, in constant memory per row: CSV
 * through commons-csv over a strict UTF-8 decoder, XLSX through POI's event API (the sheet's XML
 * read with SAX, shared strings read-only) — never a whole workbook in memory. It refuses what it
 * cannot read safely (zip bombs, oversized entries, more rows than an import takes) with an
 * {@link Refused} carrying a stable code; what a single cell holds is judged by the caller.
 */
final class ImportReader {

  /** Data rows one file may hold (the header not counted). */
  static final int MAX_ROWS = 80_000;
  /** Columns read per row; a cell further right is reported, not stored. */
  static final int MAX_COLUMNS = 16;
  /** Characters kept of one cell; a longer cell is reported as too long. */
  static final int MAX_CELL = 256;
  /** Rows between two progress reports. */
  static final int PROGRESS_EVERY = 5_000;

  static {
    // POI logs through log4j-api; with no log4j back end on the class path it would print a
    // "could not find a logging provider" error line at the first workbook. Its simple logger
    // (errors only, to stderr) is enough for the little POI says.
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    }
    // POI's zip-bomb guards are process-wide: an entry that inflates more than 100x, or past 100 MB
    // (an 80,000-row sheet is ~10 MB of XML), is refused before it is read
    ZipSecureFile.setMinInflateRatio(0.01);
    ZipSecureFile.setMaxEntrySize(100L * 1024 * 1024);
  }

  /** The file's format, told by its first bytes (an XLSX is a zip: PK\3\4). */
  enum Format { CSV, XLSX }

  /** A file the reader will not read on; nothing was decided from it. */
  static final class Refused extends Exception {
    final int status;
    final ErrorCode code;

    Refused(int status, ErrorCode code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /**
   * One row as read: its number as a person sees it in a spreadsheet (header = 1), its cells (null
   * for an empty one), which cells were formulas, which were cut for length, and whether cells lay
   * beyond {@link #MAX_COLUMNS}.
   */
  record Row(int number, String[] cells, boolean[] formula, boolean[] tooLong, boolean tooManyColumns) {
    boolean blank() {
      for (String c : cells) {
        if (c != null && !c.isBlank()) {
          return false;
        }
      }
      return !tooManyColumns;
    }
  }

  /** Where the rows go: the header first, then every data row in order. */
  interface Sink {
    void header(Row header) throws Refused;

    void row(Row row);

    /** Called every {@link #PROGRESS_EVERY} data rows. */
    default void progress(int rows) {}
  }

  /** What the file is, from its first bytes; CSV must be UTF-8 text without NUL bytes. */
  static Format sniff(Path file) throws Refused, IOException {
    byte[] head = new byte[8192];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return Format.XLSX;
    }
    if (n == 0) {
      throw new Refused(415, ErrorCode.IMPORT_NOT_A_SPREADSHEET, "the file is empty; send a CSV or XLSX file with a header row");
    }
    for (int i = 0; i < n; i++) {
      if (head[i] == 0) {
        throw notASpreadsheet();
      }
    }
    return Format.CSV;
  }

  static Refused notASpreadsheet() {
    return new Refused(415, ErrorCode.IMPORT_NOT_A_SPREADSHEET,
        "the file is neither CSV (UTF-8 text) nor an XLSX workbook; save it from your spreadsheet as .csv or .xlsx");
  }

  /** Reads every row of {@code file} into {@code sink}; blank rows are skipped (their numbers too). */
  static void read(Path file, Format format, Sink sink) throws Refused, IOException {
    switch (format) {
      case CSV -> readCsv(file, sink);
      case XLSX -> readXlsx(file, sink);
    }
  }

  private static void readCsv(Path file, Sink sink) throws Refused, IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = Files.newInputStream(file);
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, utf8), 64 * 1024)) {
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset(); // no byte-order mark (Excel writes one in "CSV UTF-8")
      }
      CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get().parse(reader);
      Counter counter = new Counter(sink);
      Iterator<CSVRecord> records = parser.iterator();
      boolean first = true;
      while (true) {
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (java.io.UncheckedIOException e) {
          if (e.getCause() instanceof CharacterCodingException) {
            throw notASpreadsheet();
          }
          throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "the CSV cannot be read: " + e.getCause().getMessage());
        } catch (IllegalStateException e) {
          // commons-csv: an unterminated quote, or a character after a closing quote
          throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "the CSV is malformed: " + e.getMessage());
        }
        int size = record.size();
        String[] cells = new String[Math.min(size, MAX_COLUMNS)];
        boolean[] formula = new boolean[cells.length];
        boolean[] tooLong = new boolean[cells.length];
        for (int i = 0; i < cells.length; i++) {
          String v = record.get(i);
          if (v.length() > MAX_CELL) {
            tooLong[i] = true;
            v = v.substring(0, MAX_CELL);
          }
          cells[i] = v.isEmpty() ? null : v;
          formula[i] = startsLikeFormula(v);
        }
        // a person counts lines; a quoted cell spanning lines still is one spreadsheet row
        Row row = new Row((int) record.getRecordNumber(), cells, formula, tooLong, size > MAX_COLUMNS);
        if (first) {
          first = false;
          sink.header(row);
        } else {
          counter.row(row);
        }
      }
      if (first) {
        throw new Refused(422, ErrorCode.IMPORT_BAD_HEADER, "the file has no header row");
      }
    }
  }

  /**
   * The OWASP CSV-injection rule, as the exports apply it: a cell a spreadsheet would run. A CSV
   * cell has no formula flag, so this is the only way to tell; no bag code starts like this.
   */
  static boolean startsLikeFormula(String v) {
    if (v == null || v.isEmpty()) {
      return false;
    }
    char c = v.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  /** Counts data rows, skips blank ones, enforces the row cap and reports progress. */
  private static final class Counter {
    final Sink sink;
    int rows;

    Counter(Sink sink) {
      this.sink = sink;
    }

    void row(Row row) throws Refused {
      if (row.blank()) {
        return;
      }
      if (++rows > MAX_ROWS) {
        throw new Refused(413, ErrorCode.IMPORT_TOO_MANY_ROWS, "the file holds more than " + MAX_ROWS
            + " data rows (row " + row.number() + " is one too many); split it into files of at most " + MAX_ROWS + " rows");
      }
      sink.row(row);
      if (rows % PROGRESS_EVERY == 0) {
        sink.progress(rows);
      }
    }
  }

  private static void readXlsx(Path file, Sink sink) throws Refused, IOException {
    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      XSSFReader xssf = new XSSFReader(pkg);
      ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) xssf.getSheetsData();
      if (!sheets.hasNext()) {
        throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "the workbook has no sheet");
      }
      try (InputStream sheet = sheets.next()) {
        XMLReader parser = XMLHelper.newXMLReader();
        SheetHandler handler = new SheetHandler(strings, sink);
        parser.setContentHandler(handler);
        try {
          parser.parse(new InputSource(sheet));
        } catch (SAXException e) {
          if (e.getCause() instanceof Stop stop) {
            throw stop.refused;
          }
          throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "the workbook's sheet is not readable: " + e.getMessage());
        }
        if (!handler.sawHeader) {
          throw new Refused(422, ErrorCode.IMPORT_BAD_HEADER, "the first sheet has no header row");
        }
      }
    } catch (Refused e) {
      throw e;
    } catch (org.apache.poi.openxml4j.exceptions.OpenXML4JException | org.apache.poi.ooxml.POIXMLException
        | org.apache.poi.openxml4j.exceptions.OpenXML4JRuntimeException | IllegalArgumentException
        | org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException | IOException e) {
      // POI reports a zip bomb (ratio or size) as an IOException or a wrapped one: say what it means
      String message = messages(e);
      if (message.contains("Zip bomb") || message.contains("exceeds the max") || message.contains("max size")) {
        throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED,
            "the workbook expands far beyond its size (a zip bomb?) and was not read; save it again from your spreadsheet");
      }
      throw new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "the XLSX cannot be read; save it again from your spreadsheet as .xlsx");
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append(' ');
    }
    return out.toString();
  }

  /** Carries a refusal out of the SAX callbacks. */
  private static final class Stop extends SAXException {
    final Refused refused;

    Stop(Refused refused) {
      super(refused.getMessage(), refused);
      this.refused = refused;
    }
  }

  /**
   * The sheet's {@code <row><c r="B2" t="s"><f/><v/></c></row>} elements, one row at a time: values
   * kept up to {@link #MAX_CELL} characters, a {@code <f>} child marks a formula.
   */
  private static final class SheetHandler extends DefaultHandler {
    private final ReadOnlySharedStringsTable strings;
    private final Sink sink;
    private final Counter counter;
    boolean sawHeader;
    private int rowNumber;
    private String[] cells;
    private boolean[] formula;
    private boolean[] tooLong;
    private boolean tooManyColumns;
    private int column;
    private String type;
    private boolean cellFormula;
    private boolean collecting;
    private boolean cut;
    private final StringBuilder value = new StringBuilder();

    SheetHandler(ReadOnlySharedStringsTable strings, Sink sink) {
      this.strings = strings;
      this.sink = sink;
      this.counter = new Counter(sink);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) {
      switch (localName) {
        case "row" -> {
          String r = attrs.getValue("r");
          rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
          cells = new String[MAX_COLUMNS];
          formula = new boolean[MAX_COLUMNS];
          tooLong = new boolean[MAX_COLUMNS];
          tooManyColumns = false;
          column = -1;
        }
        case "c" -> {
          String ref = attrs.getValue("r");
          column = ref == null ? column + 1 : columnOf(ref);
          type = attrs.getValue("t");
          cellFormula = false;
          cut = false;
          value.setLength(0);
        }
        case "f" -> cellFormula = true;
        case "v", "t" -> collecting = true;
        default -> { }
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (!collecting) {
        return;
      }
      // an endless cell costs no memory: past the cap only the fact is kept
      int room = MAX_CELL * 4 - value.length();
      if (length > room) {
        cut = true;
      }
      value.append(ch, start, Math.max(0, Math.min(length, room)));
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
      switch (localName) {
        case "v", "t" -> collecting = false;
        case "c" -> {
          if (column >= MAX_COLUMNS) {
            if (value.length() > 0 || cellFormula) {
              tooManyColumns = true;
            }
            return;
          }
          String v = value.toString();
          if ("s".equals(type) && !v.isEmpty()) {
            try {
              v = strings.getItemAt(Integer.parseInt(v.strip())).getString();
            } catch (RuntimeException e) {
              // a damaged workbook: an empty cell here would import a row with a value missing
              throw new Stop(new Refused(422, ErrorCode.IMPORT_FILE_REFUSED, "row " + rowNumber + ", column "
                  + (column + 1) + ": the cell names shared text " + cut(v.strip(), 20) + ", which the workbook "
                  + "does not hold; the file is damaged: save it again from your spreadsheet as .xlsx"));
            }
          } else if ((type == null || "n".equals(type)) && v.endsWith(".0")) {
            v = v.substring(0, v.length() - 2); // a whole number typed into a number cell
          }
          if (v.length() > MAX_CELL || cut) {
            tooLong[column] = true;
            v = v.substring(0, Math.min(v.length(), MAX_CELL));
          }
          cells[column] = v.isEmpty() ? null : v;
          formula[column] = cellFormula;
        }
        case "row" -> {
          int width = 0;
          for (int i = 0; i < MAX_COLUMNS; i++) {
            if (cells[i] != null || formula[i]) {
              width = i + 1;
            }
          }
          Row row = new Row(rowNumber, Arrays.copyOf(cells, width), Arrays.copyOf(formula, width),
              Arrays.copyOf(tooLong, width), tooManyColumns);
          try {
            if (!sawHeader) {
              if (row.blank()) {
                return; // leading empty rows before the header
              }
              sawHeader = true;
              sink.header(row);
            } else {
              counter.row(row);
            }
          } catch (Refused e) {
            throw new Stop(e);
          }
        }
        default -> { }
      }
    }

    /** "AB12" → 27 (zero-based). */
    private static int columnOf(String ref) {
      int col = 0;
      for (int i = 0; i < ref.length(); i++) {
        char c = ref.charAt(i);
        if (c < 'A' || c > 'Z') {
          break;
        }
        col = col * 26 + (c - 'A' + 1);
        if (col > 100_000) {
          break;
        }
      }
      return col - 1;
    }
  }
}
