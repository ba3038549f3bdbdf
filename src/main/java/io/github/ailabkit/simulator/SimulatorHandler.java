package io.github.ailabkit.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport side of the simulator: asks {@link Routes} for the answer, reads whatever is left of
 * the request (so the connection can be reused), then writes the answer, now or after the injected
 * delay. A delayed answer waits on the delay scheduler, not on a worker thread.
 *
 * <p>Logs one DEBUG line per request (method, path, status); never a header, so never the API key.
 */
final class SimulatorHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.simulator");

  private final Routes routes;
  private final Faults faults;
  private final ScheduledExecutorService delays;

  SimulatorHandler(Routes routes, Faults faults, ScheduledExecutorService delays) {
    this.routes = routes;
    this.faults = faults;
    this.delays = delays;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try {
      Answer answer = answer(exchange, method, path);
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      LOG.debug("{} {} -> {}", method, path, answer.status());
      Duration delay = faults.delay();
      if (delay.isZero()) {
        send(exchange, answer);
      } else {
        delays.schedule(() -> sendLater(exchange, answer), delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (IOException | RejectedExecutionException e) {
      LOG.debug("{} {} abandoned: {}", method, path, e.toString());
      exchange.close();
    }
  }

  private Answer answer(HttpExchange exchange, String method, String path) throws IOException {
    try {
      return routes.answer(exchange);
    } catch (RuntimeException e) {
      LOG.debug("{} {} failed inside the simulator", method, path, e);
      return Answers.error(WireForm.NEW, Failure.of(500, "PROCESSING_FAILURE"));
    }
  }

  private static void sendLater(HttpExchange exchange, Answer answer) {
    try {
      send(exchange, answer);
    } catch (IOException e) {
      LOG.debug("delayed answer to {} {} not delivered: {}", exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(), e.toString());
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", answer.contentType());
      answer.headers().forEach(headers::set);
      byte[] body = answer.body();
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    } finally {
      exchange.close();
    }
  }
}
