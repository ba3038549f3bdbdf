package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A runner's settings, fixed when it is built.
 *
 * @param client the client that submits and downloads
 * @param store where jobs are recorded
 * @param resultsDir where result files land
 * @param maxSubmitsInFlight the most submits on their way at once
 * @param poller waits for submitted tasks
 * @param listener hears progress
 * @param clock tells when results expire
 * @param checkCreditsFirst whether a run asks for the balance before sending anything
 * @param maxSubmitAttempts how often a job's submit may be sent after answers that proved nothing was created
 */
record RunSettings(AILabClient client, JobStore store, Path resultsDir, int maxSubmitsInFlight, TaskPoller poller,
    JobListener listener, Clock clock, boolean checkCreditsFirst, int maxSubmitAttempts) {
}
