package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The biller's pages in a real headless Chromium against a real hub: a bag's page, search (with
 * "did you mean"), the list of bills, a bill filled by scanning (bounce, refusals with their
 * reason, remove, live weights), a short close, the printed manifest with its QR picture, and
 * reopening; hostile text in a bill's fields is shown, never run. A dispatcher is kept out of bills.
 */
class BillerJourneyIT {

  private static final String XSS_DESTINATION = "<script>window.__xss=1</script>";
  private static final String XSS_VEHICLE = "<img src=x onerror=\"window.__xss=1\">";

  @Test
  void aBiller_billsALoad_byScanning_closesItShort_andPrintsTheManifest() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      // the bill page redraws on its live refresh: an element found a moment ago may be replaced
      b.wait.ignoring(StaleElementReferenceException.class);
      // the floor's work, through the API: three parents with children, and one on another bill
      link(b, "P12-10", "C2001", "C2002", "C2003");
      link(b, "P13-2", "C2011", "C2012");
      link(b, "P14-10", "C2021");
      link(b, "P15-5", "C2031");
      assertThat(b.api("POST", "/api/v1/bills", HubBrowser.json(Map.of("id", "OTHER001", "destination", "Pune",
          "vehicle", "MH14 X 1", "capacity", 3)), "biller").status()).isEqualTo(201);
      assertThat(b.api("POST", "/api/v1/bills/OTHER001/parents", "{\"parent\":\"P15-5\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller").status()).isEqualTo(200);

