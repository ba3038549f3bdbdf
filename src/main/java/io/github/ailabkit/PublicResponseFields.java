package io.github.ailabkit;

/**
 * The fields every AILab response carries, whatever the endpoint. Quote {@link #requestId()} when
 * you contact the vendor's support about a call.
 */
public interface PublicResponseFields {
  /** The server's id for this request; empty if the server sent none. */
  String requestId();

  /** The server's log id for this request; empty if the server sent none. */
  String logId();

  /** The error detail; {@link ErrorDetail#NONE} on success, never null. */
  ErrorDetail errorDetail();
}
