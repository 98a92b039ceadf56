package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.auth.Totp;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * An admin's day in a real headless Chromium against a real hub: areas, users (and every guard as
 * a sentence), a dock registered and enrolled through the real sync API, a conflict made by a real
 * push and resolved with MOVE, promotion requests, the audit trail and its chain, system health,
 * two-factor set-up from the QR page, and the same pages on a phone. Hostile text rides along in
 * every free-text field the pages show.
 */
class AdminJourneyIT {

  private static final String XSS = "<script>window.__xss=1</script> <img src=x onerror=\"window.__xss=1\">";
  private static final String PASSWORD = "Bert-Passw0rd-2026";
  private static final WireCodec WIRE = new WireCodec();

  @Test
  void admin_runsUsersFleetConflictsAuditHealthAndTwoFactor_throughThePages() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      // a biller asks for a promotion with hostile text in the reason
      HubTestServer.Answer asked = b.api("POST", "/api/v1/promotion-requests",
          HubBrowser.json(Map.of("role", "ADMIN", "reason", XSS)), "biller");
      assertThat(asked.status()).as(asked.text()).isEqualTo(201);

      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");
      for (String nav : List.of("/users", "/areas", "/promotions", "/fleet", "/conflicts", "/audit", "/health", "/me")) {
        assertThat(b.findAll("#nav a[data-nav='" + nav + "']")).as("nav " + nav).hasSize(1);
      }

      // --- areas: a hostile name is shown as text; one seat, to meet AREA_FULL below
      b.go("/areas", "areas");
      b.find("#area-create [name=id]").sendKeys("EAST");
      b.find("#area-create [name=name]").sendKeys(XSS);
      b.find("#area-create [name=maxDispatchers]").clear();
      b.find("#area-create [name=maxDispatchers]").sendKeys("1" + Keys.ENTER);
      b.waitFor("[data-area=EAST]");
      assertThat(b.find("[data-area=EAST]").getText()).contains(XSS);
      b.screenshot("admin-areas");

      // --- users: a biller; a dispatcher first without an area (the clear message), then with one
      b.go("/users", "users");
      createUser(b, "bert", "BILLER", "");
      b.waitFor("#user-create-problem [data-created=bert]");
      createUser(b, "dina", "DISPATCHER", "");
      b.waitFor("#user-create-problem [data-code=AREA_REQUIRED]");
      assertThat(b.find("#user-create-problem [role=alert]").getText()).contains("needs an area").contains("Area field");
      new Select(b.find("#user-create [name=area]")).selectByValue("EAST");
      b.find("#user-create [name=password]").clear();
      b.find("#user-create [name=password]").sendKeys(PASSWORD + Keys.ENTER);
      b.waitFor("#user-create-problem [data-created=dina]");
      createUser(b, "dora", "DISPATCHER", "EAST");
      b.waitFor("#user-create-problem [data-code=AREA_FULL]");
      assertThat(b.find("#user-create-problem").getText()).contains("no free dispatcher seat");
      createUser(b, "weak", "BILLER", "", "short");
      b.waitFor("#user-create-problem [data-code=WEAK_PASSWORD]");
      assertThat(b.find("#user-create-problem").getText()).contains("at least 12 characters");
      b.waitFor("[data-user=dina]");
      assertThat(b.find("[data-user=dina]").getText()).contains("dispatcher").contains("EAST");
      b.screenshot("admin-users");

      // the admin's own account: no role change, no disabling themselves
      b.find("[data-edit=admin]").click();
      b.waitFor("[data-editing=admin]");
      assertThat(b.find("#edit-role").isEnabled()).isFalse();
      b.find("#user-toggle").click();
      b.waitFor("#dialog-confirm").click();
      b.waitFor("#user-edit-problem [data-code=OWN_ACCOUNT]");
      assertThat(b.find("#user-edit-problem").getText()).contains("Ask another admin");

