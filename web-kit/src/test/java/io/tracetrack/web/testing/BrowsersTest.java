package io.tracetrack.web.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

/**
 * A lent browser comes back as a new one is lent: the size the next test asks for (the same
 * viewport it had when new), one window, no cookies, no console messages.
 */
class BrowsersTest {

  @Test
  void aBrowserGivenBack_isLentAgain_clearedAndAtTheSizeAskedFor() {
    WebDriver first = Browsers.lend(390, 844);
    List<Long> phone = viewport(first);
    assertThat(phone.get(0)).as("a phone's width, not Chromium's 500-pixel floor for a started window").isEqualTo(390L);
    Browsers.giveBack(first);

    WebDriver desktop = Browsers.lend(1280, 900);
    assertThat(desktop).isSameAs(first);
    assertThat(viewport(desktop).get(0)).isEqualTo(1280L);
    ((ChromeDriver) desktop).executeCdpCommand("Network.setCookie",
        Map.of("name", "session", "value", "left-behind", "domain", "127.0.0.1", "path", "/"));
    ((JavascriptExecutor) desktop).executeScript("console.error('left behind')");
    desktop.switchTo().newWindow(WindowType.TAB);
    Browsers.giveBack(desktop);

    WebDriver again = Browsers.lend(390, 844);
    try {
      assertThat(again).isSameAs(first);
      assertThat(again.getWindowHandles()).hasSize(1);
      assertThat((List<?>) ((ChromeDriver) again).executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies"))
          .isEmpty();
      assertThat(again.manage().logs().get(LogType.BROWSER).getAll()).isEmpty();
      assertThat(viewport(again)).as("the same viewport as when it was new").isEqualTo(phone);
    } finally {
      Browsers.giveBack(again);
    }
  }

  private static List<Long> viewport(WebDriver browser) {
    browser.get("about:blank");
    @SuppressWarnings("unchecked")
    List<Long> size = (List<Long>) ((JavascriptExecutor) browser).executeScript(
        "return [window.innerWidth, window.innerHeight];");
    return size;
  }
}