      b.signIn("bella", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      assertThat(b.find("#nav").getText()).contains("Bags").contains("Search").contains("Bills");

      // a bag: scanned into the lookup box, it opens its page
      b.go("/bags", "bag-lookup");
      b.scan(b.waitFor("#bag-code"), "p12-10");
      b.waitForPage("bag");
      b.waitFor("#bag-children");
      assertThat(b.find("#bag-children").getText()).contains("C2001").contains("C2003");
      assertThat(b.find("#bag-facts").getText()).contains("3 of 10 expected");
      assertThat(b.find("#bag-history").getText()).contains("C2003");
      b.screenshot("hub-bag");
      b.find("#bag-children a").click();
      b.waitForPage("bag");
      b.waitForText("#bag-parent", "P12-10");

      // search: a prefix, then a miss with "did you mean"
      b.go("/search?q=P1", "search");
      b.waitFor("#search-results table");
      assertThat(b.findAll("#search-results tr[data-code]")).hasSize(4);
      b.screenshot("hub-search");
      b.go("/search?q=P12-19", "search");
      b.waitFor("#did-you-mean a").click();
      b.waitFor("#search-exact");
      assertThat(b.find("#search-exact").getText()).contains("P12-10");

      // bills: the list, then a new bill whose fields carry hostile text
      b.go("/bills", "bills");
      b.waitFor("#bills-list tr[data-bill='OTHER001']");
      b.find("#bill-new").click();
      b.waitFor("#f-id").sendKeys("AB");
      b.find("#f-destination").sendKeys(XSS_DESTINATION);
      b.find("#f-vehicle").sendKeys(XSS_VEHICLE);
      WebElement capacity = b.find("#f-capacity");
      capacity.clear();
      capacity.sendKeys("5" + Keys.ENTER);
      b.waitFor("#f-id-error");
      assertThat(b.find("#f-id").getDomAttribute("aria-invalid")).isEqualTo("true");
      assertThat(b.find("#f-id-error").getText()).contains("6 to 20 letters and digits");
      b.screenshot("hub-bill-create-error");
      b.find("#f-id").clear();
      b.find("#f-id").sendKeys("DEL2026001" + Keys.ENTER);
      b.waitForPage("bill");
      b.waitForText("#bill-destination", XSS_DESTINATION);
      assertThat(text(b, "#bill-vehicle")).isEqualTo(XSS_VEHICLE);

      // scanning: the focus is in the scan box; Enter ends each scan
      WebElement scan = b.waitFor("#bill-scan");
      assertThat(b.script("return document.activeElement.id;")).isEqualTo("bill-scan");
      b.scan(scan, "P12-10");
      // P12-10 holds 3 of 10: not ready, so it goes on only with a reason (issue #16 item 2)
      b.waitFor("#scan-message[data-outcome='error']");
      b.waitForText("#scan-message", "P12-10 has 3 of 10 children");
      b.waitFor("#force-reason").sendKeys("customer takes a part load" + Keys.ENTER);
      b.waitFor("#scan-message[data-outcome='ok']");
      assertThat(attr(b, "#bill-scan-panel", "data-feedback")).isEqualTo("ok");
      b.waitForText("[data-forced='P12-10']", "customer takes a part load");
      b.waitFor("#bill-warnings [data-warning='PARENT_SHORT']");
      b.wait.until(d -> "bill-scan".equals(b.script("return document.activeElement.id;")));
      // the scanner's echo: the same code twice in one burst is taken once
      scan.sendKeys("P13-2" + Keys.ENTER + "P13-2" + Keys.ENTER);
      b.waitForText("#bill-parent-count", "2");
      b.wait.until(d -> "1".equals(scan.getDomAttribute("data-bounced")));
      b.waitForText("#scan-message", "P13-2 added");
      // refused: on another bill (named, with what to do), and unknown
      b.scan(scan, "P15-5");
      b.waitFor("#scan-message[data-outcome='error']");
      b.waitForText("#scan-message", "P15-5 is on bill OTHER001");
      assertThat(text(b, "#scan-message")).contains("remove it there first");
      assertThat(attr(b, "#bill-scan-panel", "data-feedback")).isEqualTo("error");
      assertThat(b.findAll("#scan-message [role=alert]")).isNotEmpty();
      b.scan(scan, "P99-5");
      b.waitForText("#scan-message", "P99-5 is not known to the hub");
      assertThat(text(b, "#bill-parent-count")).isEqualTo("2");
      assertThat(attr(b, "#bill-weights", "data-actual-kg")).isEqualTo("5");
      // the parents' own counts at 1 kg a child: 10 + 2 (it said 2 × 30 = 60 kg before)
      assertThat(attr(b, "#bill-weights", "data-expected-kg")).isEqualTo("12");
      b.screenshot("hub-bill");

      // remove one (confirmed); the weights follow
      press(b, "button[data-remove='P13-2']");
      b.waitFor("#dialog-confirm").click();
      b.waitForText("#bill-parent-count", "1");
      b.waitForText("[data-figure=actual] .card-value", "3 kg");
      assertThat(b.findAll("tr[data-parent='P13-2']")).isEmpty();
      // live: a child linked at a dock meanwhile shows without a reload
      link(b, "P12-10", "C2004");
      b.waitForText("[data-figure=actual] .card-value", "4 kg");
      assertThat(attr(b, "#bill-weights", "data-actual-kg")).isEqualTo("4");

      // finalize: 1 of 5 is a short close, and the dialog says so
      press(b, "#bill-finalize");
      b.waitForText("#dialog-title", "Short close");
      b.screenshot("hub-bill-short-close");
      b.find("#dialog-confirm").click();
      b.wait.until(d -> "FINALIZED".equals(b.bodyAttribute("data-bill-status")));
      assertThat(text(b, "#bill-status")).contains("Finalized short");
      assertThat(b.script("return document.getElementById('bill-scan-panel').hidden;")).isEqualTo(true);
      assertThat(b.api("GET", "/api/v1/bills/DEL2026001", null, "biller").json().get("shortClosed").asBoolean()).isTrue();

      // the manifest: paper-white, the frame hidden, the QR picture loaded
      press(b, "#bill-print");
      b.waitForPage("bill-print");
      b.waitFor("#manifest");
      qrLoaded(b);
      assertThat(b.find("#manifest-destination").getText()).isEqualTo(XSS_DESTINATION);
      assertThat(b.find("#manifest-vehicle").getText()).isEqualTo(XSS_VEHICLE);
      assertThat(b.find("#manifest-totals").getText()).contains("Parents: 1 of 5").contains("4 kg");
      assertThat(b.find(".topbar").isDisplayed()).as("the app's frame is hidden on the print view").isFalse();
      assertThat(b.find("#manifest tr[data-parent='P12-10']").getText()).contains("4 of 10")
          .contains("Added anyway: customer takes a part load");
      assertThat(b.find("#manifest-warnings").getText()).contains("P12-10 has 4 of 10 (added anyway: customer takes a part load)")
          .contains("the load is short");
      assertThat(b.find("#manifest-expected").getText()).isEqualTo("10 kg");
      b.screenshot("hub-manifest");

      // back to the bill, reopen (confirmed): open again, scanning again
      b.find("#print-back").click();
      b.waitForPage("bill");
      assertThat(b.find(".topbar").isDisplayed()).isTrue();
      press(b, "#bill-reopen");
      b.waitFor("#dialog-confirm").click();
      b.wait.until(d -> "OPEN".equals(b.bodyAttribute("data-bill-status")));
      b.waitFor("#bill-scan");

      // the list shows the new bill, its text literal
      b.go("/bills", "bills");
      b.waitFor("#bills-list tr[data-bill='DEL2026001']");
      assertThat(b.find("#bills-list tr[data-bill='DEL2026001']").getText()).contains(XSS_DESTINATION);
      b.screenshot("hub-bills");

      assertThat(b.injectedScriptRan()).as("hostile text in a bill's fields never ran").isFalse();
      assertThat(b.consoleErrors()).as("the pages logged no errors (CSP refusals, exceptions)").isEmpty();
    }
  }

  @Test
  void onAPhone_theBillPageAndTheManifest_fitTheScreen() throws Exception {
    try (HubBrowser b = HubBrowser.start(390, 844)) {
      b.wait.ignoring(StaleElementReferenceException.class);
      link(b, "P21-10", "C3001", "C3002");
      assertThat(b.api("POST", "/api/v1/bills", HubBrowser.json(Map.of("id", "PHONE0001", "destination", "Nagpur depot",
          "vehicle", "MH31 CQ 4455", "capacity", 10)), "biller").status()).isEqualTo(201);
      b.api("POST", "/api/v1/bills/PHONE0001/parents", "{\"parent\":\"P21-10\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller");
      b.signIn("bella", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      b.go("/bills/PHONE0001", "bill");
      b.waitFor("tr[data-parent='P21-10']");
      assertThat(fitsTheScreen(b)).as("nothing wider than the phone's screen").isTrue();
      b.screenshot("hub-phone-bill");
      // edit: a capacity out of range is refused beside its field; a good one is saved
      press(b, "#bill-edit-open");
      WebElement capacity = b.waitFor("#f-capacity");
      capacity.clear();
      capacity.sendKeys("0" + Keys.ENTER);
      b.waitFor("#f-capacity-error");
      assertThat(b.find("#f-capacity").getDomAttribute("aria-invalid")).isEqualTo("true");
      b.screenshot("hub-phone-bill-edit");
      b.find("#f-capacity").clear();
      b.find("#f-capacity").sendKeys("12" + Keys.ENTER);
      b.waitForText("#bill-facts", "12 parents");
      assertThat(b.api("GET", "/api/v1/bills/PHONE0001", null, "biller").json().get("capacity").asInt()).isEqualTo(12);
      b.go("/bills/PHONE0001/print", "bill-print");
      b.waitFor("#manifest");
      qrLoaded(b);
      assertThat(fitsTheScreen(b)).isTrue();
      b.screenshot("hub-phone-manifest");
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  @Test
  void aDispatcher_seesBagsAndSearch_butNoBills() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      link(b, "P31-10", "C4001");
      b.signIn("nina", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      assertThat(b.findAll("#nav a[data-nav='/bills']")).as("no Bills section for a dispatcher").isEmpty();
      assertThat(b.findAll("#nav a[data-nav='/bags']")).hasSize(1);
      b.go("/bills", "forbidden");
      b.go("/bills/ANYBILL01/print", "forbidden");
      assertThat(b.api("GET", "/api/v1/bills", null, "dispatcher").status()).isEqualTo(403);
      assertThat(b.api("GET", "/api/v1/bills/ANYBILL01/qr.png", null, "dispatcher").status()).isEqualTo(403);
      b.go("/bags/P31-10", "bag");
      b.waitFor("#bag-children");
      b.go("/search?q=P31", "search");
      b.waitFor("#search-results tr[data-code='P31-10']");
      assertThat(b.browser.findElements(By.cssSelector("#search-bills"))).as("no bills among a dispatcher's hits").isEmpty();
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  /**
   * An element's text read in the page: the bill page redraws on its live refresh, so a Selenium
   * reference taken a moment earlier may already be gone.
   */
  private static String text(HubBrowser b, String css) {
    return (String) b.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
  }

  private static String attr(HubBrowser b, String css, String name) {
    return (String) b.script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
        css, name);
  }

  /** Clicks a button in the middle of the screen: the sticky bar must not be what Selenium clicks. */
  private static void press(HubBrowser b, String css) {
    WebElement button = b.waitFor(css);
    b.script("arguments[0].scrollIntoView({block: 'center'});", button);
    button.click();
  }

  /** Waits until the manifest's QR picture has loaded (the hub drew it; the cookie was enough). */
  private static void qrLoaded(HubBrowser b) {
    b.wait.until(d -> Boolean.TRUE.equals(b.script(
        "const i = document.getElementById('manifest-qr'); return i.complete && i.naturalWidth > 0;")));
  }

  private static boolean fitsTheScreen(HubBrowser b) {
    return Boolean.TRUE.equals(b.script("return document.documentElement.scrollWidth <= window.innerWidth + 1;"));
  }

  /** Makes a parent (if new) and links children to it, as the dispatcher. */
  private static void link(HubBrowser b, String parent, String... children) {
    assertThat(b.api("POST", "/api/v1/bags", HubBrowser.json(Map.of("code", parent)), "dispatcher").status())
        .as("parent %s", parent).isBetween(200, 201);
    for (String child : children) {
      int status = b.api("POST", "/api/v1/links", HubBrowser.json(Map.of("parent", parent, "child", child)), "dispatcher").status();
      assertThat(status).as("link %s → %s", child, parent).isBetween(200, 201);
    }
  }
}
