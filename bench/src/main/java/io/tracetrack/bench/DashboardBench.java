package io.tracetrack.bench;

import io.tracetrack.hub.db.HubDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The hub's dashboard page at production size ({@code parents × 30} children, 1.8 M at 60,000
 * parents, loaded by {@link HubBench#load} with its counters), the hub as its own process on a real
 * PostgreSQL (started as {@link ExportBench} does), opened in Debian's headless Chromium. Every run is
 * a fresh navigation with the browser cache off, timed by the browser's own clock: first contentful
 * paint, the moment the real parent total and the 14-day chart are in the page, and the {@code
 * /api/v1/stats} request from its Resource Timing entry. Peers in the same run: the sign-in page (the
 * same files, no data) in the same browser, and {@code /api/v1/stats} over a plain HTTP client.
 */
final class DashboardBench {

  /** 60,000 parents × 30 children: the 1.8 M bags the issue asks for. */
  private static final int FULL_PARENTS = 60_000;
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** How long a page may take to show what is waited for before the bench gives up and says what was missing. */
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);
  /**
   * The hub serves a computed dashboard again for up to a second (Stats.MAX_AGE); runs are spaced by
   * more than that so every measured request computes the figures from PostgreSQL.
   */
  private static final long PAST_STATS_CACHE_MILLIS = 1_100;

  /**
   * Installed before any script of the page (CDP, which page CSP does not apply to): records, by the
   * page's own clock, when the sign-in form is up ({@code __ttSignin}) and when the parent total reads
   * EXPECTED and the chart has 14 points and its canvas ({@code __ttLive}). A MutationObserver sees the
   * change as it happens, so polling from Selenium only has to notice it was recorded.
   */
  private static final String PROBE = """
      (() => {
        const want = 'EXPECTED';
        const check = () => {
          if (window.__ttSignin === undefined && document.body && document.body.dataset.state === 'signin') {
            window.__ttSignin = performance.now();
          }
          if (window.__ttLive === undefined) {
            const value = document.querySelector('[data-figure=parents] .card-value');
            const chart = document.querySelector('#scans-chart');
            if (value && chart && value.textContent.replace(/[^0-9]/g, '') === want && chart.dataset.points === '14'
                && chart.querySelector('canvas')) {
              window.__ttLive = performance.now();
            }
          }
        };
        new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      })();
      """;

  /** Read after a run: the paint, the probe's marks and the stats request's timing, all in ms of the page's clock. */
  private static final String READ = """
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const stats = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/stats'))[0];
      return {
        fcp: paint ? paint.startTime : -1,
        signin: window.__ttSignin ?? -1,
        live: window.__ttLive ?? -1,
        statsServer: stats ? stats.responseStart - stats.requestStart : -1,
        statsTotal: stats ? stats.responseEnd - stats.startTime : -1,
      };
      """;

  private final Path workDir;
  private final int parents;
  private final int runs;

  DashboardBench(Path workDir, int parents, int runs) {
    if (runs < 2) {
      throw new IllegalArgumentException("--runs must be at least 2 (the first is reported apart as JIT-cold), not " + runs);
    }
    this.workDir = workDir;
    this.parents = parents;
    this.runs = runs;
  }

  /** One page load by the browser's clock (ms from navigation start); -1 where the page had no such entry. */
  record Load(double fcp, double ready, double statsServer, double statsTotal) {}

  String run() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("the dashboard benchmark needs Debian's chromium and chromium-driver "
          + "(apt-get install chromium chromium-driver)");
    }
    Files.createDirectories(workDir);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 100)) {
      String url = BenchPostgres.createDatabase(pg, "dashbench");
      double loadSeconds;
      long bags;
      try (HubDatabase db = HubDatabase.postgres(url, "postgres", "postgres", 4)) {
        loadSeconds = HubBench.load(db, parents);
        bags = ((Number) db.dsl().fetchValue("select count(*) from bag")).longValue();
      }
      int port = ExportBench.freePort();
      Process hub = ExportBench.startHub(workDir, url, port);
      try {
        ExportBench.awaitReady(workDir, port, hub);
        String base = "http://127.0.0.1:" + port;
        List<Load> signin = new ArrayList<>();
        List<Load> desktop = new ArrayList<>();
        List<Load> phone = new ArrayList<>();
        WebDriver browser = chromium(workDir.resolve("profile-desktop"), 1280, 800);
        try {
          for (int i = 0; i < runs; i++) {
            signin.add(open(browser, base + "/", "sign-in form", parents));
          }
          signIn(browser, base);
          for (int i = 0; i < runs; i++) {
            Thread.sleep(PAST_STATS_CACHE_MILLIS);
            desktop.add(open(browser, base + "/#/dashboard", "dashboard figures", parents));
          }
        } finally {
          browser.quit();
        }
        WebDriver small = chromium(workDir.resolve("profile-phone"), 390, 844);
        try {
          signIn(small, base);
          for (int i = 0; i < runs; i++) {
            Thread.sleep(PAST_STATS_CACHE_MILLIS);
            phone.add(open(small, base + "/#/dashboard", "dashboard figures at phone size", parents));
          }
        } finally {
          small.quit();
        }
        String token = HubBench.token(port);
        List<Double> rawComputed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          Thread.sleep(PAST_STATS_CACHE_MILLIS);
          rawComputed.add(statsMillis(base, token));
        }
        List<Double> rawCached = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          rawCached.add(statsMillis(base, token));
        }
        return report(bags, loadSeconds, signin, desktop, phone, rawComputed, rawCached);
      } finally {
        hub.destroy();
        if (!hub.waitFor(30, TimeUnit.SECONDS)) {
          hub.destroyForcibly();
        }
      }
    }
  }

  /** Debian's Chromium with the flags of web-kit's Browsers (copied: that class lives in a test-jar with AssertJ). */
  private static WebDriver chromium(Path profile, int width, int height) {
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, String.format(Locale.ROOT, "--window-size=%d,%d", width, height));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(PAGE_TIMEOUT);
    // cold loads: every file of the page fetched again, as a first visit would
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
    return driver;
  }

  private static void signIn(WebDriver browser, String base) {
    browser.get(base + "/");
    WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT);
    awaitOrExplain(wait, browser, () -> "signin".equals(bodyAttribute(browser, "data-state")), "the sign-in form");
    browser.findElement(By.id("signin-user")).sendKeys("admin");
    browser.findElement(By.id("signin-password")).sendKeys(ExportBench.ADMIN_PASSWORD);
    browser.findElement(By.id("signin-submit")).click();
    awaitOrExplain(wait, browser, () -> "dashboard".equals(bodyAttribute(browser, "data-page")),
        "the dashboard after signing in as admin");
  }

  /**
   * A fresh document (from about:blank) at {@code url}, the probe installed first; waits for the
   * probe's mark of {@code what} and reads the timings.
   */
  private static Load open(WebDriver browser, String url, String what, int parents) {
    ChromeDriver chrome = (ChromeDriver) browser;
    browser.get("about:blank");
    Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", PROBE.replace("EXPECTED", Integer.toString(parents)))).get("identifier");
    try {
      browser.get(url);
      boolean dashboard = url.contains("#/dashboard");
      String mark = dashboard ? "__ttLive" : "__ttSignin";
      awaitOrExplain(new WebDriverWait(browser, PAGE_TIMEOUT, Duration.ofMillis(20)), browser,
          () -> ((JavascriptExecutor) browser).executeScript("return window." + mark + " !== undefined;") == Boolean.TRUE,
          what + (dashboard ? " (parent total " + String.format(Locale.ROOT, "%,d", parents)
              + " in [data-figure=parents] .card-value, #scans-chart with data-points=14 and a canvas)" : ""));
      // the paint entry is queued after the frame that painted: a page ready before its first
      // frame (the sign-in form) would otherwise be read without one
      try {
        new WebDriverWait(browser, Duration.ofSeconds(3), Duration.ofMillis(20)).until(d -> ((JavascriptExecutor) d)
            .executeScript("return performance.getEntriesByName('first-contentful-paint').length > 0;") == Boolean.TRUE);
      } catch (org.openqa.selenium.TimeoutException e) {
        // reported as missing (-1) and left out of the medians
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(READ);
      double ready = number(m.get(dashboard ? "live" : "signin"));
      return new Load(number(m.get("fcp")), ready, number(m.get("statsServer")), number(m.get("statsTotal")));
    } finally {
      chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
    }
  }

  /** Waits for {@code condition}; on timeout fails naming what never appeared and what the page showed instead. */
  private static void awaitOrExplain(WebDriverWait wait, WebDriver browser, java.util.function.BooleanSupplier condition,
      String what) {
    try {
      wait.until(d -> condition.getAsBoolean());
    } catch (TimeoutException e) {
      Object seen = ((JavascriptExecutor) browser).executeScript("""
          const v = document.querySelector('[data-figure=parents] .card-value');
          const c = document.querySelector('#scans-chart');
          return 'body data-state=' + (document.body && document.body.dataset.state)
            + ' data-page=' + (document.body && document.body.dataset.page)
            + ', parents card=' + (v ? JSON.stringify(v.textContent) : 'absent')
            + ', #scans-chart=' + (c ? 'data-points=' + c.dataset.points + ' canvas=' + !!c.querySelector('canvas') : 'absent')
            + ', error=' + JSON.stringify((document.querySelector('.notice-error:not([hidden])') || {}).textContent || '');
          """);
      throw new IllegalStateException("the page did not show " + what + " within " + PAGE_TIMEOUT.toSeconds()
          + " s; it showed: " + seen, e);
    }
  }

  private static String bodyAttribute(WebDriver browser, String name) {
    return browser.findElement(By.tagName("body")).getDomAttribute(name);
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : -1;
  }

  /** One {@code GET /api/v1/stats} over a plain HTTP client, as an integrator would; ms to the whole body. */
  private static double statsMillis(String base, String token) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stats"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    double millis = (System.nanoTime() - start) / 1e6;
    if (res.statusCode() != 200) {
      throw new IllegalStateException("/api/v1/stats answered " + res.statusCode() + ": " + res.body());
    }
    return millis;
  }

  private String report(long bags, double loadSeconds, List<Load> signin, List<Load> desktop, List<Load> phone,
      List<Double> rawComputed, List<Double> rawCached) {
    StringBuilder md = new StringBuilder("## Dashboard page at 1.8 M bags (issue #8)\n\n");
    md.append("Command: `./tracetrack bench dashboard` (`--parents N`, `--runs N`)  \n");
    md.append("Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ").append(Runtime.version())
        .append(", PostgreSQL 18 (embedded binaries, fsync on), the hub as its own process, Debian's headless Chromium ")
        .append("(Selenium) and the HTTP client all on this machine\n\n");
    if (parents != FULL_PARENTS) {
      md.append(String.format(Locale.ROOT, "**Not the measurement: a run at %,d parents (`--parents %d`), not the 60,000 of "
          + "1.8 M bags.**%n%n", parents, parents));
    }
    md.append(String.format(Locale.ROOT, "Loaded %,d bags (%,d parents × 30 children, created over the last 14 days) with COPY "
        + "in %.1f s, with the counters the dashboard reads (totals and scans per day) as the writes would have kept them.%n%n",
        bags, parents, loadSeconds));
    md.append(String.format(Locale.ROOT, "%d runs of each page, every one a fresh navigation (from `about:blank`) with the "
        + "browser cache off (CDP `Network.setCacheDisabled`), so every file is fetched again; the runs are %,d ms apart, "
        + "past the hub's one-second stats cache, so every dashboard computes its figures. Times in ms from navigation start "
        + "by the page's own clock: first paint = `first-contentful-paint`; ready = the sign-in form up (`body[data-state=signin]`), "
        + "or, for the dashboard, the parent card reading %,d and `#scans-chart` holding 14 points and its canvas (seen by "
        + "a MutationObserver installed before the page's scripts); stats = the `/api/v1/stats` Resource Timing entry, request "
        + "sent to first byte (server) and start to end (total). Run 1 is JIT-cold and reported apart; median and p99 are "
        + "over runs 2–%d.%n%n", runs, PAST_STATS_CACHE_MILLIS, parents, runs));
    md.append("| page | window | run 1 first paint | run 1 ready | first paint median / p99 | ready median / p99 "
        + "| stats server median / p99 | stats total median / p99 |\n|---|---|---|---|---|---|---|---|\n");
    md.append(row("sign-in page `/` (peer: same files, no data)", "1280×800", signin, false));
    md.append(row("dashboard `/#/dashboard`", "1280×800", desktop, true));
    md.append(row("dashboard `/#/dashboard`, phone", "390×844", phone, true));
    md.append('\n');
    double signinReady = median(warm(signin, Load::ready));
    double signinPaint = median(warm(signin, Load::fcp));
    double liveDesktop = median(warm(desktop, Load::ready));
    double livePhone = median(warm(phone, Load::ready));
    double serverDesktop = median(warm(desktop, Load::statsServer));
    double raw = median(rawComputed.subList(1, rawComputed.size()));
    md.append(String.format(Locale.ROOT, "Peer over HTTP, same run: `GET /api/v1/stats` with a bearer token from Java's "
        + "HttpClient (a new client per call, so connection set-up included), %d calls %,d ms apart (computed each time): "
        + "first %.1f ms, then median %.1f / p99 %.1f ms; 100 back to back (served from the one-second cache): median %.1f / "
        + "p99 %.1f ms.%n%n", rawComputed.size(), PAST_STATS_CACHE_MILLIS, rawComputed.get(0), raw,
        p99(rawComputed.subList(1, rawComputed.size())), median(rawCached), p99(rawCached)));
    md.append(String.format(Locale.ROOT, "- Dashboard first paint ÷ sign-in page first paint (medians): %.1f ÷ %.1f ms = %.2f×%n",
        median(warm(desktop, Load::fcp)), signinPaint, median(warm(desktop, Load::fcp)) / signinPaint));
    md.append(String.format(Locale.ROOT, "- Dashboard live figures ÷ sign-in page ready (medians): %.1f ÷ %.1f ms = %.2f×; "
        + "at phone size %.1f ms = %.2f×%n", liveDesktop, signinReady, liveDesktop / signinReady, livePhone,
        livePhone / signinReady));
    md.append(String.format(Locale.ROOT, "- Stats request in the browser (server part) ÷ raw HTTP stats (medians): %.1f ÷ %.1f ms "
        + "= %.2f×%n", serverDesktop, raw, serverDesktop / raw));
    md.append(String.format(Locale.ROOT, "- Share of the dashboard's time to live figures spent waiting for `/api/v1/stats` "
        + "(median stats total ÷ median ready): %.0f %%%n", 100 * median(warm(desktop, Load::statsTotal)) / liveDesktop));
    return md.toString();
  }

  private String row(String page, String window, List<Load> loads, boolean stats) {
    Load first = loads.get(0);
    String statsCells = stats
        ? cells(warm(loads, Load::statsServer)) + " | " + cells(warm(loads, Load::statsTotal))
        : "– | –";
    return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s | %s |%n", page, window, first.fcp(), first.ready(),
        cells(warm(loads, Load::fcp)), cells(warm(loads, Load::ready)), statsCells);
  }

  private static String cells(List<Double> values) {
    return String.format(Locale.ROOT, "%.1f / %.1f", median(values), p99(values));
  }

  private static List<Double> warm(List<Load> loads, java.util.function.ToDoubleFunction<Load> field) {
    // a figure the page had no entry for (-1) is left out, not averaged in
    return loads.subList(1, loads.size()).stream().map(field::applyAsDouble).filter(v -> v >= 0).toList();
  }

  private static double median(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  /** Nearest rank, as {@link Samples} reports it: with fewer than 100 values, the largest. */
  private static double p99(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(0.99 * s.size()) - 1)));
  }
}
