/**
 * The AILab Java SDK: build one {@link io.github.ailabkit.AILabClient}, submit work with
 * {@link io.github.ailabkit.AILabClient#submit} or {@link io.github.ailabkit.AILabClient#call}, wait
 * for tasks with a {@link io.github.ailabkit.TaskPoller}, and keep the result files with
 * {@link io.github.ailabkit.ResultFiles}.
 *
 * <pre>{@code
 * try (AILabClient client = AILabClient.fromEnv()) {
 *   AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
 *       Form.create().file("image", Path.of("me.jpg")).field("hair_style", "BuzzCut"));
 *   TaskResult done = task.await();
 *   client.download(ResultFiles.urls(done).get(0), Path.of("out.png"));
 * }
 * }</pre>
 *
 * <p>Every exception is an unchecked {@link io.github.ailabkit.AILabException}.
 */
package io.github.ailabkit;
