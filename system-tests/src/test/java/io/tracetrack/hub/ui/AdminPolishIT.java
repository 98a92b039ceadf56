package io.tracetrack.hub.ui;

import static io.tracetrack.hub.db.jooq.Tables.EOD_MAIL;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tracetrack.hub.HubTestServer;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin pages' e-mail parts in a real Chromium against a real hub with a real SMTP server on
 * loopback (GreenMail): a biller's address given, refused by its field when it is not one, changed
 * and removed; and the health page's admission queue, named caches and the last days' end-of-day
 * mail (sent, failed with the server's error, pending).
 */
class AdminPolishIT {

  private static final String XSS = "<script>window.__xss=1</script> <img src=x onerror=\"window.__xss=1\">";
  private static final String PASSWORD = "Bert-Passw0rd-2026";

  @Test
  void admin_givesABillerAnAddress_andSeesTheMailStateOnTheHealthPage() throws Exception {
    GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    try (HubBrowser b = HubBrowser.start(1280, 900, "--smtp-host", "127.0.0.1", "--smtp-port",
        Integer.toString(smtp.getSmtp().getPort()), "--smtp-tls", "none", "--smtp-from", "eod@tracetrack.test", "--zone", "UTC")) {
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");

      // --- a biller with an address that is not one: refused, said by the field, nothing created
      b.go("/users", "users");
      b.waitFor("[data-user=admin]");
      assertThat(b.find("#user-create").getText()).contains("end-of-day summary goes to admins and billers with an address");
      b.find("#user-create [name=username]").sendKeys("bert");
      new Select(b.find("#user-create [name=role]")).selectByValue("BILLER");
      b.find("#create-email").sendKeys(XSS);
      b.find("#user-create [name=password]").sendKeys(PASSWORD + Keys.ENTER);
      WebElement refused = b.waitFor("#user-create .field-error[data-field=email]");
      assertThat(refused.getAttribute("data-code")).isEqualTo("INVALID_FIELD");
      assertThat(refused.getText()).contains("not an e-mail address").contains("name@example.com");
      assertThat(b.find("#create-email").getAttribute("aria-invalid")).isEqualTo("true");
      assertThat(b.browser.switchTo().activeElement().getAttribute("id")).isEqualTo("create-email");
      assertThat(b.findAll("[data-user=bert]")).isEmpty();
      assertThat(b.api("GET", "/api/v1/users/bert", null, "admin").status()).isEqualTo(404);

      // corrected: created, the address in the list, the field's error gone
      b.find("#create-email").clear();
      b.find("#create-email").sendKeys("bert@example.com" + Keys.ENTER);
      b.waitFor("#user-create-problem [data-created=bert]");
      assertThat(b.find("#user-create-problem").getText()).contains("bert@example.com");
      assertThat(b.findAll("#user-create .field-error")).isEmpty();
      b.waitFor("[data-user=bert] [data-email='bert@example.com']");

      // --- edited in the panel: a bad address refused by the field, a good one saved and listed
      // by keyboard: the "created" toast may cover the button, and keyboard is how the page is meant to work
      b.find("[data-edit=bert]").sendKeys(Keys.ENTER);
      b.waitFor("[data-editing=bert]");
      WebElement edit = b.find("#edit-email");
      assertThat(edit.getAttribute("value")).isEqualTo("bert@example.com");
      assertThat(b.find("#user-email-form").getText()).contains("end-of-day summary goes to admins and billers with an address");
      edit.clear();
      edit.sendKeys("bert at example" + Keys.ENTER);
      b.waitFor("#user-email-form .field-error[data-field=email]");
      assertThat(b.find("#user-edit-problem").getText()).isEmpty();
      assertThat(b.api("GET", "/api/v1/users/bert", null, "admin").text()).contains("\"bert@example.com\"");
      b.find("#edit-email").clear();
      b.find("#edit-email").sendKeys("bert.billing@example.com" + Keys.ENTER);
      b.waitForText("#user-edit-problem", "bert.billing@example.com");
      b.waitFor("[data-user=bert] [data-email='bert.billing@example.com']");
      assertThat(b.findAll("#user-email-form .field-error")).isEmpty();
      assertThat(b.find("#edit-email").getAttribute("value")).isEqualTo("bert.billing@example.com");
      b.browser.manage().window().setSize(new Dimension(1280, 1800));
      b.script("window.scrollTo(0, 0)");
      b.screenshot("admin-users-email");

      // --- the last days' mail: yesterday sent to bert (and nobody without an address), the day
      // before failed because the mail server is gone, three days ago claimed but not yet sent
      LocalDate today = LocalDate.ofInstant(b.hub.clock.instant(), ZoneOffset.UTC);
      LocalDate sent = today.minusDays(1);
      LocalDate failed = today.minusDays(2);
      LocalDate pending = today.minusDays(3);
      HubTestServer.Answer mailed = b.api("POST", "/api/v1/eod/" + sent + "/mail", null, "admin");
      assertThat(mailed.status()).as(mailed.text()).isEqualTo(200);
      assertThat(mailed.text()).contains("bert.billing@example.com");
      smtp.stop();
      assertThat(b.api("POST", "/api/v1/eod/" + failed + "/mail", null, "admin").status()).isEqualTo(502);
      b.hub.db.dsl().insertInto(EOD_MAIL).set(EOD_MAIL.MAIL_DAY, pending).set(EOD_MAIL.CLAIMED_BY, "another hub")
          .set(EOD_MAIL.CLAIMED_AT, OffsetDateTime.ofInstant(b.hub.clock.instant(), ZoneOffset.UTC)).set(EOD_MAIL.ATTEMPTS, 0).execute();

      b.browser.manage().window().setSize(new Dimension(1280, 1400));
      b.go("/health", "health");
      b.waitFor("[data-health=queue]");
      assertThat(b.find("[data-health=queue]").getText()).contains("waiting for the database").contains("turned away");
      b.waitFor("#health-mail[data-configured=true]");
      b.waitFor("#health-mail [data-mail-day='" + sent + "'][data-mail-state=sent]");
      assertThat(b.find("#health-mail [data-mail-day='" + sent + "']").getText()).contains("bert.billing@example.com");
      WebElement failing = b.find("#health-mail [data-mail-day='" + failed + "']");
      assertThat(failing.getAttribute("data-mail-state")).isEqualTo("failed");
      assertThat(failing.findElement(By.cssSelector(".mail-error")).getText()).isNotBlank();
      assertThat(b.find("#health-mail [data-mail-day='" + pending + "']").getAttribute("data-mail-state")).isEqualTo("pending");
      assertThat(b.find("#health-mail").getText()).contains("tried again every 10 minutes");
      for (String cache : new String[] {"bag_views", "bill_summaries", "account_checks", "dashboard"}) {
        assertThat(b.findAll("#health-caches [data-cache=" + cache + "]")).as(cache).hasSize(1);
      }
      assertThat(b.find("#health-caches [data-cache=bag_views]").getText()).contains("Bag pages");
      b.screenshot("admin-health-full");

      // --- the address removed: an empty field means no mail
      b.browser.manage().window().setSize(new Dimension(1280, 900));
      b.go("/users", "users");
      b.waitFor("[data-edit=bert]").sendKeys(Keys.ENTER);
      b.waitFor("[data-editing=bert]");
      b.find("#edit-email").clear();
      b.find("#edit-email").sendKeys(Keys.ENTER);
      b.waitForText("#user-edit-problem", "no e-mail address now");
      b.waitFor("[data-user=bert]");
      assertThat(b.findAll("[data-user=bert] [data-email]")).isEmpty();
      assertThat(b.api("GET", "/api/v1/users/bert", null, "admin").json().path("email").isTextual()).isFalse();

      assertThat(b.injectedScriptRan()).isFalse();
      assertThat(b.consoleErrors()).isEmpty();
    } finally {
      smtp.stop();
    }
  }
}