      // bert locks himself out; the admin lifts the lock and his password still works
      for (int i = 0; i < 5; i++) {
        signInAsBert(b, "Wrong-Passw0rd-" + i);
      }
      b.hub.clock.advance(Duration.ofMinutes(1)); // past the per-name rate limit, well inside the lock
      assertThat(signInAsBert(b, PASSWORD).status()).isEqualTo(423);
      b.find("#user-edit-close").click();
      b.find("[data-edit=bert]").click();
      b.waitFor("[data-editing=bert]");
      b.find("#user-unlock").click();
      b.waitForText("#user-edit-problem", "can sign in again");
      b.hub.clock.advance(Duration.ofMinutes(1));
      assertThat(signInAsBert(b, PASSWORD).status()).isEqualTo(200);
      b.screenshot("admin-user-edit");

      // --- fleet: register a dock; its code shows once, with the command that uses it
      b.go("/fleet", "fleet");
      b.find("#dock-create [name=name]").sendKeys("DOCK-7");
      new Select(b.find("#dock-create [name=area]")).selectByValue("NORTH");
      b.find("#dock-create button[type=submit]").click();
      String code = b.waitFor("#enrollment-code").getText();
      assertThat(code).isNotBlank();
      // the folder is named: a copied command enrols the folder the dock serves from, not a default
      assertThat(b.find("#enroll-command").getText()).isEqualTo("./tracetrack enroll --data edge-data --hub " + b.hub.uri("/").toString()
          .replaceAll("/$", "") + " --code " + code);
      b.screenshot("admin-fleet-code");
      b.find("#fleet-code-done").click();
      assertThat(b.findAll("#enrollment-code")).as("the code is shown once").isEmpty();

      // the dock enrols with that code and pushes a link the hub already has elsewhere
      b.hub.clock.advance(Duration.ofMinutes(1));
      HubTestServer.Answer enrolled = b.hub.send("POST", "/api/v1/sync/enroll", null, "application/json",
          HubBrowser.json(Map.of("code", code, "edgeId", "edge-dock-7")));
      assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
      String credential = enrolled.json().get("credential").asText();
      assertThat(b.api("POST", "/api/v1/bags", HubBrowser.json(Map.of("code", "P200-3")), "dispatcher").status()).isBetween(200, 201);
      assertThat(b.api("POST", "/api/v1/links", HubBrowser.json(Map.of("parent", "P200-3", "child", "C5001")), "dispatcher").status())
          .isBetween(200, 201);
      PushReply reply = push(b, credential, "DOCK-7", "edge-dock-7",
          new Op.CreateParent("P300-3", 3, 3), new Op.Link("P300-3", "C5001"));
      assertThat(reply.outcomes().get(1).status()).isEqualTo(OpOutcome.Status.REJECTED);
      assertThat(reply.outcomes().get(1).code()).isEqualTo("CHILD_ALREADY_LINKED");
      // the fleet page sees the dock and its open conflict by itself (live refresh)
      assertThat(b.find("#fleet-list [data-dock=DOCK-7]").getText()).contains("NORTH");
      b.waitFor("#fleet-list [data-dock=DOCK-7] a.pill");
      b.screenshot("admin-fleet");

      // --- conflicts: both sides shown; MOVE after a confirmation; it leaves the OPEN list
      b.go("/conflicts", "conflicts");
      WebElement conflict = b.waitFor("article[data-code=CHILD_ALREADY_LINKED]");
      assertThat(conflict.getText()).contains("C5001").contains("P300-3").contains("P200-3").contains("DOCK-7");
      b.screenshot("admin-conflicts");
      conflict.findElement(By.cssSelector("[data-resolve=MOVE]")).click();
      assertThat(b.waitFor("#dialog-title").getText()).contains("Move the child");
      b.find("#dialog-confirm").click();
      b.wait.until(d -> d.findElements(By.cssSelector("article[data-conflict]")).isEmpty());
      b.waitForText("#conflicts-list", "No open conflicts");
      assertThat(b.api("GET", "/api/v1/bags/C5001", null, "admin").text()).contains("P300-3");
      b.go("/conflicts?status=RESOLVED", "conflicts");
      b.waitForText("article[data-code=CHILD_ALREADY_LINKED]", "MOVE");
      b.screenshot("admin-conflicts-resolved");

