package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.error;
import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.ailabkit.testing.RecordedSleeper;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/common/query-credits}: what is sent and how the balances are read. */
class CreditsTest {
  private static final String KEY = "credits-key-0123456789";

  @StartStop final MockWebServer server = new MockWebServer();

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;

  @BeforeEach
  void setUp() {
    client = ClientSeams.recorded(KEY, server, sleeper).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static String pool(String sign, String name, String balance, String total, String lastRecharge,
      String warning, String firstBuy, String lastUpdate) {
    return "{\"unique_sign\":\"" + sign + "\",\"name\":\"" + name + "\",\"balance\":" + balance + ",\"total\":" + total
        + ",\"last_recharge_balance\":" + lastRecharge + ",\"balance_warning\":" + warning
        + ",\"first_buy_time\":" + firstBuy + ",\"last_update_time\":" + lastUpdate + "}";
  }

  private static String answer(String... pools) {
    return "{\"request_id\":\"req-credits\",\"log_id\":\"log-credits\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"data\":["
        + String.join(",", pools) + "]}";
  }

  @Test
  void parsesEveryPoolAndSendsOneGetWithTheKey() throws Exception {
    server.enqueue(json(answer(
        pool("hairstyle-editor-pro", "Hairstyle Changer Pro", "120.5", "500", "300", "50", "1700000000", "1714743372"),
        pool("cutout", "Universal Background Removal", "3", "100", "100", "10", "1690000000", "1714000000"))));

    Credits credits = client.credits();

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/common/query-credits");
    assertThat(request.getHeaders().values("ailabapi-api-key")).containsExactly(KEY);
    assertThat(request.getBodySize()).isZero();

    assertThat(credits.requestId()).isEqualTo("req-credits");
    assertThat(credits.logId()).isEqualTo("log-credits");
    assertThat(credits.errorDetail()).isEqualTo(ErrorDetail.NONE);
    assertThat(credits.pools()).hasSize(2);
    Credits.Pool hair = credits.pools().get(0);
    assertThat(hair.uniqueSign()).isEqualTo("hairstyle-editor-pro");
    assertThat(hair.name()).isEqualTo("Hairstyle Changer Pro");
    assertThat(hair.balance()).isEqualTo(120.5);
    assertThat(hair.total()).isEqualTo(500);
    assertThat(hair.lastRechargeBalance()).isEqualTo(300);
    assertThat(hair.balanceWarning()).isEqualTo(50);
    assertThat(hair.firstBuyTime()).isEqualTo(Instant.ofEpochSecond(1700000000L));
    assertThat(hair.lastUpdateTime()).isEqualTo(Instant.parse("2024-05-03T13:36:12Z"));
    assertThat(hair.isLow()).isFalse();
    assertThat(credits.pools().get(1).isLow()).isTrue();
    assertThat(credits.totalBalance()).isCloseTo(123.5, within(1e-9));
  }

  @Test
  void balanceAtTheWarningThresholdIsLow() throws Exception {
    server.enqueue(json(answer(pool("a", "A", "10", "100", "100", "10", "0", "0"),
        pool("b", "B", "10.01", "100", "100", "10", "0", "0"))));

    Credits credits = client.credits();

    assertThat(credits.pools().get(0).isLow()).isTrue();
    assertThat(credits.pools().get(1).isLow()).isFalse();
  }

  @Test
  void unknownTimestampsAreNull() throws Exception {
    server.enqueue(json("{\"request_id\":\"r\",\"data\":[{\"unique_sign\":\"a\",\"name\":\"A\",\"balance\":1,"
        + "\"first_buy_time\":0,\"last_update_time\":null}]}"));

    Credits.Pool pool = client.credits().pools().get(0);

    assertThat(pool.firstBuyTime()).isNull();
    assertThat(pool.lastUpdateTime()).isNull();
    assertThat(pool.total()).isZero();
  }

  @Test
  void millisecondTimestampsAreRecognised() throws Exception {
    server.enqueue(json(answer(pool("a", "A", "1", "1", "1", "0", "1714743372764", "1714743372"))));

    Credits.Pool pool = client.credits().pools().get(0);

    assertThat(pool.firstBuyTime()).isEqualTo(Instant.parse("2024-05-03T13:36:12.764Z"));
    assertThat(pool.lastUpdateTime()).isEqualTo(Instant.parse("2024-05-03T13:36:12Z"));
  }

  @Test
  void numbersSentAsStringsAreRead() throws Exception {
    server.enqueue(json(answer(pool("a", "A", "\"7.25\"", "\"10\"", "\"10\"", "\"2\"", "\"1714743372\"", "0"))));

    Credits.Pool pool = client.credits().pools().get(0);

    assertThat(pool.balance()).isEqualTo(7.25);
    assertThat(pool.balanceWarning()).isEqualTo(2);
    assertThat(pool.firstBuyTime()).isEqualTo(Instant.ofEpochSecond(1714743372L));
  }

  @Test
  void noPoolsMeansZeroBalance() throws Exception {
    server.enqueue(json(answer()));

    Credits credits = client.credits();

    assertThat(credits.pools()).isEmpty();
    assertThat(credits.totalBalance()).isZero();
  }

  @Test
  void poolsAreImmutable() throws Exception {
    server.enqueue(json(answer(pool("a", "A", "1", "1", "1", "0", "0", "0"))));

    Credits credits = client.credits();

    assertThatThrownBy(() -> credits.pools().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void errorAnswerIsAnException() {
    server.enqueue(error(401, "ERROR_USER_NOT_EXISTS"));

    assertThatThrownBy(client::credits)
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.errorCode()).isEqualTo("ERROR_USER_NOT_EXISTS");
          assertThat(e.getMessage()).doesNotContain(KEY);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void oldFormErrorInsideA200IsAnException() {
    server.enqueue(json("{\"request_id\":\"r\",\"error_code\":403,\"error_code_str\":\"ERROR_USER_LOCKED\","
        + "\"error_msg\":\"locked\",\"data\":[]}"));

    assertThatThrownBy(client::credits)
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.errorCode()).isEqualTo("ERROR_USER_LOCKED"));
  }

  @Test
  void aQueryIsReadOnlySoA503IsRetried() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(json(answer(pool("a", "A", "5", "5", "5", "1", "0", "0"))));

    assertThat(client.credits().totalBalance()).isEqualTo(5);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).hasSize(1);
  }
}
