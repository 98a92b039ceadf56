package io.tracetrack.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between one dock and the hub: a TCP proxy on loopback that a seeded random source
 * makes misbehave. While faults are on, each chunk the dock sends may be delayed, dropped (the
 * connection closed before it is forwarded, or just after, so the hub may have acted on a request
 * whose answer never arrives) or reset (RST). A partition is a black hole: connections are accepted
 * and held, nothing is forwarded either way and nothing is answered, as a dead router looks; healing
 * closes what was held. The hub may restart on another port: {@link #retarget} follows it.
 *
 * <p>Which fault hits which chunk is drawn in the order chunks arrive, so with real timing the same
 * seed gives the same sequence of draws, not the same victims.
 */
final class FaultProxy implements AutoCloseable {

  private static final double DROP_BEFORE = 0.012;
  private static final double DROP_AFTER = 0.012;
  private static final double RESET = 0.008;
  private static final double DELAY = 0.10;
  private static final boolean TRACE = Boolean.getBoolean("chaos.trace");

  private final ServerSocket server;
  private final Random random;
  private final AtomicLong drops;
  private volatile InetSocketAddress target;
  private volatile boolean faults;
  private int partitions;
  private volatile boolean partitioned;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();

  FaultProxy(int targetPort, long seed, AtomicLong drops) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.random = new Random(seed);
    this.drops = drops;
    this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("fault-proxy-" + server.getLocalPort()).start(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  void retarget(int targetPort) {
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
  }

  /** Connections the dock opened and chunks it sent towards the hub, for the run's log. */
  String traffic() {
    return connections.get() + " connections, " + chunks.get() + " chunks towards the hub";
  }

  /** Turns the random delays, drops and resets on or off (partitions are separate). */
  void faults(boolean on) {
    faults = on;
  }

  /** Opens a partition; partitions nest, the line is whole again when the last one closes. */
  synchronized void partition() {
    partitions++;
    partitioned = true;
  }

  /** Closes one partition; the last one closes every connection the black hole held. */
  synchronized void heal() {
    if (partitions > 0 && --partitions == 0) {
      partitioned = false;
      open.forEach(FaultProxy::closeQuietly);
    }
  }

  /** Closes every partition and stops the random faults: the network is healthy from now on. */
  synchronized void healAll() {
    faults = false;
    if (partitions > 0) {
      partitions = 1;
      heal();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      Thread.ofVirtual().start(() -> relay(client));
    }
  }

  private void relay(Socket client) {
    open.add(client);
    Socket upstream = new Socket();
    try {
      if (partitioned) {
        // the black hole: take what the dock sends and say nothing, until healed or given up on
        hold(client);
        return;
      }
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        return; // the hub is down: the dock sees its connection closed
      }
      open.add(upstream);
      Thread up = Thread.ofVirtual().start(() -> pump(client, upstream, true));
      pump(upstream, client, false);
      up.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
      open.remove(upstream);
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private static void hold(Socket client) {
    byte[] sink = new byte[16 * 1024];
    try (InputStream in = client.getInputStream()) {
      while (in.read(sink) >= 0) {
        // swallowed
      }
    } catch (IOException e) {
      // healed (closed by heal) or the dock gave up
    }
  }

  private void pump(Socket from, Socket to, boolean towardsHub) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (partitioned) {
          continue; // a connection caught by a partition: its bytes fall into the hole
        }
        if (towardsHub) {
          chunks.incrementAndGet();
          if (TRACE) {
            // -Dchaos.trace=true: each chunk towards the hub, to see what a dock sent when
            System.err.println(System.nanoTime() / 1_000_000 + " " + url() + " " + n + " bytes: "
                + new String(buffer, 0, Math.min(n, 60), StandardCharsets.ISO_8859_1).replace("\r\n", " | "));
          }
        }
        if (towardsHub && faults && !misbehave(from, to)) {
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed, or a fault closed both: this direction is done
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Draws this chunk's fate: {@code false} when the connection was cut instead of forwarding it. */
  private boolean misbehave(Socket dock, Socket hub) throws InterruptedException, IOException {
    double roll;
    long delay;
    synchronized (random) {
      roll = random.nextDouble();
      delay = 20 + random.nextInt(230);
    }
    if (roll < DROP_BEFORE) {
      drops.incrementAndGet();
      return false;
    }
    if (roll < DROP_BEFORE + DROP_AFTER) {
      drops.incrementAndGet();
      // let this chunk reach the hub and cut the line while it answers: the answer is lost
      Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        closeQuietly(dock);
        closeQuietly(hub);
      });
      return true;
    }
    if (roll < DROP_BEFORE + DROP_AFTER + RESET) {
      drops.incrementAndGet();
      dock.setSoLinger(true, 0);
      return false;
    }
    if (roll < DROP_BEFORE + DROP_AFTER + RESET + DELAY) {
      Thread.sleep(delay);
    }
    return true;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(FaultProxy::closeQuietly);
  }
}
