package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.Credits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the answer of {@code GET /api/common/query-credits} into {@link Credits}. */
public final class CreditsReader {
  /** 10^11: as seconds the year 5138, as milliseconds 1973; real timestamps are one or the other. */
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;

  private CreditsReader() {
  }

  /** The credits in a successful answer; entries that are not objects are skipped. */
  public static Credits read(JsonNode root) {
    List<Credits.Pool> pools = new ArrayList<>();
    for (JsonNode entry : root.path("data")) {
      if (entry.isObject()) {
        pools.add(new Credits.Pool(Json.text(entry, "unique_sign"), Json.text(entry, "name"),
            entry.path("balance").asDouble(0), entry.path("total").asDouble(0),
            entry.path("last_recharge_balance").asDouble(0), entry.path("balance_warning").asDouble(0),
            epochSeconds(entry.path("first_buy_time")), epochSeconds(entry.path("last_update_time"))));
      }
    }
    return new Credits(Json.text(root, "request_id"), Json.text(root, "log_id"), ResponseReader.errorDetail(root),
        pools);
  }

  /**
   * A Unix timestamp, documented in seconds; a value too large for seconds (after the year 5138) is taken as
   * milliseconds, which some services send instead. Zero, absent or unreadable is null.
   */
  private static Instant epochSeconds(JsonNode value) {
    long number = value.asLong(0);
    if (number <= 0) {
      return null;
    }
    return number >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
  }
}
