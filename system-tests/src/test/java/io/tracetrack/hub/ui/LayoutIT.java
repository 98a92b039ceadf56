package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;

/**
 * The hub's pages at a desk and on a phone, measured by element boxes, not screenshots (issue #16
 * item 5): at 1,280 px no page scrolls sideways, even with the widest text a bill or the audit
 * trail holds; below 700 px every table is a stack of cards, each row no wider than the screen.
 */
class LayoutIT {

  /** Pages with tables, and what each waits for. */
  private static final List<String[]> PAGES = List.of(
      new String[] {"/bills", "bills", "#bills-list table"},
      new String[] {"/audit", "audit", "#audit-list table"},
      new String[] {"/users", "users", "table"},
      new String[] {"/fleet", "fleet", "table"});

  @Test
  void atADesk_noPageScrollsSideways_andOnAPhone_tablesAreCards() throws Exception {
    try (HubBrowser b = HubBrowser.start(1280, 800)) {
      // the widest text the pages hold: a bill's fields at their limit, without a space to break at
      String wide = "W".repeat(100);
      assertThat(b.api("POST", "/api/v1/bills", HubBrowser.json(Map.of("id", "WIDE000001", "destination", wide,
          "vehicle", wide, "capacity", 5)), "admin").status()).isEqualTo(201);
      assertThat(b.api("PATCH", "/api/v1/bills/WIDE000001", HubBrowser.json(Map.of("vehicle", "V".repeat(100))),
          "admin").status()).isEqualTo(200);
      assertThat(b.api("POST", "/api/v1/docks", HubBrowser.json(Map.of("name", "DOCK-" + "L".repeat(58), "area", "NORTH")),
          "admin").status()).isEqualTo(201);
      b.signIn("admin", HubTestServer.ADMIN_PASSWORD);
      b.waitForPage("dashboard");

      for (String[] page : PAGES) {
        b.go(page[0], page[1]);
        b.waitFor(page[2]);
        assertThat(overflow(b)).as("%s at 1,280 px: page width beyond the window; widest: %s", page[0], widest(b))
            .isLessThanOrEqualTo(1);
      }
      b.screenshot("hub-audit-desk");

      b.browser.manage().window().setSize(new Dimension(390, 844));
      for (String[] page : PAGES) {
        b.go(page[0], page[1]);
        b.waitFor(page[2]);
        assertThat(overflow(b)).as("%s on a phone: page width beyond the window; widest: %s", page[0], widest(b))
            .isLessThanOrEqualTo(1);
        assertThat(b.script("return getComputedStyle(document.querySelector('" + page[2] + " tbody tr')).display;"))
            .as("%s on a phone: a row is a card", page[0]).isEqualTo("block");
        assertThat(((Number) b.script("return document.querySelector('" + page[2] + " tbody tr').getBoundingClientRect().right;"))
            .doubleValue()).as("%s on a phone: a card ends inside the screen", page[0]).isLessThanOrEqualTo(390);
        assertThat(b.script("return getComputedStyle(document.querySelector('" + page[2] + " thead')).position;"))
            .as("%s on a phone: the header row is for screen readers only", page[0]).isEqualTo("absolute");
      }
      b.go("/bills", "bills");
      b.waitFor("#bills-list table");
      b.screenshot("hub-bills-phone");
      assertThat(b.find("#bills-list tbody tr").getText()).contains("WIDE000001");
    }
  }

  /** The elements that end past the window's right edge, innermost first: what to fix when it fails. */
  private static Object widest(HubBrowser b) {
    return b.script("""
        return [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
          .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replaceAll(' ', '.') : '')
            + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
        """);
  }

  /** How far the page is wider than the window, in CSS pixels. */
  private static long overflow(HubBrowser b) {
    return ((Number) b.script("return document.documentElement.scrollWidth - window.innerWidth;")).longValue();
  }
}
