package io.tracetrack.hub.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between one dock and the hub that a test can cut and heal: the network
 * partition of the real-process sync tests. Cut, it drops every open connection and closes each new
 * one at once, as a pulled cable looks to the dock (a refused or reset connection, never an
 * answer). It is the network, outside the system, so a test may own it.
 */
final class FaultProxy implements AutoCloseable {

  private final ServerSocket server;
  private volatile InetSocketAddress target;
  private final AtomicBoolean cut = new AtomicBoolean();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong toHub = new AtomicLong();
  private final Thread acceptor;

  FaultProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("fault-proxy-" + server.getLocalPort()).start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Bytes the dock has sent towards the hub so far (a test waits on it to kill mid-push). */
  long bytesToHub() {
    return toHub.get();
  }

  void cut() {
    cut.set(true);
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** Points the line at a restarted hub (which serves on a new port). */
  void retarget(int targetPort) {
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
  }

  void heal() {
    cut.set(false);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (cut.get()) {
        closeQuietly(client);
        continue;
      }
      Thread.ofVirtual().start(() -> relay(client));
    }
  }

  private void relay(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5_000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    open.add(client);
    open.add(upstream);
    Thread up = Thread.ofVirtual().start(() -> pump(client, upstream, toHub));
    pump(upstream, client, null);
    try {
      up.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    open.remove(client);
    open.remove(upstream);
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (cut.get()) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
        if (counter != null) {
          counter.addAndGet(n);
        }
      }
    } catch (IOException e) {
      // the other side closed, or the test cut the line: either way this direction is done
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket that is already gone
    }
  }

  @Override
  public void close() {
    cut();
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    acceptor.interrupt();
  }
}
