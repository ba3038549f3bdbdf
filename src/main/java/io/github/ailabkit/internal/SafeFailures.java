package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.RateLimitException;

/**
 * The boundary every failure crosses on its way out of the transport: an exception whose message, fields,
 * causes or suppressed exceptions show a secret is replaced by a copy of the same type with all of that
 * redacted (stack trace kept). A clean exception passes unchanged, so its type and cause stay as they were.
 */
public final class SafeFailures {
  private SafeFailures() {
  }

  /** {@code failure}, or its redacted copy when any text of it shows a secret known to {@code redactor}. */
  public static RuntimeException safe(RuntimeException failure, Redactor redactor) {
    if (!(failure instanceof AILabException sdk) || !revealsAnything(sdk, redactor)) {
      return failure instanceof AILabException || !redactor.revealsAnywhere(failure) ? failure
          : new AILabException(redactor.describe(failure), redactor.safeCause(failure));
    }
    AILabException copy;
    if (sdk instanceof AILabApiException api) {
      copy = copyApiError(api, redactor);
    } else if (sdk instanceof AILabIOException io) {
      copy = new AILabIOException(redactor.scrub(io.getMessage()), redactor.safe(io.getCause()));
    } else {
      copy = new AILabException(redactor.scrub(sdk.getMessage()), redactor.safeCause(sdk.getCause()));
    }
    copy.setStackTrace(sdk.getStackTrace());
    return copy;
  }

  private static boolean revealsAnything(AILabException failure, Redactor redactor) {
    if (redactor.revealsAnywhere(failure)) {
      return true;
    }
    return failure instanceof AILabApiException api
        && (redactor.reveals(api.requestId()) || redactor.reveals(api.logId())
            || redactor.reveals(api.errorDetail().toString()));
  }

  private static AILabApiException copyApiError(AILabApiException api, Redactor redactor) {
    String message = redactor.scrub(api.getMessage());
    ErrorDetail detail = api.errorDetail();
    ErrorDetail safeDetail = detail == ErrorDetail.NONE ? detail : new ErrorDetail(redactor.scrub(detail.code()),
        redactor.scrub(detail.codeMessage()), redactor.scrub(detail.message()));
    String requestId = redactor.scrub(api.requestId());
    String logId = redactor.scrub(api.logId());
    AILabApiException copy;
    if (api instanceof AuthenticationException) {
      copy = new AuthenticationException(message, api.httpStatus(), safeDetail, requestId, logId);
    } else if (api instanceof RateLimitException) {
      copy = new RateLimitException(message, api.httpStatus(), safeDetail, requestId, logId, api.isRetryable(),
          api.retryAfter().orElse(null));
    } else {
      copy = new AILabApiException(message, api.httpStatus(), safeDetail, requestId, logId, api.isRetryable(),
          api.retryAfter().orElse(null), redactor.safeCause(api.getCause()));
    }
    if (copy.getCause() == null && api.getCause() != null) {
      copy.initCause(redactor.safeCause(api.getCause()));
    }
    return copy;
  }
}
