package io.tracetrack.web;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.Optional;

/**
 * Argon2id hashing (memory-hard) and the one password policy of dock and hub: a password a hub
 * admin sets must also be one the dock accepts, once users sync down.
 */
public final class Passwords {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 256;

  /** OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane. What the apps hash with. */
  static final Argon2Function OWASP = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  /**
   * The same algorithm at its smallest cost (64 KiB, 1 pass): for the build's own test JVMs only,
   * which create and sign in thousands of users, and spent more than half their CPU in 19 MiB
   * hashes. Chosen by {@value #TEST_COST_PROPERTY}{@code =true}, which only the build's test
   * configuration sets; the apps' processes never get it, and a hash states its own cost, so
   * checking a hash is the same code either way.
   */
  static final Argon2Function TEST_COST = Argon2Function.getInstance(64, 1, 1, 32, Argon2.ID);
  static final String TEST_COST_PROPERTY = "tracetrack.test.cheap-password-hashes";
  private static final Argon2Function ARGON2 = function(System.getProperty(TEST_COST_PROPERTY));
  /**
   * Checked when the user does not exist, so that case takes as long as a wrong password: a hash of
   * "no such user, no such password" at each cost, made once and written here. It protects nothing
   * (no account has it) and only its cost matters; hashing it when the class loads cost every
   * process of both apps, {@code status} and {@code --help} too, one full 19 MiB hash at start.
   */
  static final String DUMMY_OWASP =
      "$argon2id$v=19$m=19456,t=2,p=1$ZbxVJ5VISiaU63K9c0OIuQ$3WlkZxmLwXl8ssuQtF63GsHIBXPMKB0JeKrauhLceLk";
  static final String DUMMY_TEST_COST =
      "$argon2id$v=19$m=64,t=1,p=1$67xjU6hqQbfjmWL7z2yuwA$t36sV/IhL8GtuibMxly2qSBC6MDmh5NFTwqpJTH4JHc";
  private static final String DUMMY = ARGON2 == TEST_COST ? DUMMY_TEST_COST : DUMMY_OWASP;

  private Passwords() {}

  /**
   * Whether this JVM hashes at the tests' cost. Both apps' {@code main} refuse to start when it
   * does: a hub or dock with the switch set by mistake would store weak hashes for real users.
   */
  public static boolean atTestCost() {
    return ARGON2 == TEST_COST;
  }

  static Argon2Function function(String testCost) {
    return "true".equals(testCost) ? TEST_COST : OWASP;
  }

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  public static boolean verify(String password, String hash) {
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Spends the time a real check would, for a user that does not exist. */
  public static void burn(String password) {
    verify(password, DUMMY);
  }

  /** The policy: 12–256 characters, not blank, at least three of lower, upper, digit, symbol. */
  public static Optional<String> problem(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return Optional.of("a password needs at least " + MIN_LENGTH + " characters");
    }
    if (password.length() > MAX_LENGTH) {
      return Optional.of("a password has at most " + MAX_LENGTH + " characters");
    }
    int classes = 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c) && !Character.isWhitespace(c)) ? 1 : 0;
    if (classes < 3) {
      return Optional.of("a password needs three of: lower-case, upper-case, digits, symbols");
    }
    return Optional.empty();
  }
}
