package io.tracetrack.web.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * The one way both apps' browser tests start a real headless Chromium: Debian's {@code chromium}
 * and {@code chromium-driver} ({@code .ci/run} installs them), named explicitly so Selenium Manager
 * never reaches for the network, with a fresh profile per browser. Where they are missing the test
 * is skipped with a message rather than failing.
 *
 * <p>A test that needs a browser for a while and then none {@link #lend borrows} one and {@link
 * #giveBack gives it back}: a Chromium with its driver costs about a CPU-second to start, and the
 * browser tests start dozens of them in a build. What a test leaves behind does not reach the next
 * one: each test's server listens on a port of its own, so its pages are an origin of their own
 * (storage, cache, service workers), and the cookies, the windows, the page's storage and the
 * console messages are cleared when the browser comes back.
 */
public final class Browsers {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Browsers() {}

  /** Skips the calling test (class) unless Chromium and ChromeDriver are installed. */
  public static void assumeChromium() {
    assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("Chromium and ChromeDriver from Debian (apt-get install chromium chromium-driver)")
        .isTrue();
  }

  /**
   * A headless Chromium of {@code width}×{@code height} with its own profile in {@code profile}.
   *
   * @param extraArguments more Chromium flags (autoplay, say)
   */
  public static WebDriver chromium(Path profile, int width, int height, String... extraArguments) {
    assumeChromium();
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, String.format(Locale.ROOT, "--window-size=%d,%d", width, height));
    options.addArguments(extraArguments);
    // the page's console errors (CSP refusals, uncaught exceptions), for tests to show when they fail
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  /** Browsers of this JVM waiting for a test, by their extra arguments. */
  private static final Map<List<String>, WebDriver> IDLE = new HashMap<>();
  /** Browsers lent out, with the arguments they were started with. */
  private static final Map<WebDriver, List<String>> LENT = new IdentityHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      List<WebDriver> idle;
      synchronized (Browsers.class) {
        idle = new ArrayList<>(IDLE.values());
        IDLE.clear();
      }
      idle.forEach(Browsers::quitQuietly);
    }, "browsers-quit"));
  }

  /**
   * A headless Chromium of {@code width}×{@code height} for one test: this JVM's idle one started
   * with the same {@code extraArguments} if there is one, else a new one. Give it back with
   * {@link #giveBack} when the test is done with it.
   */
  public static WebDriver lend(int width, int height, String... extraArguments) {
    assumeChromium();
    List<String> kind = List.of(extraArguments);
    WebDriver browser;
    synchronized (Browsers.class) {
      browser = IDLE.remove(kind);
    }
    if (browser != null) {
      try {
        browser.manage().window().setSize(new Dimension(width, height));
      } catch (RuntimeException e) {
        quitQuietly(browser); // it died (a crash, a killed driver): a new one then
        browser = null;
      }
    }
    if (browser == null) {
      try {
        browser = chromium(Files.createTempDirectory("browser-"), width, height, extraArguments);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a browser profile folder", e);
      }
      // sized as a lent one is: Chromium widens a window started narrower than 500 pixels
      // (--window-size=390,844 shows a 500-pixel-wide page), a resize does not
      browser.manage().window().setSize(new Dimension(width, height));
    }
    synchronized (Browsers.class) {
      LENT.put(browser, kind);
    }
    return browser;
  }

  /**
   * Takes back a browser {@link #lend} gave out, cleared of what the test left: the page's storage,
   * every cookie, every window but one, an open alert, the console's messages. One that cannot be
   * cleared, or a second idle one of its kind, is quit.
   */
  public static void giveBack(WebDriver browser) {
    List<String> kind;
    synchronized (Browsers.class) {
      kind = LENT.remove(browser);
    }
    if (kind == null) {
      throw new IllegalArgumentException("not a browser Browsers.lend gave out");
    }
    try {
      try {
        browser.switchTo().alert().dismiss();
      } catch (NoAlertPresentException e) {
        // the usual case
      }
      List<String> windows = new ArrayList<>(browser.getWindowHandles());
      for (String window : windows.subList(1, windows.size())) {
        browser.switchTo().window(window).close();
      }
      browser.switchTo().window(windows.get(0));
      ((JavascriptExecutor) browser).executeScript("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}");
      browser.get("about:blank");
      ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", Map.of());
      browser.manage().logs().get(LogType.BROWSER); // reading the messages takes them: the next test starts with none
    } catch (RuntimeException e) {
      quitQuietly(browser);
      return;
    }
    WebDriver other;
    synchronized (Browsers.class) {
      other = IDLE.putIfAbsent(kind, browser);
    }
    if (other != null) {
      quitQuietly(browser);
    }
  }

  private static void quitQuietly(WebDriver browser) {
    try {
      browser.quit();
    } catch (RuntimeException e) {
      // already gone
    }
  }

  /**
   * Saves what the browser shows as {@code target/screenshots/<name>.png} (the module's build
   * folder), the test output a reviewer looks at.
   */
  public static Path screenshot(WebDriver browser, String name) {
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("a screenshot name is lower-case words joined by '-': " + name);
    }
    try {
      Path folder = Path.of("target", "screenshots");
      Files.createDirectories(folder);
      Path file = folder.resolve(name + ".png");
      Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
          StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save screenshot " + name, e);
    }
  }
}
