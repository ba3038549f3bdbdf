package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.OptionalInt;

/**
 * Reads the API's numeric fields exactly: no truncation to {@code int}, no decimal read as its integer part.
 * The mapper keeps every JSON number exact ({@code BigDecimal} for decimals), so {@code 1e-400} is not zero
 * and {@code 2.0000000000000001} is not 2.
 */
public final class WireNumbers {
  private WireNumbers() {
  }

  /**
   * Whether an {@code error_code} reports an error: any number other than zero (decimals and numbers past
   * {@code int} included), and any non-blank text that is not a spelling of zero ({@code "0.5"},
   * {@code "+5"}, {@code "1e3"}, {@code "ERROR"}): a code that cannot be proved zero is not read as success.
   * Absent, null, blank, zero and {@code "0"} report none.
   */
  public static boolean reportsError(JsonNode code) {
    if (code != null && code.isTextual()) {
      String text = code.asText().trim();
      if (text.isEmpty()) {
        return false;
      }
      try {
        return text.length() > 40 || new BigDecimal(text).signum() != 0;
      } catch (NumberFormatException notANumber) {
        return true;
      }
    }
    BigDecimal value = exact(code);
    return value != null && value.signum() != 0;
  }

  /**
   * The value of an integral number that fits an {@code int}, in any JSON spelling ({@code 2}, {@code 2.0},
   * {@code 2e0}) or as digits in a string; empty for anything else (a fraction, a number past
   * {@code int}, other text, an object).
   */
  public static OptionalInt exactInt(JsonNode value) {
    BigDecimal exact = exact(value);
    if (exact == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(exact.intValueExact());
    } catch (ArithmeticException notAnInt) {
      return OptionalInt.empty();
    }
  }

  /** The exact value of a JSON number, or of a string of digits; null otherwise. */
  private static BigDecimal exact(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isNumber()) {
      return value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
    }
    String text = value.isTextual() ? value.asText().trim() : "";
    if (text.isEmpty() || text.length() > 40 || !text.matches("-?\\d+")) {
      return null;
    }
    return new BigDecimal(text);
  }
}
