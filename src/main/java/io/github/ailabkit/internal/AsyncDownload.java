package io.github.ailabkit.internal;

import io.github.ailabkit.AILabException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * One asynchronous download: each attempt an enqueued OkHttp call whose body is streamed to disk on the
 * dispatcher thread that received it; the wait before the next attempt scheduled on the client's timer, so no
 * thread is held while it waits. The deadline and {@code close()} stop it: a wait ends at once, an attempt in
 * flight is cancelled and the future fails once its temporary file is deleted. Cancelling the future cancels
 * the call in flight (its temporary file is deleted as the transfer stops) and any scheduled attempt.
 */
final class AsyncDownload {
  private final FileDownloader downloader;
  private final Transfer transfer;
  private final ClientTimer timer;
  private final CompletableFuture<Path> future = new CompletableFuture<>();
  private final AtomicReference<Call> current = new AtomicReference<>();
  private final AtomicReference<ScheduledFuture<?>> scheduled = new AtomicReference<>();
  /** Why the download was stopped (deadline or close), once it was. */
  private final AtomicReference<RuntimeException> stopped = new AtomicReference<>();
  private final Runnable onClose;

  AsyncDownload(FileDownloader downloader, Transfer transfer) {
    this.downloader = downloader;
    this.transfer = transfer;
    this.timer = downloader.timer;
    this.onClose = () -> stop(transfer.failure(new InterruptedIOException("Canceled"), true));
  }

  /** Starts the first attempt and the deadline; the returned future ends with the target or the failure. */
  CompletableFuture<Path> start() {
    if (!timer.register(onClose)) {
      throw new IllegalStateException("AILabClient is closed");
    }
    ScheduledFuture<?> deadline = timer.schedule(() -> stop(transfer.timedOut()), transfer.left());
    future.whenComplete((path, failure) -> {
      timer.unregister(onClose);
      if (deadline != null) {
        deadline.cancel(false);
      }
      ScheduledFuture<?> task = scheduled.get();
      if (task != null) {
        task.cancel(false);
      }
      Call call = current.get();
      if (call != null) {
        call.cancel(); // harmless once answered; stops a transfer the caller no longer awaits
      }
    });
    attempt(1);
    return future;
  }

  private void attempt(int number) {
    if (future.isDone() || stopped.get() != null) {
      finish(null, null);
      return;
    }
    Call call;
    try {
      call = transfer.newCall(number);
    } catch (IOException e) {
      finish(null, e);
      return;
    }
    current.set(call);
    if (future.isDone() || stopped.get() != null) {
      call.cancel(); // stopped while the call was made: it fails at once and reports below
    }
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          finish(transfer.receive(c, response, number), null);
        } catch (IOException e) {
          retryOrFail(e, number);
        } catch (RuntimeException e) {
          finish(null, e);
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        retryOrFail(e, number);
      }
    });
  }

  private void retryOrFail(IOException failure, int number) {
    if (future.isDone() || stopped.get() != null) {
      finish(null, failure);
      return;
    }
    Duration wait;
    try {
      wait = transfer.retryWait(failure, number);
    } catch (IOException last) {
      finish(null, last);
      return;
    }
    ScheduledFuture<?> task = downloader.sleeper.schedule(timer, () -> attempt(number + 1), wait);
    if (task == null) { // the timer closed meanwhile; its close hook may have run before anything was scheduled
      stop(transfer.failure(failure, true));
      finish(null, failure);
      return;
    }
    scheduled.set(task);
    if ((future.isDone() || stopped.get() != null) && task.cancel(false)) {
      finish(null, failure); // stopped while this wait was being scheduled
    }
  }

  /**
   * Ends the download for the deadline or {@code close()}: a scheduled attempt is dropped and the future fails
   * now; an attempt in flight is cancelled and fails the future itself once its temporary file is gone.
   */
  private void stop(RuntimeException reason) {
    if (!stopped.compareAndSet(null, reason)) {
      return;
    }
    ScheduledFuture<?> task = scheduled.get();
    if (task != null && task.cancel(false)) {
      finish(null, null);
    }
    Call call = current.get();
    if (call != null) {
      call.cancel();
    }
  }

  /** Settles the future off the timer thread: with the stop reason if there is one, else the outcome. */
  private void finish(Path path, Throwable failure) {
    RuntimeException reason = stopped.get();
    timer.runOffTimer(() -> {
      if (reason != null) {
        future.completeExceptionally(reason);
      } else if (failure != null) {
        future.completeExceptionally(transfer.failure(failure, false));
      } else if (path != null) {
        future.complete(path);
      }
    });
  }
}
