package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ClientSeams;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.RetryEvent;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.WaitEndedEvent;
import io.github.ailabkit.WaitPollEvent;
import io.github.ailabkit.WaitStartedEvent;
import io.github.ailabkit.testing.HostileServer;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.LogCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that knows the API key (it is the API's origin, or sits in front of it) and a signed result
 * URL's query sends both back through every channel it controls: the status line, a chunk-size line,
 * headers, JSON error fields, plain and HTML bodies, a redirect's {@code Location}. Whatever the call (a
 * query, an asynchronous query, a wait with a listener, a submit, a download), no exception message,
 * cause, suppressed exception, printed stack trace, poll-listener or event-listener argument or log line
 * shows either secret.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileEchoRedactionTest {
  private static final String KEY = "sk-HOSTILE-5e1d9c7b3a2f4e60";
  private static final String SIGNATURE = "SIGd41d8cd98f00b204e9800998ecf8427e";
  private static final String FILE = "/files/out.png?X-Signature=" + SIGNATURE + "&Expires=1999999999";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @TempDir Path dir;

  /** What the server says, always carrying the key and the request line (with a download's signed query). */
  enum Channel {
    STATUS_LINE {
      @Override
      String answer(String echo) {
        return echo + "\r\n\r\n";
      }
    },
    REASON_PHRASE {
      @Override
      String answer(String echo) {
        return "HTTP/1.1 500 " + echo + "\r\nContent-Length: 0\r\n\r\n";
      }
    },
    CHUNK_SIZE_LINE {
      @Override
      String answer(String echo) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + echo + "\r\n";
      }
    },
    HEADERS {
      @Override
      String answer(String echo) {
        return "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + echo + "\r\nX-Echo: " + echo
            + "\r\nContent-Type: " + echo + "\r\n" + echo + "\r\nContent-Length: 2\r\n\r\n{}";
      }
    },
    CONTENT_LENGTH_HEADER {
      @Override
      String answer(String echo) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + echo + "\r\n\r\n{}";
      }
    },
    JSON_ERROR_FIELDS {
      @Override
      String answer(String echo) {
        String e = json(echo);
        return http("400 Bad Request", "application/json", "{\"request_id\":\"" + e + "\",\"log_id\":\"" + e
            + "\",\"error_code\":400,\"error_code_str\":\"" + e + "\",\"error_msg\":\"" + e
            + "\",\"error_detail\":{\"status_code\":400,\"code\":\"" + e + "\",\"code_message\":\"" + e
            + "\",\"message\":\"" + e + "\"}}");
      }
    },
    JSON_ERROR_INSIDE_200 {
      @Override
      String answer(String echo) {
        String e = json(echo);
        return http("200 OK", "application/json", "{\"request_id\":\"" + e + "\",\"error_code\":422,"
            + "\"error_msg\":\"" + e + "\",\"error_detail\":{\"code\":\"" + e + "\",\"message\":\"" + e + "\"}}");
      }
    },
    PLAIN_BODY {
      @Override
      String answer(String echo) {
        return http("404 Not Found", "text/plain", "no such thing: " + echo);
      }
    },
    HTML_BODY {
      @Override
      String answer(String echo) {
        return http("502 Bad Gateway", "text/html", "<html><body><h1>Bad gateway</h1>" + echo + "</body></html>");
      }
    },
    GARBLED_JSON {
      @Override
      String answer(String echo) {
        return http("200 OK", "application/json", "{\"request_id\":\"" + json(echo));
      }
    },
    REDIRECT_LOCATION {
      @Override
      String answer(String echo) {
        if (echo.contains("/moved/")) { // the redirect was followed: echo what was asked for
          return http("404 Not Found", "text/plain", echo);
        }
        return "HTTP/1.1 302 Found\r\nLocation: /moved/" + KEY + "?sig=" + SIGNATURE + "\r\nContent-Length: 0\r\n\r\n";
      }
    };

    abstract String answer(String echo);

    static String http(String status, String type, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length + "\r\n\r\n"
          + body;
    }

    static String json(String text) {
      return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
  }

  /** Calls that meet the server. */
  enum Call {
    QUERY, QUERY_ASYNC, WAIT, SUBMIT, DOWNLOAD
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Channel channel : Channel.values()) {
      for (Call call : Call.values()) {
        cases.add(Arguments.of(channel, call));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} answering a {1}")
  @MethodSource("cases")
  void noSecretEchoedThroughAnyChannelReachesAMessageCauseListenerOrLog(Channel channel, Call call)
      throws Exception {
    List<String> shown = Collections.synchronizedList(new ArrayList<>());
    try (HostileServer server = new HostileServer(requestLine -> channel.answer("key " + KEY + " for "
            + requestLine).getBytes(StandardCharsets.UTF_8));
        AILabClient client = ClientSeams.sleeper(AILabClient.builder().apiKey(KEY)
            .baseUrl(server.url("/")).maxRetries(1).callTimeout(Duration.ofSeconds(10))
            .eventListener(recordingEvents(shown)), wait -> { })
            .build();
        LogCapture poller = LogCapture.capture("io.github.ailabkit.poller");
        LogCapture logs = LogCapture.capture("io.github.ailabkit.http")) {
      TaskPollListener listener = new TaskPollListener() {
        @Override
        public void onTransientError(String taskId, int attempt, AILabException error) {
          shown.add(taskId + " " + attempt + " " + printed(error));
        }
      };
      Object outcome = outcome(() -> perform(call, client, server, listener));
      shown.add(outcome instanceof Throwable thrown ? printed(thrown) : String.valueOf(outcome));
      shown.add(logs.text());

      assertThat(server.requestCount()).as("the server was asked").isPositive();
      assertThat(logs.text()).as("the log saw the exchanges").contains("DEBUG");
      if (channel == Channel.STATUS_LINE) { // every call fails, and says (or tells the listener) what came, redacted
        assertThat(outcome).isInstanceOf(AILabException.class);
        assertThat(String.join("\n", shown)).contains("[redacted]");
      }
    }
    for (String text : shown) {
      assertThat(text).doesNotContain(KEY).doesNotContain(SIGNATURE);
    }
  }

  /** An event listener that records every argument it is given, as text. */
  private static AILabEventListener recordingEvents(List<String> shown) {
    return new AILabEventListener() {
      @Override
      public void onExchange(ExchangeEvent event) {
        shown.add(String.valueOf(event));
      }

      @Override
      public void onRetry(RetryEvent event) {
        shown.add(String.valueOf(event));
      }

      @Override
      public void onWaitStarted(WaitStartedEvent event) {
        shown.add(String.valueOf(event));
      }

      @Override
      public void onWaitPoll(WaitPollEvent event) {
        shown.add(String.valueOf(event));
      }

      @Override
      public void onWaitEnded(WaitEndedEvent event) {
        shown.add(String.valueOf(event));
      }
    };
  }

  private Object perform(Call call, AILabClient client, HostileServer server, TaskPollListener listener)
      throws Exception {
    return switch (call) {
      case QUERY -> client.getTaskResult(TASK_ID);
      case QUERY_ASYNC -> client.getTaskResultAsync(TASK_ID).join();
      case WAIT -> TaskPoller.builder(client).interval(Duration.ofMillis(20)).initialDelay(Duration.ZERO)
          .timeout(Duration.ofMillis(600)).listener(listener).build().awaitCompletion(TASK_ID);
      case SUBMIT -> client.submit(Endpoints.AI_BALD,
          Form.create().file("image", Images.write(dir, "face.png", ImageFormat.PNG, 2048)));
      case DOWNLOAD -> ResultFiles.download(client, URI.create(server.url(FILE)), dir.resolve("out.png"));
    };
  }

  private interface Action {
    Object run() throws Exception;
  }

  private static Object outcome(Action action) {
    try {
      return action.run();
    } catch (Throwable thrown) {
      return thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
          ? thrown.getCause() : thrown;
    }
  }

  /** Everything a throwable shows: its text and printed stack trace, causes and suppressed included. */
  static String printed(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return thrown + "\n" + thrown.getMessage() + "\n" + out;
  }
}
