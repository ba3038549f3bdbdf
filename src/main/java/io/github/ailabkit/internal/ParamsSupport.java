package io.github.ailabkit.internal;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Form;
import java.math.BigDecimal;

/** What the generated params classes share: the presence check of {@code build()} and number text. */
public final class ParamsSupport {
  private ParamsSupport() {
  }

  /**
   * {@code form}, frozen, once every field {@code endpoint} requires is present: a builder hands it to the
   * params it builds without copying it, and copies it only if it is changed afterwards
   * ({@link #writable(Form)}).
   *
   * @throws io.github.ailabkit.ValidationException listing every missing field
   */
  public static Form checked(Endpoint endpoint, Form form) {
    FormValidator.checkPresence(endpoint, form);
    return form.freeze();
  }

  /** {@code form} if it can still be changed, else a writable copy: a builder's copy on write. */
  public static Form writable(Form form) {
    return form.isReadOnly() ? form.copy() : form;
  }

  /**
   * A number as the API reads it: {@code 0.5}, {@code 2} (not {@code 2.0}), never an exponent.
   *
   * @throws IllegalArgumentException if {@code value} is not finite
   */
  public static String number(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
