package io.github.ailabkit.tools.apifixture.internal;

/** Public, but in an {@code internal} package: not API, so not in the dump. */
public final class Internal {
  /** Not listed. */
  public void run() {
  }
}
