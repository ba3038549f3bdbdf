package io.github.ailabkit.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One job as its store holds it: the input (endpoint path, text fields, file paths), where it stands, and
 * what the API answered. Immutable; the runner replaces a record by a new one at each step.
 *
 * @param key the job's key, unique in its store forever
 * @param endpointPath the endpoint's path, such as {@code /api/cutout/general/hd-universal-background-removal}
 * @param fields the form's text fields, in order
 * @param files the form's file fields (absolute paths), in order
 * @param state where the job stands
 * @param taskId the task id once {@link JobState#SUBMITTED}, else null
 * @param submittedAt when the submit was sent, once submitted, else null; results expire 24 hours later
 * @param requestId the submit's request id once submitted, else null
 * @param resultFiles the result files in the results directory once {@link JobState#COMPLETED}, else empty
 * @param answerJson the completed task's answer as JSON once completed, else null
 * @param error why the job failed, is uncertain or expired, else null
 * @param attempts how many submits were sent (or may have been) for this job
 * @param updatedAt when the record last changed
 */
public record JobRecord(
    String key,
    String endpointPath,
    Map<String, String> fields,
    Map<String, Path> files,
    JobState state,
    String taskId,
    Instant submittedAt,
    String requestId,
    List<Path> resultFiles,
    String answerJson,
    JobError error,
    int attempts,
    Instant updatedAt) {

  /** Requires the key, endpoint, state and time, and takes immutable copies of the collections. */
  public JobRecord {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(endpointPath, "endpointPath == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields == null")));
    files = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(files, "files == null")));
    resultFiles = List.copyOf(Objects.requireNonNull(resultFiles, "resultFiles == null"));
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts < 0: " + attempts);
    }
  }

  /** A new job, {@link JobState#PENDING}. */
  static JobRecord pending(String key, String endpointPath, Map<String, String> fields, Map<String, Path> files,
      Instant now) {
    return new JobRecord(key, endpointPath, fields, files, JobState.PENDING, null, null, null, List.of(), null, null,
        0, now);
  }

  /** This job about to be sent: one more attempt. */
  JobRecord submitting(Instant now) {
    return new JobRecord(key, endpointPath, fields, files, JobState.SUBMITTING, null, null, null, List.of(), null,
        null, attempts + 1, now);
  }

  /** This job with its task created. */
  JobRecord submitted(String newTaskId, Instant newSubmittedAt, String newRequestId, Instant now) {
    return new JobRecord(key, endpointPath, fields, files, JobState.SUBMITTED, newTaskId, newSubmittedAt,
        newRequestId, List.of(), null, null, attempts, now);
  }

  /** This job with its results kept. */
  JobRecord completed(List<Path> newResultFiles, String newAnswerJson, Instant now) {
    return new JobRecord(key, endpointPath, fields, files, JobState.COMPLETED, taskId, submittedAt, requestId,
        newResultFiles, newAnswerJson, null, attempts, now);
  }

  /** This job ended in a final state other than COMPLETED, or back to PENDING with the reason noted. */
  JobRecord ended(JobState newState, JobError newError, Instant now) {
    return new JobRecord(key, endpointPath, fields, files, newState, taskId, submittedAt, requestId, List.of(),
        null, newError, attempts, now);
  }

  /** This job back to PENDING, as if never sent (the user's decision, or a submit that never left). */
  JobRecord reset(Instant now) {
    return new JobRecord(key, endpointPath, fields, files, JobState.PENDING, null, null, null, List.of(), null, null,
        attempts, now);
  }

  /** Returns the key, state, task id and attempts; never the answer or the fields' values. */
  @Override
  public String toString() {
    return "JobRecord{key=" + key + ", state=" + state + ", taskId=" + taskId + ", attempts=" + attempts
        + (error == null ? "" : ", error=" + error.code()) + "}";
  }
}
