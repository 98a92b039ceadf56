package io.tracetrack.web.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The one way both apps' browser tests start a real headless Chromium: Debian's {@code chromium}
 * and {@code chromium-driver} ({@code .ci/run} installs them), named explicitly so Selenium Manager
 * never reaches for the network, with a fresh profile per browser. Where they are missing the test
 * is skipped with a message rather than failing.
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
