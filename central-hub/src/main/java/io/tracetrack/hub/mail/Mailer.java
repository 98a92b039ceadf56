package io.tracetrack.hub.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/** Sends one message through the configured SMTP server, synchronously. */
public final class Mailer {

  /** How long a connect or a server answer may take before the send counts as failed. */
  private static final String TIMEOUT_MS = "20000";

  private final SmtpSettings settings;
  private final Session session;
  private final Clock clock;

  public Mailer(SmtpSettings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    Properties props = new Properties();
    String protocol = settings.tls() == SmtpSettings.Tls.TLS ? "smtps" : "smtp";
    props.put("mail.transport.protocol", protocol);
    props.put("mail." + protocol + ".host", settings.host());
    props.put("mail." + protocol + ".port", Integer.toString(settings.port()));
    props.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MS);
    props.put("mail." + protocol + ".timeout", TIMEOUT_MS);
    props.put("mail." + protocol + ".writetimeout", TIMEOUT_MS);
    props.put("mail." + protocol + ".auth", Boolean.toString(settings.user() != null));
    if (settings.tls() == SmtpSettings.Tls.STARTTLS) {
      // required, not merely enabled: a server that cannot upgrade must not get the password in clear
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
    }
    if (settings.tls().encrypted()) {
      props.put("mail." + protocol + ".ssl.checkserveridentity", "true");
    }
    Authenticator auth = settings.user() == null ? null : new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(settings.user(), settings.password() == null ? "" : settings.password());
      }
    };
    this.session = Session.getInstance(props, auth);
  }

  /** A file sent along. */
  public record Attachment(String filename, String contentType, byte[] content) {
    public Attachment {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(contentType, "contentType");
      content = content.clone();
    }
  }

  /** One message: plain text and HTML alternatives of the same content, and attachments. */
  public record Letter(List<String> to, String subject, String text, String html, List<Attachment> attachments) {
    public Letter {
      to = List.copyOf(to);
      attachments = List.copyOf(attachments);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("a letter needs a recipient");
      }
    }
  }

  /** A bare address, {@code local@domain.tld}: no display name, brackets, spaces, controls or lists. */
  private static final java.util.regex.Pattern BARE = java.util.regex.Pattern.compile(
      "[^\\s<>@\",;:()\\[\\]\\\\]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  /** Whether an address is one this mailer would send to: a bare address the mail library also accepts. */
  public static boolean validAddress(String address) {
    if (address == null || address.length() > 254 || !BARE.matcher(address).matches()) {
      return false;
    }
    try {
      InternetAddress parsed = new InternetAddress(address, true);
      parsed.validate();
      return parsed.getPersonal() == null && address.equals(parsed.getAddress());
    } catch (AddressException e) {
      return false;
    }
  }

  /**
   * Hands the letter to the SMTP server.
   *
   * @throws MessagingException when the server is unreachable, refuses the login or the message
   */
  public void send(Letter letter) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from()));
    for (String to : letter.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
    }
    message.setSubject(letter.subject(), "UTF-8");
    message.setSentDate(Date.from(clock.instant()));
    MimeMultipart alternatives = new MimeMultipart("alternative");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(letter.text(), "UTF-8", "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(letter.html(), "UTF-8", "html");
    alternatives.addBodyPart(text);
    alternatives.addBodyPart(html);
    MimeBodyPart body = new MimeBodyPart();
    body.setContent(alternatives);
    MimeMultipart mixed = new MimeMultipart("mixed");
    mixed.addBodyPart(body);
    for (Attachment a : letter.attachments()) {
      MimeBodyPart part = new MimeBodyPart();
      part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
      part.setFileName(a.filename());
      mixed.addBodyPart(part);
    }
    message.setContent(mixed);
    Transport.send(message);
  }
}
