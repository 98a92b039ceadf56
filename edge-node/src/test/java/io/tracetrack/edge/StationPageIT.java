package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import io.tracetrack.web.testing.Browsers;

/**
 * The station page in a real headless Chromium against the real edge jar: what a dispatcher does
 * with a wedge scanner (keys, then Enter or Tab), and what the page must show. Needs Debian's
 * chromium and chromium-driver ({@code .ci/run} installs them); elsewhere the test is skipped with
 * a message rather than failing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StationPageIT {

  @TempDir static Path data;
  @TempDir static Path profile;
  EdgeProcess edge;
  WebDriver browser;
  WebDriverWait wait;

  @BeforeAll
  void start() throws Exception {
    Browsers.assumeChromium();
    edge = EdgeProcess.server(data);
    browser = Browsers.chromium(profile, 1024, 768, "--autoplay-policy=no-user-gesture-required");
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    browser.get("http://127.0.0.1:" + edge.port() + "/");
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (edge != null) {
      edge.close();
    }
  }

  private String state() {
    return browser.findElement(By.tagName("body")).getDomAttribute("data-state");
  }

  private String lastOutcome() {
    return browser.findElement(By.tagName("body")).getDomAttribute("data-last-outcome");
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** Types like a wedge scanner: the characters, then Enter. */
  private void scan(String code) {
    browser.findElement(By.id("scan-input")).sendKeys(code + Keys.ENTER);
  }

  private void waitForCounter(String expected) {
    wait.until(d -> expected.equals(text("counter").replaceAll("\\s+", " ").trim()));
  }

  @Test
  @Order(1)
  void signIn_createsTheLocalDispatcher_andShowsParentMode() {
    wait.until(d -> "signin".equals(state()));
    // the field comes filled with this PC's station name; a dispatcher clicks it and types, and
    // what they type replaces the name instead of being glued to it
    assertThat(browser.findElement(By.id("station-input")).getDomProperty("value")).isEqualTo("station-1");
    browser.findElement(By.id("station-input")).click();
    browser.findElement(By.id("station-input")).sendKeys("station-1");
    browser.findElement(By.id("user-input")).sendKeys("asha");
    browser.findElement(By.id("password-input")).sendKeys("Asha-password-1");
    browser.findElement(By.id("signin-submit")).click();
    wait.until(d -> "parent".equals(state()));
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("scan-input");
    assertThat(text("who")).isEqualTo("asha · station-1");
  }

  @Test
  @Order(2)
  void scanningTheIssueSequence_showsCounterCompleteAndTheRefusal() {
    scan("P1001-3");
    wait.until(d -> "child".equals(state()));
    waitForCounter("0 / 3");
    scan("C1");
    waitForCounter("1 / 3");
    scan("C2");
    waitForCounter("2 / 3");
    scan("C3");
    wait.until(d -> "complete".equals(state()));
    waitForCounter("3 / 3");
    scan("C4");
    wait.until(d -> "REJECTED:PARENT_COMPLETE".equals(lastOutcome()));
    assertThat(text("message")).contains("P1001-3").contains("3 of 3");
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("scan-input");
  }

  @Test
  @Order(3)
  void undoButton_removesTheLastLink_andReopens() {
    browser.findElement(By.id("btn-undo")).click();
    waitForCounter("2 / 3");
    wait.until(d -> "child".equals(state()));
  }

  @Test
  @Order(4)
  void hostileText_isShownAsText_neverRun() {
    scan("<img src=x onerror=\"document.title='pwned'\">");
    wait.until(d -> "REJECTED:INVALID_CODE".equals(lastOutcome()));
    assertThat(browser.getTitle()).isNotEqualTo("pwned");
    assertThat(browser.findElements(By.cssSelector("#message img, #recent img"))).isEmpty();
    try {
      browser.switchTo().alert();
      throw new AssertionError("the page opened an alert");
    } catch (NoAlertPresentException expected) {
      // no alert(), ever
    }
    waitForCounter("2 / 3");
  }

  @Test
  @Order(5)
  void finishShort_asksOnThePage_thenConfirmFinishes() {
    scan("P2002-10");
    waitForCounter("0 / 10");
    scan("C20");
    waitForCounter("1 / 10");
    scan("CMD-FINISH");
    wait.until(d -> browser.findElement(By.id("confirm-panel")).isDisplayed());
    WebElement confirm = browser.findElement(By.id("btn-confirm"));
    wait.until(d -> confirm.isEnabled());
    confirm.click();
    wait.until(d -> "parent".equals(state()));
    assertThat(browser.findElement(By.id("confirm-panel")).isDisplayed()).isFalse();
  }

  @Test
  @Order(6)
  void tabEndsAScanToo_andAScannerBounceIsIgnored() {
    browser.findElement(By.id("scan-input")).sendKeys("P3003-5" + Keys.TAB);
    waitForCounter("0 / 5");
    browser.findElement(By.id("scan-input")).sendKeys("C30" + Keys.ENTER + "C30" + Keys.ENTER);
    waitForCounter("1 / 5");
    // a bounce is not an error: the last outcome stays the accepted link
    assertThat(lastOutcome()).isEqualTo("ACCEPTED");
  }

  @Test
  @Order(7)
  void thePageLoadsNothingFromAnywhereElse() throws Exception {
    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) ((JavascriptExecutor) browser)
        .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    String origin = "http://127.0.0.1:" + edge.port() + "/";
    assertThat(resources).allSatisfy(url -> assertThat(url).startsWith(origin));
  }

  @Test
  @Order(8)
  void syncStrip_onADockNotEnrolled_saysLocalOnly_withNoConflictsPanel() {
    wait.until(d -> d.findElement(By.id("sync-online")).getText().contains("not connected to a hub"));
    assertThat(browser.findElement(By.id("sync-strip")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("conflicts-panel")).isDisplayed()).isFalse();
    assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("scan-input");
  }

  /**
   * Issue #16 item 5: on a phone (390×844) a refusal's message, the counter and UNDO / FINISH /
   * CANCEL are all above the fold, and nothing scrolls sideways; measured by element boxes.
   */
  @Test
  @Order(9)
  void onAPhone_theMessageCounterAndCommandButtons_fitAboveTheFold() {
    // a 390×844 viewport (an iPhone 12's CSS pixels): the window's own frame comes on top
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    long frame = ((Number) ((JavascriptExecutor) browser).executeScript("return window.outerHeight - window.innerHeight;")).longValue();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, (int) (844 + frame)));
    try {
      scan("P9009-5");
      waitForCounter("0 / 5");
      scan("P9009-5-NOT-A-CODE");
      wait.until(d -> "error".equals(browser.findElement(By.id("status")).getDomAttribute("class").replaceAll(".*status-", "")));
      long height = ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight;")).longValue();
      for (String id : List.of("message", "counter", "btn-undo", "btn-finish", "btn-cancel", "scan-input")) {
        Number bottom = (Number) ((JavascriptExecutor) browser).executeScript(
            "return document.getElementById(arguments[0]).getBoundingClientRect().bottom;", id);
        assertThat(bottom.doubleValue()).as("#%s ends above the fold (%d px)", id, height).isLessThanOrEqualTo(height);
      }
      assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(
          "return document.documentElement.scrollWidth <= window.innerWidth + 1;")).as("no sideways scrolling; past the edge: %s",
          ((JavascriptExecutor) browser).executeScript("return [...document.querySelectorAll('body *')]"
              + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-5)"
              + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));")).isTrue();
    } catch (AssertionError e) {
      Browsers.screenshot(browser, "station-phone-failed");
      throw e;
    } finally {
      Browsers.screenshot(browser, "station-phone");
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1024, 768));
    }
  }

}
