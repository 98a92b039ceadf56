package io.tracetrack.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * F-BILL weights, always derived from current links, never stored: actual = children × kg per
 * child; expected = parents × kg per full parent. Decimal, because weights end up on manifests.
 *
 * @param kgPerChild weight of one child bag (configurable, default 1 kg)
 * @param kgPerParent expected weight of one full parent (default 30 kg)
 */
public record WeightPolicy(BigDecimal kgPerChild, BigDecimal kgPerParent) {

  private static final WeightPolicy DEFAULTS =
      new WeightPolicy(BigDecimal.ONE, BigDecimal.valueOf(ParentLimits.MAX_CHILDREN));

  public WeightPolicy {
    Objects.requireNonNull(kgPerChild, "kgPerChild");
    Objects.requireNonNull(kgPerParent, "kgPerParent");
    if (kgPerChild.signum() <= 0 || kgPerParent.signum() <= 0) {
      throw new IllegalArgumentException("weights per bag must be positive");
    }
  }

  public static WeightPolicy defaults() {
    return DEFAULTS;
  }

  public BigDecimal actualKg(long children) {
    requireNonNegative(children, "children");
    return kgPerChild.multiply(BigDecimal.valueOf(children));
  }

  public BigDecimal expectedKg(long parents) {
    requireNonNegative(parents, "parents");
    return kgPerParent.multiply(BigDecimal.valueOf(parents));
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }
}
