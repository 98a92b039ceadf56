package io.tracetrack.hub.eod;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.EOD_MAIL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.mail.Mailer;
import io.tracetrack.hub.mail.SmtpSettings;
import io.tracetrack.model.Role;
import io.tracetrack.model.WeightPolicy;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The end-of-day e-mail through a real SMTP server on loopback (GreenMail, in process), on H2 and
 * PostgreSQL: who gets it, what it says (escaped), what is attached; no server configured, nobody to
 * mail, a server that is down; and exactly one mail a day across two hub instances.
 */
class EodMailTest {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static final String HOSTILE_DESTINATION = "<script>alert('x')</script>";
  private static final String HOSTILE_VEHICLE = "\"&<img src=x onerror=alert(1)>";

  private static String[] smtpFlags(int port) {
    return new String[] {"--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(port), "--smtp-tls", "none",
        "--smtp-from", "eod@tracetrack.test", "--zone", "UTC"};
  }

  private static void email(HubTestServer s, String user, String address) {
    s.db.dsl().update(APP_USER).set(APP_USER.EMAIL, address).where(APP_USER.USERNAME.eq(user)).execute();
  }

  private static String today(HubTestServer s) {
    return LocalDate.ofInstant(s.clock.instant(), ZoneOffset.UTC).toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void mailNow_reachesEveryEnabledAdminAndBillerWithAnAddress_escaped_withTheDaysCsv(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind, smtpFlags(SMTP.getSmtp().getPort()))) {
      // addresses set through the users API, as an admin would
      assertThat(s.send("PATCH", "/api/v1/users/bella", "{\"email\":\"bella@example.com\"}", "admin").statusCode()).isEqualTo(200);
      assertThat(s.send("PATCH", "/api/v1/users/admin", "{\"email\":\"boss@example.com\"}", "admin").statusCode()).isEqualTo(200);
      JsonNode bella = HubTestServer.json(s.send("GET", "/api/v1/users/bella", null, "admin"));
      assertThat(bella.get("email").asText()).isEqualTo("bella@example.com");
      email(s, "nina", "nina@example.com"); // a dispatcher: not a recipient
      s.tokenFor("olga", Role.BILLER, null);
      email(s, "olga", "olga@example.com");
      assertThat(s.send("PATCH", "/api/v1/users/olga", "{\"disabled\":true}", "admin").statusCode()).isEqualTo(200);

      s.send("POST", "/api/v1/bags", "{\"code\":\"P300-3\"}", "admin");
      s.send("POST", "/api/v1/links", "{\"parent\":\"P300-3\",\"child\":\"C301\"}", "admin");
      s.send("POST", "/api/v1/bills", "{\"id\":\"EOD0001\",\"destination\":\"" + HOSTILE_DESTINATION.replace("\"", "\\\"")
          + "\",\"vehicle\":\"" + HOSTILE_VEHICLE.replace("\"", "\\\"") + "\",\"capacity\":1}", "biller");
      s.send("POST", "/api/v1/bills/EOD0001/parents", "{\"parent\":\"P300-3\",\"force\":true,\"reason\":\"loaded by hand\"}", "biller");

      String day = today(s);
      var sent = s.send("POST", "/api/v1/eod/" + day + "/mail", null, "admin");
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
      assertThat(HubTestServer.json(sent).get("recipients")).extracting(JsonNode::asText)
          .containsExactly("boss@example.com", "bella@example.com");

      MimeMessage[] received = SMTP.getReceivedMessages();
      assertThat(received).hasSize(2); // one copy per recipient
      List<String> to = new ArrayList<>();
      for (MimeMessage m : received) {
        Arrays.stream(m.getRecipients(Message.RecipientType.TO)).forEach(a -> to.add(a.toString()));
      }
      assertThat(to).containsOnly("boss@example.com", "bella@example.com");
      MimeMessage mail = received[0];
      assertThat(mail.getFrom()[0].toString()).isEqualTo("eod@tracetrack.test");
      assertThat(mail.getSubject()).startsWith("TraceTrack end of day " + day + ": 1 bills, 1 children linked");

      Parts parts = new Parts();
      parts.walk(mail);
      assertThat(parts.html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
          .contains("&quot;&amp;&lt;img src&#61;x onerror&#61;alert(1)&gt;")
          .doesNotContain("<script>", "<img");
      assertThat(parts.text).contains(HOSTILE_DESTINATION).contains("EOD0001");
      assertThat(parts.attachmentName).isEqualTo("eod-" + day + ".csv");
      assertThat(parts.attachment).isEqualTo(s.send("GET", "/api/v1/eod/" + day + ".csv", null, "biller").body());
      assertThat(parts.attachment).contains("bill,EOD0001,,OPEN,bella");

      JsonNode audit = HubTestServer.json(s.send("GET", "/api/v1/audit?action=END_OF_DAY_MAILED", null, "admin"));
      assertThat(audit.get("entries")).hasSize(1);
      assertThat(audit.get("entries").get(0).get("entityId").asText()).isEqualTo(day);
      JsonNode log = HubTestServer.json(s.send("GET", "/api/v1/eod/mail", null, "admin"));
      assertThat(log.get("configured").asBoolean()).isTrue();
      assertThat(log.get("days").get(0).get("sentAt").isNull()).isFalse();

      assertThat(s.send("POST", "/api/v1/eod/" + day + "/mail", null, "biller").statusCode()).isEqualTo(403);
      assertThat(s.send("POST", "/api/v1/eod/" + day + "/mail", null, "dispatcher").statusCode()).isEqualTo(403);
      assertThat(s.send("GET", "/api/v1/eod/mail", null, "biller").statusCode()).isEqualTo(403);
      assertThat(HubTestServer.json(s.send("POST", "/api/v1/eod/tomorrow/mail", null, "admin")).get("code").asText())
          .isEqualTo("INVALID_FILTER");
      assertThat(SMTP.getReceivedMessages()).hasSize(2);
    }
  }

