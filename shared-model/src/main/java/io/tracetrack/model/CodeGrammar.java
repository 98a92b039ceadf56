package io.tracetrack.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The code formats of one deployment (F-CODE), configurable because label stock changes. Patterns
 * are matched against whole, already normalised codes.
 *
 * @param countedParent parents that carry their expected count in a named group {@code count}
 * @param plainParent parents without a count (limit {@link ParentLimits#MAX_CHILDREN})
 * @param child child bags
 * @param billId bill identifiers
 */
public record CodeGrammar(Pattern countedParent, Pattern plainParent, Pattern child, Pattern billId) {

  public static final String DEFAULT_COUNTED_PARENT = "P[0-9]{1,20}-(?<count>[0-9]{1,2})";
  public static final String DEFAULT_PLAIN_PARENT = "SB[0-9]{5}";
  public static final String DEFAULT_CHILD = "C[0-9]{1,40}";
  public static final String DEFAULT_BILL_ID = "[A-Z0-9]{6,20}";

  private static final CodeGrammar DEFAULTS =
      of(DEFAULT_COUNTED_PARENT, DEFAULT_PLAIN_PARENT, DEFAULT_CHILD, DEFAULT_BILL_ID);

  public CodeGrammar {
    Objects.requireNonNull(countedParent, "countedParent");
    Objects.requireNonNull(plainParent, "plainParent");
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(billId, "billId");
    if (!countedParent.pattern().contains("(?<count>")) {
      throw new IllegalArgumentException(
          "the counted-parent pattern needs a named group (?<count>...): " + countedParent.pattern());
    }
  }

  /** P&lt;digits&gt;-&lt;n&gt;, SB&lt;5 digits&gt;, C&lt;digits&gt;, bill ids of 6–20 letters and digits. */
  public static CodeGrammar defaults() {
    return DEFAULTS;
  }

  /**
   * Builds a grammar from configuration text.
   *
   * @throws IllegalArgumentException naming the pattern that does not compile
   */
  public static CodeGrammar of(String countedParent, String plainParent, String child, String billId) {
    return new CodeGrammar(
        compile("counted-parent", countedParent),
        compile("plain-parent", plainParent),
        compile("child", child),
        compile("bill-id", billId));
  }

  private static Pattern compile(String name, String regex) {
    if (regex == null || regex.isBlank()) {
      throw new IllegalArgumentException("the " + name + " pattern is empty");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "the " + name + " pattern is not a valid regular expression: " + e.getDescription(), e);
    }
  }

  /** Normalises raw input and classifies it in one step: what every scan entry point calls. */
  public CodeKind read(String raw) {
    return switch (CodeNormalizer.normalize(raw)) {
      case CodeInput.Invalid invalid -> new CodeKind.NotACode(invalid.rejection());
      case CodeInput.Valid valid -> classify(valid.code());
    };
  }

  /** Classifies an already normalised code. */
  public CodeKind classify(String code) {
    Optional<StationCommand> command = StationCommand.fromCode(code);
    if (command.isPresent()) {
      return new CodeKind.Command(command.get());
    }
    Matcher counted = countedParent.matcher(code);
    boolean isCounted = counted.matches();
    boolean isPlain = plainParent.matcher(code).matches();
    boolean isChild = child.matcher(code).matches();
    if ((isCounted || isPlain) && isChild) {
      return new CodeKind.NotACode(
          Rejection.invalidCode(
              CodeProblem.AMBIGUOUS,
              code + " matches both the parent and the child format; refusing to guess its role"));
    }
    if (isCounted) {
      return countedParent(code, counted.group("count"));
    }
    if (isPlain) {
      return new CodeKind.Parent(code, null, ParentLimits.MAX_CHILDREN);
    }
    if (isChild) {
      return new CodeKind.Child(code);
    }
    return new CodeKind.NotACode(
        Rejection.invalidCode(
            CodeProblem.UNKNOWN_FORMAT,
            code + " is not a bag code here: " + formats()));
  }

  /**
   * The code formats in words a dispatcher can check a label against: examples for the default
   * formats (a regular expression on a phone-sized station helps nobody), the patterns themselves
   * for a dock configured with its own.
   */
  private String formats() {
    if (countedParent.pattern().equals(DEFAULT_COUNTED_PARENT) && plainParent.pattern().equals(DEFAULT_PLAIN_PARENT)
        && child.pattern().equals(DEFAULT_CHILD)) {
      return "parents look like P1001-30 or SB12345, children like C12345";
    }
    return "parents match " + countedParent.pattern() + " or " + plainParent.pattern() + ", children "
        + child.pattern();
  }

  private static CodeKind countedParent(String code, String countText) {
    // the regex may allow long digit runs; parse defensively instead of trusting it
    String digits = countText.replaceFirst("^0+(?=.)", "");
    int count = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    if (count < 1 || count > ParentLimits.MAX_CHILDREN) {
      return new CodeKind.NotACode(
          Rejection.invalidCode(
              CodeProblem.COUNT_OUT_OF_RANGE,
              code + " asks for " + countText + " children; a parent holds 1 to "
                  + ParentLimits.MAX_CHILDREN));
    }
    return new CodeKind.Parent(code, count, count);
  }

  /** Checks a bill id (already normalised), returning the reason it is refused, if it is. */
  public Optional<Rejection> billIdProblem(String normalizedBillId) {
    if (billId.matcher(normalizedBillId).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        Rejection.invalidCode(
            CodeProblem.UNKNOWN_FORMAT,
            normalizedBillId + " is not a bill id (" + billId.pattern() + ")"));
  }
}
