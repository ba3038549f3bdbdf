package io.github.ailabkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.internal.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The account's one credit pool: every accepted submit or call costs one credit. Thread-safe. */
final class CreditPool {
  private final AtomicLong balance;
  private final long total;
  private final Clock clock;
  private final Instant boughtAt;
  private volatile Instant updatedAt;

  CreditPool(long total, Clock clock) {
    this.balance = new AtomicLong(total);
    this.total = total;
    this.clock = clock;
    this.boughtAt = clock.instant();
    this.updatedAt = boughtAt;
  }

  /** Takes one credit; false, and nothing taken, when the pool is empty. */
  boolean tryCharge() {
    if (balance.getAndUpdate(b -> b > 0 ? b - 1 : b) <= 0) {
      return false;
    }
    updatedAt = clock.instant();
    return true;
  }

  /** The {@code data} array of the credits query. */
  JsonNode toJson() {
    ArrayNode pools = Json.mapper().createArrayNode();
    ObjectNode pool = pools.addObject();
    pool.put("unique_sign", "ailabapi_general");
    pool.put("name", "AILabAPI credits (simulated)");
    pool.put("balance", balance.get());
    pool.put("total", total);
    pool.put("last_recharge_balance", total);
    pool.put("balance_warning", total / 10);
    pool.put("first_buy_time", boughtAt.getEpochSecond());
    pool.put("last_update_time", updatedAt.getEpochSecond());
    return pools;
  }
}