      // --- promotion requests: the hostile reason reads as text; reject with a note
      b.go("/promotions", "promotions");
      WebElement request = b.waitFor("[data-request]");
      assertThat(request.findElement(By.cssSelector("[data-reason]")).getText()).isEqualTo(XSS);
      b.screenshot("admin-promotions");
      request.findElement(By.cssSelector("input[name=note]")).sendKeys("Not now " + XSS);
      request.findElement(By.cssSelector("[data-reject]")).click();
      b.waitForText("#promotions-list", "Nobody is waiting");

      // --- audit: the day's entries, a filter, and the chain verified
      b.go("/audit", "audit");
      b.waitFor("[data-action=CONFLICT_RESOLVED]");
      assertThat(b.findAll("[data-action=USER_UNLOCKED]")).hasSize(1);
      assertThat(b.find("[data-action=AREA_CREATED]").getText()).contains(XSS);
      b.find("#audit-verify").click();
      b.waitFor("#audit-verify-result [data-intact=true]");
      assertThat(b.find("#audit-verify-result").getText()).contains("intact");
      b.screenshot("admin-audit");
      new Select(b.find("#audit-action")).selectByValue("USER_CREATED");
      b.find("#audit-filters button[type=submit]").click();
      b.wait.until(d -> !d.findElements(By.cssSelector("[data-action]")).isEmpty()
          && d.findElements(By.cssSelector("[data-action]:not([data-action=USER_CREATED])")).isEmpty());
      assertThat(b.find("#audit-list").getText()).contains("bert").contains("dina");
      // the dock's scans are in the audit view too: who, dock, station (issue #16 item 4)
      b.find("#audit-tab-scans").click();
      b.waitFor("#scan-filters");
      b.find("#scan-actor").sendKeys("NINA");
      b.find("#scan-dock").sendKeys("DOCK-7");
      b.find("#scan-filters button[type=submit]").click();
      b.waitFor("#scan-list tr[data-kind=CREATE_PARENT]");
      assertThat(b.find("#scan-list tr[data-kind=CREATE_PARENT]").getText()).contains("P300-3").contains("nina")
          .contains("DOCK-7 · station-1");
      b.screenshot("admin-audit-scans");

      // --- health
      b.go("/health", "health");
      b.waitFor("[data-health=pool]");
      b.waitFor("#health-docks [data-dock=DOCK-7]");
      // the hub instances on the database: this one, marked
      assertThat(b.waitFor("#health-instances [data-here=true]").getText()).contains("this one");
      assertThat(b.find("[data-health=database]").getText()).contains("Database size");
      // no --smtp-host here: the page says the summary is not mailed and how to change that
      b.waitFor("#health-mail[data-configured=false]");
      // no --kafka: the events card says the relay is off and how to turn it on
      assertThat(b.find("#health-cards [data-health=events]").getText()).contains("Events to Kafka").contains("--kafka");
      assertThat(b.find("#health-mail").getText()).contains("No mail server configured").contains("--smtp-host");
      b.waitFor("[data-health=queue]");
      b.screenshot("admin-health");

      // --- my account: two-factor set-up from the QR image and the key shown for typing in
      b.go("/me", "me");
      b.find("#totp-start").click();
      b.waitFor("#totp-qr");
      b.wait.until(d -> ((Number) b.script("const i = document.getElementById('totp-qr'); return i.complete ? i.naturalWidth : 0;"))
          .intValue() > 0);
      String secret = b.find("#totp-secret").getText().replace(" ", "");
      assertThat(b.find("#totp-uri").getDomProperty("textContent")).contains("secret=" + secret);
      b.screenshot("admin-me-totp");
      b.find("#totp-code").sendKeys("000000" + Keys.ENTER);
      b.waitFor("#totp-problem [data-code=BAD_TOTP]");
      b.find("#totp-code").clear();
      b.find("#totp-code").sendKeys(new Totp(b.hub.clock).codeAt(secret, b.hub.clock.instant()) + Keys.ENTER);
      b.waitFor("section[data-totp=on]");
      assertThat(b.find("#me-totp-state").getText()).isEqualTo("on");
      b.screenshot("admin-me");

