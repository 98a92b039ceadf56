package io.tracetrack.hub.bill;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/v1/bills/{id}/qr.png}: a real PNG whose QR, read back with zxing's reader,
 * says exactly what the manifest's {@code qr} text says, and follows the bill as it changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillQrTest {

  private HubTestServer hub;
  private String biller;
  private String dispatcher;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start("h2");
    biller = hub.tokenFor("qrbiller", Role.BILLER, null);
    dispatcher = hub.tokenFor("qrdisp", Role.DISPATCHER, "NORTH");
    assertThat(hub.send("POST", "/api/v1/bills", biller, "application/json",
        "{\"id\":\"QRBILL01\",\"destination\":\"Pune <b>\",\"vehicle\":\"MH12 AB 1234\",\"capacity\":5}").status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  @Test
  void qrPng_readsBackAsTheManifestText_andFollowsTheBill() throws Exception {
    hub.send("POST", "/api/v1/bills/QRBILL01/parents", biller, "application/json", "{\"parent\":\"P700-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}");
    hub.send("POST", "/api/v1/bills/QRBILL01/parents", biller, "application/json", "{\"parent\":\"P701-5\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}");

    HttpResponse<byte[]> png = get("/api/v1/bills/QRBILL01/qr.png", biller);
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(png.headers().firstValue("Cache-Control")).hasValue("no-store");
    String manifestQr = hub.send("GET", "/api/v1/bills/QRBILL01/manifest", biller, null, null).json().get("qr").asText();
    assertThat(decode(png.body())).isEqualTo(manifestQr).isEqualTo("TT1 BILL QRBILL01 N 2 P700-5 P701-5");

    hub.send("DELETE", "/api/v1/bills/QRBILL01/parents/P700-5", biller, null, null);
    assertThat(decode(get("/api/v1/bills/QRBILL01/qr.png", biller).body())).isEqualTo("TT1 BILL QRBILL01 N 1 P701-5");
  }

  @Test
  void qrPng_ofAnUnknownBill_isA404Problem() throws Exception {
    HttpResponse<byte[]> res = get("/api/v1/bills/NOSUCH01/qr.png", biller);
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(new String(res.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("BILL_NOT_FOUND");
  }

  @Test
  void qrPng_isForBillersOnly() throws Exception {
    assertThat(get("/api/v1/bills/QRBILL01/qr.png", dispatcher).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/bills/QRBILL01/qr.png", null).statusCode()).isEqualTo(401);
  }

  private HttpResponse<byte[]> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String decode(byte[] png) throws Exception {
    var image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("a PNG the JDK can read").isNotNull();
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
  }
}
