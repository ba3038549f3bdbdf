package io.github.ailabkit;

import java.time.Instant;
import java.util.List;

/**
 * The account's credit balances, from {@code GET /api/common/query-credits}: one pool per API product.
 *
 * @param requestId the server's request id
 * @param logId the server's log id
 * @param errorDetail {@link ErrorDetail#NONE} for a successful call
 * @param pools the credit pools, in the server's order
 */
public record Credits(String requestId, String logId, ErrorDetail errorDetail, List<Pool> pools)
    implements PublicResponseFields {

  /** Copies the pools and normalises absent strings. */
  public Credits {
    requestId = requestId == null ? "" : requestId;
    logId = logId == null ? "" : logId;
    errorDetail = errorDetail == null ? ErrorDetail.NONE : errorDetail;
    pools = pools == null ? List.of() : List.copyOf(pools);
  }

  /** The balance left across all pools. */
  public double totalBalance() {
    return pools.stream().mapToDouble(Pool::balance).sum();
  }

  /**
   * One credit pool.
   *
   * @param uniqueSign the API identifier the pool pays for
   * @param name the pool's display name
   * @param balance credits left
   * @param total credits purchased
   * @param lastRechargeBalance balance right after the last recharge
   * @param balanceWarning the low-balance alert threshold
   * @param firstBuyTime the first purchase, or null if unknown
   * @param lastUpdateTime the last balance change, or null if unknown
   */
  public record Pool(String uniqueSign, String name, double balance, double total, double lastRechargeBalance,
      double balanceWarning, Instant firstBuyTime, Instant lastUpdateTime) {

    /** Whether the balance is at or below the alert threshold. */
    public boolean isLow() {
      return balance <= balanceWarning;
    }
  }
}