  @Test
  void badAddresses_areRefused_andChangeNothing() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      for (String bad : List.of("not-an-address", "a@b.c\\r\\nBcc: x@y.z", "<a@b.c>", "@example.com", "a b@example.com")) {
        var res = s.send("PATCH", "/api/v1/users/bella", "{\"email\":\"" + bad + "\"}", "admin");
        assertThat(res.statusCode()).as(bad).isEqualTo(400);
        assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("INVALID_FIELD");
      }
      var create = s.send("POST", "/api/v1/users",
          "{\"username\":\"bob\",\"role\":\"BILLER\",\"password\":\"" + HubTestServer.PASSWORD + "x\",\"email\":\"nope\"}", "admin");
      assertThat(create.statusCode()).isEqualTo(400);
      assertThat(s.send("GET", "/api/v1/users/bob", null, "admin").statusCode()).isEqualTo(404);
      assertThat(HubTestServer.json(s.send("GET", "/api/v1/users/bella", null, "admin")).get("email").isNull()).isTrue();
      // an empty address removes it
      s.send("PATCH", "/api/v1/users/bella", "{\"email\":\"b@example.com\"}", "admin");
      s.send("PATCH", "/api/v1/users/bella", "{\"email\":\"\"}", "admin");
      assertThat(HubTestServer.json(s.send("GET", "/api/v1/users/bella", null, "admin")).get("email").isNull()).isTrue();
    }
  }

  @Test
  void anAddress_staysOutOfTheAuditTrail_andGoesWithADeletedUser() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      var created = s.send("POST", "/api/v1/users", "{\"username\":\"bob\",\"role\":\"BILLER\",\"password\":\""
          + HubTestServer.PASSWORD + "x\",\"email\":\"bob.private@example.com\"}", "admin");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(HubTestServer.json(created).get("email").asText()).isEqualTo("bob.private@example.com");
      s.send("PATCH", "/api/v1/users/bob", "{\"email\":\"bob.other@example.com\"}", "admin");
      String audit = s.send("GET", "/api/v1/audit?entityId=bob", null, "admin").body();
      assertThat(audit).contains("USER_CREATED").doesNotContain("bob.private", "bob.other");
      assertThat(s.send("DELETE", "/api/v1/users/bob", null, "admin").statusCode()).isEqualTo(200);
      assertThat(s.db.dsl().fetchCount(APP_USER, APP_USER.EMAIL.like("bob%"))).isZero();
    }
  }

  @Test
  void noMailServer_theRouteSaysSo_andNothingBreaks() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      email(s, "admin", "boss@example.com");
      var res = s.send("POST", "/api/v1/eod/2026-11-22/mail", null, "admin");
      assertThat(res.statusCode()).isEqualTo(409);
      assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("SMTP_NOT_CONFIGURED");
      assertThat(HubTestServer.json(res).get("detail").asText()).contains("HUB_SMTP_HOST");
      assertThat(HubTestServer.json(s.send("GET", "/api/v1/eod/mail", null, "admin")).get("configured").asBoolean()).isFalse();
      assertThat(s.db.dsl().fetchCount(EOD_MAIL)).isZero();
    }
  }

  @Test
  void nobodyWithAnAddress_theRouteSaysWhatToDo() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2", smtpFlags(SMTP.getSmtp().getPort()))) {
      var res = s.send("POST", "/api/v1/eod/2026-11-22/mail", null, "admin");
      assertThat(res.statusCode()).isEqualTo(409);
      assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("NO_MAIL_RECIPIENTS");
      assertThat(SMTP.getReceivedMessages()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void mailServerDown_isAClearError_recorded_thenRetried(String kind) throws Exception {
    int dead = deadPort();
    try (HubTestServer s = HubTestServer.start(kind, smtpFlags(dead))) {
      email(s, "admin", "boss@example.com");
      var res = s.send("POST", "/api/v1/eod/2026-11-22/mail", null, "admin");
      assertThat(res.statusCode()).isEqualTo(502);
      JsonNode problem = HubTestServer.json(res);
      assertThat(problem.get("code").asText()).isEqualTo("MAIL_FAILED");
      assertThat(problem.get("detail").asText()).contains("Connection refused").contains("tried again");
      JsonNode day = HubTestServer.json(s.send("GET", "/api/v1/eod/mail", null, "admin")).get("days").get(0);
      assertThat(day.get("sentAt").isNull()).isTrue();
      assertThat(day.get("attempts").asInt()).isEqualTo(1);
      assertThat(day.get("lastError").asText()).contains("Connection refused");
      JsonNode audit = HubTestServer.json(s.send("GET", "/api/v1/audit?action=END_OF_DAY_MAILED", null, "admin"));
      assertThat(audit.get("entries").get(0).get("after").asText()).contains("\"sent\":false");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void daily_exactlyOnceAcrossTwoInstances_aFailedSendRetriedAfterTheInterval(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      email(s, "admin", "boss@example.com");
      email(s, "bella", "bella@example.com");
      s.clock.set(Instant.parse("2026-11-22T10:00:00Z"));
      // instance A's mail server is down, B's is up; both over the one database and clock
      EodMailer a = mailer(s, deadPort(), "instance-a");
      EodMailer b = mailer(s, SMTP.getSmtp().getPort(), "instance-b");

      // before 23:30: only yesterday is due. A claims it first and fails; B must not step in at once
      assertThat(a.tick()).singleElement().isInstanceOf(EodMailer.Result.Failed.class);
      assertThat(b.tick()).isEmpty();
      assertThat(SMTP.getReceivedMessages()).isEmpty();

      // past the retry interval, B takes over the failed day and sends it; A then has nothing to do
      s.clock.advance(EodMailer.RETRY.plusMinutes(1));
      assertThat(b.tick()).singleElement().isEqualTo(
          new EodMailer.Result.Sent(LocalDate.parse("2026-11-21"), List.of("boss@example.com", "bella@example.com")));
      assertThat(a.tick()).isEmpty();
      assertThat(b.tick()).isEmpty();

      // after 23:30 today is due too: whichever ticks first sends it, once
      s.clock.set(Instant.parse("2026-11-22T23:31:00Z"));
      List<EodMailer.Result> first = b.tick();
      List<EodMailer.Result> second = b.tick();
      assertThat(first).singleElement().isInstanceOf(EodMailer.Result.Sent.class);
      assertThat(second).isEmpty();
      s.clock.advance(Duration.ofHours(1));
      assertThat(a.tick()).isEmpty();
      assertThat(b.tick()).isEmpty();

      List<String> subjects = new ArrayList<>();
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        subjects.add(m.getSubject().substring(0, "TraceTrack end of day 2026-11-22".length()));
      }
      // two days × two recipients, each exactly once
      assertThat(subjects).containsExactlyInAnyOrder("TraceTrack end of day 2026-11-21", "TraceTrack end of day 2026-11-21",
          "TraceTrack end of day 2026-11-22", "TraceTrack end of day 2026-11-22");
      var rows = s.db.dsl().selectFrom(EOD_MAIL).orderBy(EOD_MAIL.MAIL_DAY).fetch();
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).getAttempts()).isEqualTo(2);
      assertThat(rows.get(0).getClaimedBy()).isEqualTo("instance-b");
      assertThat(rows.get(0).getLastError()).isNull();
      assertThat(rows.get(1).getAttempts()).isEqualTo(1);
    }
  }

  private static EodMailer mailer(HubTestServer s, int port, String instance) {
    SmtpSettings smtp = new SmtpSettings("127.0.0.1", port, null, null, "eod@tracetrack.test", SmtpSettings.Tls.NONE);
    return new EodMailer(s.db, new EndOfDay(s.db, WeightPolicy.defaults()), Optional.of(new Mailer(smtp, s.clock)),
        ZoneOffset.UTC, LocalTime.of(23, 30), new AuditLog(s.db, s.clock), s.clock, instance);
  }

  /** A loopback port nothing listens on (bound, then released). */
  private static int deadPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The text, HTML and attachment of a received message. */
  private static final class Parts {
    String text;
    String html;
    String attachmentName;
    String attachment;

    void walk(Part part) throws Exception {
      if (part.isMimeType("multipart/*")) {
        Multipart multi = (Multipart) part.getContent();
        for (int i = 0; i < multi.getCount(); i++) {
          BodyPart child = multi.getBodyPart(i);
          walk(child);
        }
      } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
        attachmentName = part.getFileName();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.getDataHandler().writeTo(out);
        attachment = out.toString(StandardCharsets.UTF_8);
      } else if (part.isMimeType("text/html")) {
        html = (String) part.getContent();
      } else if (part.isMimeType("text/plain")) {
        text = (String) part.getContent();
      }
    }
  }
}
