package io.tracetrack.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The text of a bill's manifest QR, {@code TT1 BILL <id> N <count> <parent> <parent> ...}: what a
 * dock at the destination needs to receive the load with no network, in one scan. The hub prints
 * it ({@link #text}); the receiving station reads it ({@link #read}).
 *
 * <p>Only upper-case letters, digits, '-' and spaces, all in the QR alphanumeric set (the densest
 * mode a full bill needs); no line breaks, because a keyboard-wedge scanner types each one as Enter
 * and would split the scan. The count lets the reader tell a complete read from a cut one.
 *
 * @param bill the bill id
 * @param parents the parents on the bill, in the manifest's order, each once
 */
public record ManifestCode(String bill, List<String> parents) {

  /** What every manifest QR starts with; a scan starting so is a manifest, whole or not. */
  public static final String MARK = "TT1 ";

  /** Most parents a bill holds (its largest capacity), so the most a manifest lists. */
  public static final int MAX_PARENTS = 100;

  /** Longest text a manifest can be: the header and {@link #MAX_PARENTS} codes of 64 characters. */
  public static final int MAX_LENGTH = 40 + MAX_PARENTS * 65;

  private static final Pattern BILL = Pattern.compile("[A-Z0-9]{1,20}");
  private static final Pattern CODE = Pattern.compile("[A-Z0-9-]{1,64}");

  public ManifestCode {
    Objects.requireNonNull(bill, "bill");
    parents = List.copyOf(parents);
    if (!BILL.matcher(bill).matches()) {
      throw new IllegalArgumentException("a bill id in a manifest is 1-20 upper-case letters and digits: " + bill);
    }
    if (parents.size() > MAX_PARENTS || new LinkedHashSet<>(parents).size() != parents.size()
        || !parents.stream().allMatch(p -> CODE.matcher(p).matches())) {
      throw new IllegalArgumentException("a manifest lists up to " + MAX_PARENTS + " distinct parent codes");
    }
  }

  /** What a manifest scan came to. */
  public sealed interface Read {
    record Whole(ManifestCode manifest) implements Read {}

    /** It starts like a manifest but is not a whole one: {@code why} is a sentence for the dock. */
    record Unreadable(String why) implements Read {}
  }

  /** Whether {@code raw} is meant as a manifest (it starts with {@link #MARK}, in any case). */
  public static boolean isManifest(String raw) {
    return raw != null && raw.strip().regionMatches(true, 0, MARK, 0, MARK.length());
  }

  /** The QR text. */
  public String text() {
    StringBuilder text = new StringBuilder(MARK).append("BILL ").append(bill).append(" N ").append(parents.size());
    parents.forEach(p -> text.append(' ').append(p));
    return text.toString();
  }

  /**
   * Reads a scanned manifest. A scanner may type it in lower case (caps lock) and with doubled
   * spaces; anything else off (a count that does not match, a code that cannot be a bag's) is
   * unreadable, never half taken.
   */
  public static Read read(String raw) {
    if (!isManifest(raw)) {
      return new Read.Unreadable("not a manifest: a manifest QR starts with TT1");
    }
    if (raw.length() > MAX_LENGTH) {
      return new Read.Unreadable("longer than any manifest (" + MAX_LENGTH + " characters)");
    }
    String[] words = raw.strip().toUpperCase(Locale.ROOT).split(" +");
    if (words.length < 5 || !words[1].equals("BILL") || !words[3].equals("N")) {
      return new Read.Unreadable("the manifest QR was not read whole (it reads TT1 BILL <id> N <count> ...): scan it again");
    }
    if (!BILL.matcher(words[2]).matches()) {
      return new Read.Unreadable("the manifest's bill id " + words[2] + " is not a bill id: scan it again");
    }
    int count;
    try {
      count = Integer.parseInt(words[4]);
    } catch (NumberFormatException e) {
      return new Read.Unreadable("the manifest's count " + words[4] + " is not a number: scan it again");
    }
    int listed = words.length - 5;
    if (count != listed) {
      return new Read.Unreadable("the manifest QR of bill " + words[2] + " was read in part (" + listed + " of "
          + count + " parents): scan it again");
    }
    List<String> parents = new ArrayList<>(listed);
    for (int i = 5; i < words.length; i++) {
      if (!CODE.matcher(words[i]).matches() || parents.contains(words[i])) {
        return new Read.Unreadable("the manifest of bill " + words[2] + " lists " + words[i]
            + (parents.contains(words[i]) ? " twice" : ", which is no bag code") + ": scan it again");
      }
      parents.add(words[i]);
    }
    if (count > MAX_PARENTS) {
      return new Read.Unreadable("a manifest lists at most " + MAX_PARENTS + " parents, not " + count);
    }
    return new Read.Whole(new ManifestCode(words[2], parents));
  }
}
