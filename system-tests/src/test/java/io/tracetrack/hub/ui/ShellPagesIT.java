package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.auth.Totp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The hub's frame in a real headless Chromium: sign-in (and its TOTP step), the live dashboard
 * with its chart, the idle warning, sign-out, and the same pages on a phone.
 */
class ShellPagesIT {

  @Test
  void signIn_showsTheLiveDashboard_andSignOutReturnsToSignIn() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      // some figures to show
      assertThat(b.api("POST", "/api/v1/bags", HubBrowser.json(Map.of("code", "P100-3")), "dispatcher").status()).isBetween(200, 201);
      assertThat(b.api("POST", "/api/v1/links", HubBrowser.json(Map.of("parent", "P100-3", "child", "C1001")), "dispatcher").status())
          .isBetween(200, 201);
      b.waitForSignIn();
      b.screenshot("hub-signin");
      b.signIn("bella", "wrong-password-1");
      b.waitForText("#signin-error", "do not match");
      b.screenshot("hub-signin-error");
      b.find("#signin-password").clear();
      b.signIn("bella", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      b.waitForText("[data-figure=parents] .card-value", "1");
      b.waitForText("[data-figure=children] .card-value", "1");
      assertThat(b.find("#scans-chart").getDomAttribute("data-points")).isEqualTo("14");
      assertThat(b.findAll("#scans-chart canvas")).as("uPlot drew the chart").isNotEmpty();
      assertThat(b.find("#dashboard-latest").getText()).contains("C1001").contains("P100-3");
      assertThat(b.find("#who").getText()).contains("bella").contains("biller");
      // live: a scan made elsewhere shows up without a reload
      b.api("POST", "/api/v1/links", HubBrowser.json(Map.of("parent", "P100-3", "child", "C1002")), "dispatcher");
      b.hub.clock.advance(java.time.Duration.ofSeconds(2)); // past the dashboard's one-second cache (the hub's clock stands still)
      b.waitForText("[data-figure=children] .card-value", "2");
      b.screenshot("hub-dashboard");
      assertThat(b.consoleErrors()).as("the page logged no errors (CSP refusals, exceptions)").isEmpty();

      // the quick search: a second query is its own, never appended to the first
      b.find("#quick-search-input").sendKeys("P100-3" + Keys.ENTER);
      b.waitForPage("search");
      assertThat(b.find("#quick-search-input").getDomProperty("value")).isEmpty();
      b.find("#quick-search-input").sendKeys("C1001" + Keys.ENTER);
      b.waitForPage("search");
      b.wait.until(d -> d.getCurrentUrl().endsWith("#/search?q=C1001"));

      b.find("#signout").click();
      b.waitForSignIn();
      assertThat(b.find("#signin-reason").getText()).contains("signed out");
      // the cookie is gone: a reload stays on sign-in
      b.browser.get(b.url("/dashboard"));
      b.waitForSignIn();
    }
  }

  @Test
  void anAdminWithTwoFactor_getsTheCodeStep() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      HubTestServer.Answer started = b.api("POST", "/api/v1/me/totp", null, "admin");
      assertThat(started.status()).isEqualTo(201);
      String secret = started.json().path("provisioningUri").asText().replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1");
      Totp totp = new Totp(b.hub.clock);
      assertThat(b.api("POST", "/api/v1/me/totp/verify",
          "{\"code\":\"" + totp.codeAt(secret, b.hub.clock.instant().minusSeconds(30)) + "\"}", "admin").status()).isEqualTo(200);

      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitFor("#signin-totp");
      b.screenshot("hub-signin-totp");
      b.find("#signin-totp").sendKeys("000000" + Keys.ENTER);
      b.waitForText("#signin-error", "not right");
      b.find("#signin-totp").clear();
      b.find("#signin-totp").sendKeys(totp.codeAt(secret, b.hub.clock.instant()) + Keys.ENTER);
      b.waitForPage("dashboard");
    }
  }

  @Test
  void anIdleSession_warnsBeforeItEnds_andCanBeEndedFromTheWarning() throws Exception {
    // one idle minute: the warning (two minutes before the end) shows at once
    try (HubBrowser b = HubBrowser.start("--session-idle-minutes", "1")) {
      b.signIn("bella", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      b.waitFor("#idle-dialog[open]");
      assertThat(Integer.parseInt(b.find("#idle-seconds").getText())).isBetween(0, 60);
      b.screenshot("hub-idle-warning");
      b.find("#idle-signout").click();
      b.waitForSignIn();
    }
  }

  @Test
  void onAPhone_theBarFoldsIntoAMenu() throws Exception {
    try (HubBrowser b = HubBrowser.start(390, 844)) {
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");
      assertThat(b.find("#nav").isDisplayed()).isFalse();
      b.find("#nav-toggle").click();
      assertThat(b.find("#nav").isDisplayed()).isTrue();
      assertThat(b.find("#nav-toggle").getDomAttribute("aria-expanded")).isEqualTo("true");
      b.screenshot("hub-phone-menu");
      b.find("#nav a[data-nav='/dashboard']").click();
      b.waitForPage("dashboard");
      assertThat((Boolean) b.script("return document.documentElement.scrollWidth <= window.innerWidth + 1;"))
          .as("nothing wider than the phone's screen").isTrue();
      b.screenshot("hub-phone-dashboard");
    }
  }

  @Test
  void anUnknownAddress_saysSo_andAPageForAnotherRole_isRefusedPolitely() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      b.signIn("nina", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      b.browser.get(b.url("/no-such-page"));
      b.waitForPage("not-found");
      assertThat(b.browser.findElement(By.id("page-title")).getText()).isEqualTo("No such page");
    }
  }
}
