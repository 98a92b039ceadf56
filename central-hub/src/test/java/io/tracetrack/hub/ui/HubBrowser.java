package io.tracetrack.hub.ui;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.web.testing.Browsers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real hub (H2, in this JVM) and a real headless Chromium pointed at its pages (lent by
 * {@link Browsers#lend} for the test): what every browser journey of the hub starts from. Pages
 * mark themselves on {@code <body>}: {@code data-state} (signin / app) and {@code data-page} (the
 * route's page name), which is what the waits below key on rather than on timings.
 */
public final class HubBrowser implements AutoCloseable {

  public final HubTestServer hub;
  public final WebDriver browser;
  public final WebDriverWait wait;

  private HubBrowser(HubTestServer hub, WebDriver browser) {
    this.hub = hub;
    this.browser = browser;
    this.wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    // pages redraw a box after a change (a user's editor, say): one found a moment ago may be gone
    // when its text is read, which means "look again", not a failure
    this.wait.ignoring(StaleElementReferenceException.class);
  }

  /** A hub and a desktop-sized browser; skipped (not failed) where Chromium is not installed. */
  public static HubBrowser start(String... hubFlags) throws Exception {
    return start(1280, 900, hubFlags);
  }

  /** A hub and a browser of the given size (390×844 is a phone). */
  public static HubBrowser start(int width, int height, String... hubFlags) throws Exception {
    Browsers.assumeChromium();
    HubTestServer hub = HubTestServer.start("h2", hubFlags);
    try {
      // this JVM's browser, lent for the test and cleared when it comes back (see Browsers)
      WebDriver browser = Browsers.lend(width, height);
      HubBrowser b = new HubBrowser(hub, browser);
      browser.get(hub.uri("/").toString());
      return b;
    } catch (RuntimeException | Error e) {
      hub.close();
      throw e;
    }
  }

  public String url(String hash) {
    return hub.uri("/").toString() + "#" + hash;
  }

  public WebElement find(String css) {
    return browser.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  public String bodyAttribute(String name) {
    return browser.findElement(By.tagName("body")).getDomAttribute(name);
  }

  /** Waits until the body says the app shows {@code page}. */
  public void waitForPage(String page) {
    wait.until(d -> "app".equals(bodyAttribute("data-state")) && page.equals(bodyAttribute("data-page"))
        && d.findElements(By.cssSelector("#view .loading")).isEmpty());
  }

  public void waitForSignIn() {
    wait.until(d -> "signin".equals(bodyAttribute("data-state")));
  }

  /** Waits for an element matching {@code css} to show and returns it. */
  public WebElement waitFor(String css) {
    return wait.until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** Waits until the element's text contains {@code text}. */
  public void waitForText(String css, String text) {
    wait.until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return !found.isEmpty() && found.get(0).getText().contains(text);
    });
  }

  /** Signs in through the page (and its TOTP step when {@code totp} is given). */
  public void signIn(String user, String password) {
    waitForSignIn();
    find("#signin-user").clear();
    find("#signin-user").sendKeys(user);
    find("#signin-password").sendKeys(password);
    find("#signin-submit").click();
  }

  /** Opens a page by its address. */
  public void go(String hash, String page) {
    browser.get(url(hash));
    waitForPage(page);
  }

  /** Types like a wedge scanner into the focused field: the characters, then Enter. */
  public void scan(WebElement input, String code) {
    input.sendKeys(code + Keys.ENTER);
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  /**
   * Whether any script injected through data ran: test data carries {@code <img src=x
   * onerror=window.__xss=1>} and {@code <script>window.__xss=1</script>}; the CSP and the kit's
   * text-only rendering must keep it from ever setting the flag.
   */
  public boolean injectedScriptRan() {
    return Boolean.TRUE.equals(script("return window.__xss === 1;"));
  }

  /**
   * Errors the page logged (uncaught exceptions, CSP refusals), for a test to show when it fails.
   * The hub's 4xx answers are left out: Chromium logs each one, and the pages handle them (a 401
   * to "who is signed in?" is how the sign-in screen starts).
   */
  public List<String> consoleErrors() {
    try {
      return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
          .map(LogEntry::getMessage)
          .filter(m -> !m.matches("(?s).*Failed to load resource: the server responded with a status of 4[0-9][0-9].*"))
          .toList();
    } catch (RuntimeException e) {
      return List.of("(browser log unavailable: " + e.getMessage() + ")");
    }
  }

  /** Saves a screenshot as {@code target/screenshots/<name>.png}. */
  public void screenshot(String name) {
    Browsers.screenshot(browser, name);
  }

  /** The hub's API as {@code who} (admin, biller, dispatcher), for setting up data. */
  public HubTestServer.Answer api(String method, String path, String body, String who) {
    return hub.send(method, path, hub.tokens.get(who), body == null ? null : "application/json", body);
  }

  /** A JSON object body from pairs. */
  public static String json(Map<String, Object> fields) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fields);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      Browsers.giveBack(browser);
    } finally {
      hub.close();
    }
  }
}