      b.go("/notifications", "notifications");
      b.screenshot("admin-notifications");

      // --- the same pages on a phone
      b.browser.manage().window().setSize(new Dimension(390, 844));
      for (String[] page : List.of(new String[] {"/users", "users"}, new String[] {"/conflicts?status=RESOLVED", "conflicts"},
          new String[] {"/fleet", "fleet"}, new String[] {"/audit", "audit"})) {
        b.go(page[0], page[1]);
        b.waitFor("#page-title");
        assertThat((Boolean) b.script("return document.documentElement.scrollWidth <= window.innerWidth + 1;"))
            .as(page[0] + ": nothing wider than the phone's screen").isTrue();
        b.screenshot("admin-phone-" + page[1]);
      }

      assertThat(b.injectedScriptRan()).as("hostile text never ran").isFalse();
      assertThat(b.consoleErrors()).as("the pages logged no errors").isEmpty();
    }
  }

  @Test
  void aBiller_seesMyAccountAndTheConflictQueue_butNoAdminPages() throws Exception {
    try (HubBrowser b = HubBrowser.start()) {
      b.signIn("bella", HubTestServer.PASSWORD);
      b.waitForPage("dashboard");
      assertThat(b.findAll("#nav a[data-nav='/users']")).isEmpty();
      assertThat(b.findAll("#nav a[data-nav='/me']")).hasSize(1);
      b.go("/me", "me");
      assertThat(b.findAll("#totp-start")).as("two-factor is for admins").isEmpty();
      new Select(b.find("#promotion-ask [name=role]")).selectByValue("ADMIN");
      b.find("#promotion-ask [name=reason]").sendKeys(XSS);
      b.find("#promotion-ask button[type=submit]").click();
      b.waitForText("#promotion-problem", "waiting for an admin");
      new Select(b.find("#promotion-ask [name=role]")).selectByValue("ADMIN");
      b.find("#promotion-ask [name=reason]").sendKeys("again");
      b.find("#promotion-ask button[type=submit]").click();
      b.waitFor("#promotion-problem [data-code=REQUEST_EXISTS]");
      b.screenshot("biller-me");
      b.go("/conflicts", "conflicts");
      b.waitForText("#conflicts-list", "No open conflicts");
      assertThat(b.injectedScriptRan()).isFalse();
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  private static void createUser(HubBrowser b, String name, String role, String area) {
    createUser(b, name, role, area, PASSWORD);
  }

  private static void createUser(HubBrowser b, String name, String role, String area, String password) {
    b.find("#user-create [name=username]").clear();
    b.find("#user-create [name=username]").sendKeys(name);
    new Select(b.find("#user-create [name=role]")).selectByValue(role);
    new Select(b.find("#user-create [name=area]")).selectByValue(area);
    b.find("#user-create [name=password]").clear();
    b.find("#user-create [name=password]").sendKeys(password + Keys.ENTER);
  }

  private static HubTestServer.Answer signInAsBert(HubBrowser b, String password) {
    return b.hub.send("POST", "/api/v1/auth/token", null, "application/json",
        HubBrowser.json(Map.of("username", "bert", "password", password)));
  }

  private static PushReply push(HubBrowser b, String credential, String dock, String edgeId, Op... ops) throws Exception {
    List<OpEnvelope> envelopes = new java.util.ArrayList<>();
    long seq = 0;
    for (Op op : ops) {
      envelopes.add(new OpEnvelope(new OpId(edgeId, ++seq), new Hlc(b.hub.clock.millis(), 0), "nina", dock, "station-1", op));
    }
    PushBatch batch = new PushBatch(edgeId, dock, new Hlc(b.hub.clock.millis(), 0), envelopes.size(), null, "test-1", envelopes);
    HttpRequest request = HttpRequest.newBuilder(b.hub.uri("/api/v1/sync/push")).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(WIRE.encode(batch))).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + credential).header("X-Edge-Id", edgeId).build();
    HttpResponse<String> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return WIRE.decodeReply(res.body());
  }
}
