package io.tracetrack.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's one JSON line and its differences. {@code acked} counts scans a dock answered
 * accepted; {@code conflicts} the hub's conflicts of these docks (each a scan refused, as it should
 * be, and recorded).
 */
record Report(long seed, int docks, int seconds, int scans, int acked, int kills, int hubKills, int partitions,
    long drops, int conflicts, int lostAcked, int appliedTwice, int overLimit, int diverged, int stuck,
    List<String> differences) {

  boolean clean() {
    return lostAcked == 0 && appliedTwice == 0 && overLimit == 0 && diverged == 0 && stuck == 0;
  }

  String json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seed", seed);
    out.put("docks", docks);
    out.put("seconds", seconds);
    out.put("scans", scans);
    out.put("acked", acked);
    Map<String, Object> faults = new LinkedHashMap<>();
    faults.put("kills", kills);
    faults.put("hubKills", hubKills);
    faults.put("partitions", partitions);
    faults.put("drops", drops);
    out.put("faults", faults);
    out.put("conflicts", conflicts);
    out.put("lostAcked", lostAcked);
    out.put("appliedTwice", appliedTwice);
    out.put("overLimit", overLimit);
    out.put("diverged", diverged);
    out.put("stuck", stuck);
    try {
      return Http.JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
