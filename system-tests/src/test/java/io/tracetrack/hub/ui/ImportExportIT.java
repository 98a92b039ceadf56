package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin's import, export and end-of-day pages in a real headless Chromium against a real hub:
 * a bags file with errors (a duplicate, bad codes, an orphan) listed by row with the error file,
 * then a clean file checked and committed (the bags exist at the hub), the exports as plain links
 * the browser fetches, and the day's summary with the imported data, on a desktop and a phone.
 * Hostile text rides in a file name, a cell and a bill's destination.
 */
class ImportExportIT {

  private static final String SCRIPT = "<script>window.__xss=1</script>";
  private static final String IMG = "<img src=x onerror=window.__xss=1>";

  @Test
  void admin_importsABagsFile_exportsAndReadsTheEndOfDay_throughThePages() throws Exception {
    Path dir = Files.createTempDirectory("import-it-");
    try (HubBrowser b = HubBrowser.start()) {
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");
      for (String nav : List.of("/import", "/exports", "/eod")) {
        assertThat(b.findAll("#nav a[data-nav='" + nav + "']")).as("nav " + nav).hasSize(1);
      }

      // --- empty state: the expected columns and a template
      b.go("/import", "import");
      assertThat(b.find("#import-help").getText()).contains("code").contains("parent_code");
      assertThat(b.find("#import-template").isDisplayed()).isTrue();
      assertThat(b.find("#import-check").isEnabled()).isFalse();

      // --- a wrong file is refused before any upload
      Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
      b.find("#import-file").sendKeys(text.toString());
      b.waitFor("#import-problem [data-code=LOCAL_REFUSED]");
      assertThat(b.find("#import-problem").getText()).contains("not a CSV or XLSX");
      assertThat(b.find("#import-check").isEnabled()).isFalse();

      // --- a file with errors: the dry run lists them by row and writes nothing
      Path bad = Files.writeString(dir.resolve(IMG + " bags.csv"), String.join("\n",
          "code,type,parent_code",   // 1
          "P901-2,PARENT,",          // 2 ok
          "C90001,CHILD,P901-2",     // 3 ok
          "C90001,CHILD,P901-2",     // 4 duplicate of row 3
          "BAD CODE!,,",             // 5 bad code
          "C90002,,P999-5",          // 6 orphan: no such parent
          SCRIPT + ",,") + "\n",     // 7 bad code, shown as text
          StandardCharsets.UTF_8);
      b.find("#import-file").sendKeys(bad.toString());
      b.waitForText("#import-file-name", IMG + " bags.csv");
      b.find("#import-check").click();
      b.waitFor("#import-report [data-mode=dry-run]");
      assertThat(b.find("#import-report [data-mode]").getDomAttribute("data-errors")).isEqualTo("4");
      assertThat(b.find("#import-errors tr[data-row='4']").getDomAttribute("data-code")).isEqualTo("IMPORT_DUPLICATE_ROW");
      assertThat(b.find("#import-errors tr[data-row='5']").getDomAttribute("data-code")).isEqualTo("INVALID_CODE");
      assertThat(b.find("#import-errors tr[data-row='6']").getDomAttribute("data-code")).isEqualTo("UNKNOWN_PARENT");
      assertThat(b.find("#import-errors tr[data-row='7']").getText()).contains(SCRIPT);
      assertThat(b.find("#import-report-title").getText()).contains(IMG);
      assertThat(b.find("#import-commit").isEnabled()).isFalse();
      assertThat(b.find("#import-progress").getDomAttribute("data-phase")).isEqualTo("done");
      b.find("#import-error-file").click();
      b.waitFor("#import-error-file[data-downloaded=true]");
      assertThat(b.api("GET", "/api/v1/bags/P901-2", null, "admin").status()).isEqualTo(404);
      b.script("document.getElementById('import-report').scrollIntoView();");
      b.screenshot("import-errors");

      // --- a good file: clean dry run, then the commit and its result
      Path good = Files.writeString(dir.resolve("bags-good.csv"), String.join("\n",
          "code,type,parent_code",
          "P901-2,PARENT,",
          "C90001,CHILD,P901-2",
          "C90002,CHILD,P901-2",
          "P902-3,PARENT,",
          "C90003,,P902-3") + "\n", StandardCharsets.UTF_8);
      b.find("#import-file").sendKeys(good.toString());
      b.waitForText("#import-file-name", "bags-good.csv");
      b.find("#import-check").click();
      b.waitFor("#import-report [data-mode=dry-run][data-errors='0']");
      assertThat(b.find("#import-report [data-figure=created-parents] .card-value").getText()).isEqualTo("2");
      WebElement commit = b.find("#import-commit");
      assertThat(commit.isEnabled()).isTrue();
      assertThat(commit.getText()).isEqualTo("Import 5 rows");
      commit.click();
      b.waitFor("#import-result[data-committed=true]");
      assertThat(b.find("#import-result").getText()).contains("Imported 5 rows").contains("2 parents").contains("3 links");
      assertThat(b.find("#import-audit-link").getDomAttribute("href")).startsWith("#/audit?entityType=IMPORT&entityId=");
      for (String code : List.of("P901-2", "P902-3", "C90001", "C90002", "C90003")) {
        assertThat(b.api("GET", "/api/v1/bags/" + code, null, "admin").status()).as(code).isEqualTo(200);
      }
      b.screenshot("import-done");

      // --- exports: plain links the browser fetches with the session cookie
      b.go("/exports", "exports");
      assertThat(b.find("#exports-note").getText()).contains("no row cap");
      assertThat(b.findAll(".export-card")).hasSize(5);
      new Select(b.find("#x-bags-status")).selectByValue("PARENT");
      String csvHref = b.find("#export-bags-csv").getDomAttribute("href");
      assertThat(csvHref).isEqualTo("/api/v1/exports/bags.csv?status=PARENT");
      Object csv = b.script("return fetch(arguments[0]).then(r => r.text().then(t => r.status + ' ' "
          + "+ r.headers.get('content-type') + '\\n' + t));", csvHref);
      assertThat(String.valueOf(csv)).startsWith("200 text/csv").contains("P901-2").contains("P902-3").doesNotContain("C90001");
      Object xlsx = b.script("return fetch(arguments[0]).then(r => r.status + ' ' + r.headers.get('content-type'));",
          b.find("#export-bags-xlsx").getDomAttribute("href"));
      assertThat(String.valueOf(xlsx)).isEqualTo("200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      Object eodCsv = b.script("return fetch(arguments[0]).then(r => r.status);", b.find("#export-eod-csv").getDomAttribute("href"));
      assertThat(eodCsv).isEqualTo(200L);
      // a range the hub would refuse is caught on the page, the links disabled
      b.script("for (const [id, v] of [['x-scans-from', '2026-12-31'], ['x-scans-to', '2026-01-01']]) {"
          + " const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('change')); }");
      b.waitForText("#x-scans-problem", "before");
      assertThat(b.find("#export-scans-csv").getDomAttribute("href")).isNull();
      b.screenshot("exports");

      // --- end of day: today, with the imported bags and a bill with hostile text
      assertThat(b.api("POST", "/api/v1/bills", HubBrowser.json(Map.of("id", "EODXSS01", "destination", SCRIPT + " " + IMG,
          "vehicle", IMG, "capacity", 2)), "biller").status()).isEqualTo(201);
      assertThat(b.api("POST", "/api/v1/bills/EODXSS01/parents", "{\"parent\":\"P901-2\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller").status()).isEqualTo(200);
      JsonNode today = b.api("GET", "/api/v1/eod", null, "admin").json();
      assertThat(today.get("parentsCreated").asLong()).isGreaterThanOrEqualTo(2);
      b.go("/eod", "eod");
      b.waitFor("#eod-figures");
      assertThat(b.find("#eod-figures").getDomAttribute("data-day")).isEqualTo(today.get("date").asText());
      assertThat(b.find("[data-figure=parentsCreated] .card-value").getText()).isEqualTo(figure(today.get("parentsCreated").asLong()));
      assertThat(b.find("[data-figure=childrenLinked] .card-value").getText()).isEqualTo(figure(today.get("childrenLinked").asLong()));
      assertThat(b.find("[data-figure=bills] .card-value").getText()).isEqualTo("1");
      assertThat(b.find("[data-bill=EODXSS01]").getText()).contains(SCRIPT).contains(IMG);
      assertThat(b.find("#eod-xlsx").getDomAttribute("href")).isEqualTo("/api/v1/eod/" + today.get("date").asText() + ".xlsx");
      b.script("window.scrollTo(0, 0);");
      b.screenshot("eod");
      // no mail server in tests: the page says so before and after the click
      assertThat(b.find("#eod-mail-send").getDomAttribute("data-configured")).isEqualTo("false");
      assertThat(b.find("#eod-mail").getText()).contains("--smtp-host");
      b.find("#eod-mail-send").click();
      b.waitFor("#eod-mail-result [data-code=SMTP_NOT_CONFIGURED]");
      b.script("document.getElementById('eod-mail').scrollIntoView();");
      b.screenshot("eod-mail-not-configured");
      // previous day: an empty day says so
      // by keyboard: the button is reachable without a mouse
      b.find("#eod-prev").sendKeys(Keys.ENTER);
      b.wait.until(d -> !today.get("date").asText().equals(b.find("#eod-figures").getDomAttribute("data-day")));
      assertThat(b.find("#eod-bills").getText()).contains("No bill was created this day");

      // --- a dispatcher: the exports their role may call, their own area only; no import or end of day
      b.script("window.scrollTo(0, 0);");
      b.find("#signout").click();
      b.signIn("nina", HubTestServer.PASSWORD);
      // signing in returns to the page the last user was on; the nav is what the role may open
      b.wait.until(d -> "app".equals(b.bodyAttribute("data-state")));
      assertThat(b.findAll("#nav a[data-nav='/import']")).isEmpty();
      assertThat(b.findAll("#nav a[data-nav='/eod']")).isEmpty();
      b.go("/exports", "exports");
      assertThat(b.findAll(".export-card")).hasSize(2);
      assertThat(b.findAll("#x-bags-area")).isEmpty();
      assertThat(b.find("#exports-note").getText()).contains("area NORTH only");
      Object own = b.script("return fetch(arguments[0]).then(r => r.status);", b.find("#export-scans-csv").getDomAttribute("href"));
      assertThat(own).isEqualTo(200L);

      // --- a phone (the admin again)
      b.find("#signout").click();
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.wait.until(d -> "app".equals(b.bodyAttribute("data-state")));
      b.browser.manage().window().setSize(new Dimension(390, 844));
      b.go("/eod", "eod");
      b.waitFor("#eod-figures");
      b.screenshot("eod-phone");
      b.go("/import", "import");
      b.screenshot("import-phone");

      assertThat(b.injectedScriptRan()).isFalse();
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  private static String figure(long n) {
    return NumberFormat.getIntegerInstance(Locale.US).format(n);
  }
}
