package io.tracetrack.web.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so tests can send what no well-behaved client would: two
 * Content-Lengths, a negative one, half a request. Reads one answer: up to its Content-Length, or
 * until the server closes (the server may keep the connection open after answering).
 */
public final class RawHttp {

  /**
   * A parsed answer; {@code status} 0 means the server closed without answering. {@code raw} is
   * the answer as received, status line included, for assertions on the wire form.
   */
  public record Answer(int status, Map<String, String> headers, String body, String raw) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Generous: only a server that never closes the connection makes a test wait this long. */
  public static final int GIVE_UP_MILLIS = 60_000;

  private RawHttp() {}

  public static Answer send(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(GIVE_UP_MILLIS);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  public static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
        Answer answer = parse(all.toString(StandardCharsets.UTF_8));
        if (answer != null && answer.status() != 0) {
          return answer;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed within " + GIVE_UP_MILLIS + " ms", e);
    } catch (java.net.SocketException e) {
      // reset by the server: counts as closed
    }
    Answer answer = parse(all.toString(StandardCharsets.UTF_8));
    return answer == null ? new Answer(0, Map.of(), "", all.toString(StandardCharsets.UTF_8)) : answer;
  }

  /** A complete answer, or null while more bytes are needed. */
  private static Answer parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return null;
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(end + 4);
    String length = headers.get("content-length");
    if (length != null && body.getBytes(StandardCharsets.UTF_8).length < Integer.parseInt(length)) {
      return null;
    }
    return new Answer(status, headers, body, text);
  }

  public static String post(String host, String path, String contentType, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
  }
}
