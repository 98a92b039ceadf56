package io.tracetrack.hub.ui;

import static io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tracetrack.hub.HubTestServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The Webhooks page in a real Chromium against a real hub sending to a real endpoint on loopback:
 * hostile and refused URLs said by the page with nothing registered; a webhook registered with its
 * secret shown once; its deliveries as the endpoint answered them; a dead-lettered one sent again
 * from the page and delivered; the webhook removed.
 */
class WebhooksPageIT {

  @Test
  void admin_registersAWebhook_seesItsDeliveries_sendsAFailedOneAgain_andRemovesIt() throws Exception {
    AtomicInteger answer = new AtomicInteger(204);
    AtomicInteger received = new AtomicInteger();
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      exchange.sendResponseHeaders(answer.get(), -1);
      exchange.close();
    });
    endpoint.start();
    String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook";
    try (HubBrowser b = HubBrowser.start("--webhook-allowed-hosts", "127.0.0.1", "--webhook-timeout-ms", "500")) {
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");
      b.go("/webhooks", "webhooks");
      b.waitForText("#webhooks-list", "No webhooks yet");

      // refused: a private address the hub was not told to allow, then a script URL; nothing registered
      b.find("#webhook-create [name=url]").sendKeys("http://10.20.30.40/hook" + Keys.ENTER);
      b.waitFor("#webhook-create-problem [data-code=WEBHOOK_HOST_NOT_ALLOWED]");
      assertThat(b.find("#webhook-create-problem").getText()).contains("--webhook-allowed-hosts");
      b.find("#webhook-create [name=url]").clear();
      b.script("document.querySelector('#webhook-create [name=url]').type = 'text'");
      b.find("#webhook-create [name=url]").sendKeys("javascript:window.__xss=1" + Keys.ENTER);
      b.waitFor("#webhook-create-problem [data-code=WEBHOOK_URL_INVALID]");
      assertThat(b.api("GET", "/api/v1/webhooks", null, "admin").json().get("webhooks")).isEmpty();

      // registered for links only: the secret shown once, the row listed
      b.find("#webhook-create [name=url]").clear();
      b.find("#webhook-create [name=url]").sendKeys(url);
      b.find("#webhook-create [name=types]").sendKeys("link.v1" + Keys.ENTER);
      String secret = b.waitFor("#webhook-secret-value").getText();
      assertThat(secret).startsWith("whsec_");
      String id = b.find("#webhook-secret [data-webhook]").getAttribute("data-webhook");
      b.waitFor("[data-webhook='" + id + "']");
      assertThat(b.find("#webhooks-list").getText()).contains("io.tracetrack.link.v1").contains(url);
      b.find("#webhook-secret-done").click();
      assertThat(b.findAll("#webhook-secret-value")).isEmpty();

      // a link at the hub: delivered, and the page says so
      assertThat(b.api("POST", "/api/v1/bags", "{\"code\":\"P700-5\"}", "admin").status()).isEqualTo(201);
      assertThat(b.api("POST", "/api/v1/links", "{\"parent\":\"P700-5\",\"child\":\"C7001\"}", "admin").status()).isBetween(200, 201);
      HubTestServer.eventually(Duration.ofSeconds(15), received::get, 1);
      HubTestServer.eventually(Duration.ofSeconds(15), () -> b.api("GET", "/api/v1/webhooks/" + id, null, "admin").json()
          .path("deliveries").path("DELIVERED").asInt(), 1);
      b.find("[data-open='" + id + "']").click();
      b.waitForPage("webhook");
      b.waitFor("#deliveries-list [data-status=DELIVERED]");
      assertThat(b.find("#deliveries-list").getText()).contains("io.tracetrack.link.v1").contains("HTTP 204");

      // the endpoint fails the next one; it is dead-lettered (as when its retries are used up)
      answer.set(500);
      assertThat(b.api("POST", "/api/v1/links", "{\"parent\":\"P700-5\",\"child\":\"C7002\"}", "admin").status()).isBetween(200, 201);
      HubTestServer.eventually(Duration.ofSeconds(15), received::get, 2);
      HubTestServer.eventually(Duration.ofSeconds(15), () -> b.hub.db.dsl().fetchCount(WEBHOOK_DELIVERY,
          WEBHOOK_DELIVERY.WEBHOOK_ID.eq(id).and(WEBHOOK_DELIVERY.LAST_STATUS.eq(500))), 1);
      b.hub.db.dsl().update(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.STATUS, "FAILED")
          .setNull(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT).where(WEBHOOK_DELIVERY.LAST_STATUS.eq(500)).execute();
      new org.openqa.selenium.support.ui.Select(b.find("#deliveries-filter [name=status]")).selectByValue("FAILED");
      b.find("#deliveries-filter button").click();
      b.waitFor("#deliveries-list [data-status=FAILED]");
      assertThat(b.findAll("#deliveries-list [data-status=DELIVERED]")).isEmpty();
      assertThat(b.find("#deliveries-list [data-status=FAILED]").getText()).contains("HTTP 500");

      // sent again from the page once the endpoint is back: delivered
      answer.set(204);
      b.find("#deliveries-list [data-retry]").click();
      HubTestServer.eventually(Duration.ofSeconds(15), () -> b.api("GET", "/api/v1/webhooks/" + id, null, "admin").json()
          .path("deliveries").path("DELIVERED").asInt(), 2);
      b.go("/webhooks/" + id, "webhook");
      b.waitFor("#webhook-about [data-webhook]");
      assertThat(b.find("#webhook-about").getText()).contains("2 delivered");
      b.screenshot("admin-webhook");

      // removed: gone from the list and from the hub
      b.go("/webhooks", "webhooks");
      b.waitFor("[data-remove='" + id + "']").click();
      b.waitFor("#dialog-confirm").click();
      b.waitForText("#webhooks-list", "No webhooks yet");
      assertThat(b.api("GET", "/api/v1/webhooks", null, "admin").json().get("webhooks")).isEmpty();

      assertThat(b.injectedScriptRan()).isFalse();
      assertThat(b.consoleErrors()).isEmpty();
    } finally {
      endpoint.stop(0);
    }
  }
}
