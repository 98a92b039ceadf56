package io.tracetrack.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * F-BILL weights, always derived from current links, never stored: actual = children linked × kg
 * per child; expected = the children the parents are expected to carry (each parent's limit, or its
 * count if finished short: {@link BillRules#expectedChildren}) × kg per child. Three parents of 5,
 * 3 and 30 expect 38 kg at 1 kg a child, not 3 × 30. Decimal, because weights end up on manifests.
 *
 * @param kgPerChild weight of one child bag (default 1 kg)
 */
public record WeightPolicy(BigDecimal kgPerChild) {

  private static final WeightPolicy DEFAULTS = new WeightPolicy(BigDecimal.ONE);

  public WeightPolicy {
    Objects.requireNonNull(kgPerChild, "kgPerChild");
    if (kgPerChild.signum() <= 0) {
      throw new IllegalArgumentException("the weight of a child bag must be positive");
    }
  }

  public static WeightPolicy defaults() {
    return DEFAULTS;
  }

  public BigDecimal actualKg(long children) {
    requireNonNegative(children, "children");
    return kgPerChild.multiply(BigDecimal.valueOf(children));
  }

  /** The weight of {@code expectedChildren} children: what the parents should carry when loaded as meant. */
  public BigDecimal expectedKg(long expectedChildren) {
    requireNonNegative(expectedChildren, "expectedChildren");
    return kgPerChild.multiply(BigDecimal.valueOf(expectedChildren));
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }
}
